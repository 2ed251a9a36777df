"""Channels, the bot's IMs and the messages posted in them (plus ephemeral ones)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from .errors import SlackError
from .ids import IdFactory
from .models import Channel, SlackTeam


@dataclass(frozen=True)
class Author:
    """Who posts: the app's bot user in one workspace."""

    team: SlackTeam
    app_id: str

    def stamp(self) -> dict[str, Any]:
        return {
            "user": self.team.bot_user_id,
            "type": "message",
            "bot_id": self.team.bot_id,
            "app_id": self.app_id,
            "team": self.team.id,
            "bot_profile": {
                "id": self.team.bot_id,
                "app_id": self.app_id,
                "name": "syncbot",
                "team_id": self.team.id,
                "deleted": False,
                "icons": {},
            },
        }


def im_id(user_id: str) -> str:
    """The bot's IM with a person: D + the user id's tail, stable for the whole run."""
    return "D" + user_id[1:]


class MessageStore:
    def __init__(self, ids: IdFactory, channels: list[Channel]) -> None:
        self._ids = ids
        self.channels: dict[str, Channel] = {c.id: c for c in channels}
        self.messages: dict[str, list[dict[str, Any]]] = {c.id: [] for c in channels}
        self.ephemerals: list[dict[str, Any]] = []

    # -- conversations ----------------------------------------------------------------
    def im_for(self, team_id: str, user_id: str) -> Channel:
        channel_id = im_id(user_id)
        channel = self.channels.get(channel_id)
        if channel is None:
            channel = Channel(
                id=channel_id,
                team_id=team_id,
                name=user_id,
                members={user_id},
                is_im=True,
                im_user=user_id,
            )
            self.channels[channel_id] = channel
            self.messages[channel_id] = []
        return channel

    def resolve(self, team_id: str, channel_arg: str, known_users: set[str]) -> Channel:
        """C…/D… ids of this workspace, or a user id (U…/W…) meaning the bot's IM with them."""
        if channel_arg[:1] in {"U", "W"} and channel_arg in known_users:
            return self.im_for(team_id, channel_arg)
        channel = self.channels.get(channel_arg)
        if channel is None or channel.team_id != team_id:
            raise SlackError("channel_not_found")
        return channel

    # -- messages -----------------------------------------------------------------------
    def post(self, channel: Channel, author: Author, content: dict[str, Any]) -> dict[str, Any]:
        message = {**author.stamp(), "ts": self._ids.ts(), **copy.deepcopy(content)}
        self.messages[channel.id].append(message)
        return copy.deepcopy(message)

    def find(self, channel_id: str, ts: str) -> dict[str, Any]:
        for message in self.messages.get(channel_id, []):
            if message["ts"] == ts:
                return message
        raise SlackError("message_not_found")

    def update(
        self, channel: Channel, ts: str, author: Author, content: dict[str, Any]
    ) -> dict[str, Any]:
        message = self.find(channel.id, ts)
        if message.get("bot_id") != author.team.bot_id:
            raise SlackError("cant_update_message")
        for key in ("text", "blocks", "attachments"):
            if key in content:
                message[key] = copy.deepcopy(content[key])
        message["edited"] = {"user": author.team.bot_user_id, "ts": self._ids.ts()}
        return copy.deepcopy(message)

    def delete(self, channel: Channel, ts: str, author: Author) -> None:
        message = self.find(channel.id, ts)
        if message.get("bot_id") != author.team.bot_id:
            raise SlackError("cant_delete_message")
        self.messages[channel.id].remove(message)

    def post_ephemeral(
        self, channel: Channel, user_id: str, author: Author, content: dict[str, Any]
    ) -> dict[str, Any]:
        message = {
            **author.stamp(),
            "ts": self._ids.ts(),
            "channel": channel.id,
            "ephemeral_user": user_id,
            **copy.deepcopy(content),
        }
        self.ephemerals.append(message)
        return copy.deepcopy(message)

    def find_any(self, ts: str) -> tuple[str, dict[str, Any], bool] | None:
        """A message or ephemeral by ts, anywhere: (channel_id, message, is_ephemeral)."""
        for channel_id, messages in self.messages.items():
            for message in messages:
                if message["ts"] == ts:
                    return channel_id, message, False
        for message in self.ephemerals:
            if message["ts"] == ts:
                return message["channel"], message, True
        return None

    def replace(self, ts: str, content: dict[str, Any]) -> None:
        """response_url ``replace_original``: new text/blocks on the same ts."""
        found = self.find_any(ts)
        if found is None:
            raise SlackError("message_not_found")
        message = found[1]
        for key in ("text", "blocks", "attachments"):
            message.pop(key, None)
            if key in content:
                message[key] = copy.deepcopy(content[key])

    def remove(self, ts: str) -> None:
        found = self.find_any(ts)
        if found is None:
            raise SlackError("message_not_found")
        channel_id, message, ephemeral = found
        (self.ephemerals if ephemeral else self.messages[channel_id]).remove(message)
