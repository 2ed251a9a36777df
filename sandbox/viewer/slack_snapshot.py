"""What each person of each sandbox workspace sees in Slack right now, copied out of the
emulator under its lock so that the page renders without holding it."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from sandbox.slack import SlackEmulator
from sandbox.slack.models import Channel
from sandbox.slack.state import SlackState

MAX_MESSAGES = 50  # per conversation: the newest, as a scrolled-down Slack window shows


@dataclass(frozen=True)
class Message:
    author: str
    from_app: bool
    ts: str
    content: dict[str, Any]  # text, blocks, attachments as the bot posted them
    edited: bool = False
    only_you: bool = False  # an ephemeral message: "Only visible to you"


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    messages: tuple[Message, ...]
    total: int


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    dm: Conversation | None
    only_you: tuple[Conversation, ...]  # ephemeral replies, per channel
    home: dict[str, Any] | None
    modals: tuple[dict[str, Any], ...]  # the open stack, root first

    @property
    def has_anything(self) -> bool:
        return bool(self.dm or self.only_you or self.home or self.modals)


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    channels: tuple[Conversation, ...]
    people: tuple[Person, ...]


@dataclass(frozen=True)
class SlackSnapshot:
    workspaces: tuple[Workspace, ...]
    names: dict[str, str]  # user and channel ids → what Slack shows for them


def read_slack(slack: SlackEmulator) -> SlackSnapshot:
    with slack.lock:
        state = slack.state
        names = _names(state)
        workspaces = tuple(_workspace(state, team_id, names) for team_id in state.teams)
    return SlackSnapshot(workspaces, names)


def _names(state: SlackState) -> dict[str, str]:
    names = {u.id: u.real_name or u.name for u in state.users.values()}
    names.update({t.bot_user_id: "syncbot" for t in state.teams.values()})
    names.update({c.id: c.name for c in state.messages.channels.values() if not c.is_im})
    return names


def _workspace(state: SlackState, team_id: str, names: dict[str, str]) -> Workspace:
    team = state.teams[team_id]
    channels = [c for c in state.messages.channels.values() if c.team_id == team_id and not c.is_im]
    shown = tuple(
        _conversation(state, c, "#" + c.name, names)
        for c in channels
        if state.messages.messages.get(c.id)
    )
    people = [
        _person(state, team_id, u.id, names)
        for u in state.users.values()
        if u.team_id == team_id and not u.is_bot and u.id != team.bot_user_id
    ]
    return Workspace(team_id, team.name, shown, tuple(p for p in people if p.has_anything))


def _conversation(
    state: SlackState, channel: Channel, title: str, names: dict[str, str]
) -> Conversation:
    messages = state.messages.messages.get(channel.id, [])
    newest = messages[-MAX_MESSAGES:]
    return Conversation(
        channel.id, title, tuple(_message(m, names) for m in newest), total=len(messages)
    )


def _message(raw: dict[str, Any], names: dict[str, str], only_you: bool = False) -> Message:
    from_app = bool(raw.get("bot_id"))
    author = "syncbot" if from_app else names.get(str(raw.get("user", "")), "someone")
    keys: tuple[str, ...] = ("text", "blocks", "attachments")
    content = {k: copy.deepcopy(raw[k]) for k in keys if k in raw}
    return Message(author, from_app, str(raw["ts"]), content, "edited" in raw, only_you)


def _person(state: SlackState, team_id: str, user_id: str, names: dict[str, str]) -> Person:
    dm_channel = next(
        (
            c
            for c in state.messages.channels.values()
            if c.is_im and c.team_id == team_id and c.im_user == user_id
        ),
        None,
    )
    dm = None
    if dm_channel is not None and state.messages.messages.get(dm_channel.id):
        dm = _conversation(state, dm_channel, "syncbot", names)
    owner = (team_id, user_id)
    home_id = state.views.homes.get(owner)
    stack = state.views.stacks.get(owner) or []
    return Person(
        id=user_id,
        name=names.get(user_id, user_id),
        dm=dm,
        only_you=_ephemerals(state, user_id, names),
        home=copy.deepcopy(state.views.views[home_id]) if home_id else None,
        modals=tuple(copy.deepcopy(state.views.views[v]) for v in stack),
    )


def _ephemerals(state: SlackState, user_id: str, names: dict[str, str]) -> tuple[Conversation, ...]:
    by_channel: dict[str, list[Message]] = {}
    for raw in state.messages.ephemerals:
        if raw.get("ephemeral_user") == user_id:
            by_channel.setdefault(raw["channel"], []).append(_message(raw, names, only_you=True))
    return tuple(
        Conversation(
            channel_id,
            _title(state, channel_id, names),
            tuple(messages[-MAX_MESSAGES:]),
            total=len(messages),
        )
        for channel_id, messages in by_channel.items()
    )


def _title(state: SlackState, channel_id: str, names: dict[str, str]) -> str:
    channel = state.messages.channels.get(channel_id)
    if channel is not None and channel.is_im:
        return "syncbot"
    return "#" + names.get(channel_id, channel_id)
