"""Request bodies exactly as Slack sends them to a bot.

Slash commands are form posts with all of Slack's fields; interactions are form posts
with one field ``payload=<json>``; events are JSON ``event_callback`` envelopes. Shapes
follow bolt-python's scenario tests and Slack's payload references (API_FACTS C.4).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from .models import SlackTeam, SlackUserInfo


@dataclass(frozen=True)
class Who:
    """The person acting, their workspace, and the app receiving the request."""

    team: SlackTeam
    user: SlackUserInfo
    app_id: str
    verification_token: str

    def user_object(self) -> dict[str, Any]:
        u = self.user
        return {"id": u.id, "username": u.name, "name": u.name, "team_id": u.team_id}

    def team_object(self) -> dict[str, Any]:
        return {"id": self.team.id, "domain": self.team.domain}

    def common(self, kind: str) -> dict[str, Any]:
        return {
            "type": kind,
            "user": self.user_object(),
            "api_app_id": self.app_id,
            "token": self.verification_token,
            "team": self.team_object(),
            "enterprise": None,
            "is_enterprise_install": False,
        }


def slash_command(
    who: Who,
    channel_id: str,
    channel_name: str,
    command: str,
    text: str,
    response_url: str,
    trigger_id: str,
) -> list[tuple[str, str]]:
    return [
        ("token", who.verification_token),
        ("team_id", who.team.id),
        ("team_domain", who.team.domain),
        ("channel_id", channel_id),
        ("channel_name", channel_name),
        ("user_id", who.user.id),
        ("user_name", who.user.name),
        ("command", command),
        ("text", text),
        ("api_app_id", who.app_id),
        ("is_enterprise_install", "false"),
        ("response_url", response_url),
        ("trigger_id", trigger_id),
    ]


def block_actions_in_view(
    who: Who, view: dict[str, Any], action: dict[str, Any], trigger_id: str
) -> dict[str, Any]:
    body = who.common("block_actions")
    body.update(
        {
            "container": {"type": "view", "view_id": view["id"]},
            "trigger_id": trigger_id,
            "view": copy.deepcopy(view),
            "actions": [action],
        }
    )
    return body


def block_actions_in_message(
    who: Who,
    channel: dict[str, str],
    message: dict[str, Any],
    is_ephemeral: bool,
    action: dict[str, Any],
    trigger_id: str,
    response_url: str,
) -> dict[str, Any]:
    body = who.common("block_actions")
    body.update(
        {
            "container": {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel["id"],
                "is_ephemeral": is_ephemeral,
            },
            "trigger_id": trigger_id,
            "channel": channel,
            "state": {"values": {}},
            "response_url": response_url,
            "actions": [action],
        }
    )
    if not is_ephemeral:
        body["message"] = copy.deepcopy(message)
    return body


def view_submission(
    who: Who, view: dict[str, Any], trigger_id: str, response_urls: list[dict[str, str]]
) -> dict[str, Any]:
    body = who.common("view_submission")
    body.update(
        {"trigger_id": trigger_id, "view": copy.deepcopy(view), "response_urls": response_urls}
    )
    return body


def view_closed(who: Who, view: dict[str, Any]) -> dict[str, Any]:
    body = who.common("view_closed")
    body.update({"view": copy.deepcopy(view), "is_cleared": False})
    return body


def block_suggestion(
    who: Who, view: dict[str, Any], block_id: str, action_id: str, value: str
) -> dict[str, Any]:
    body = who.common("block_suggestion")
    body.update(
        {
            "container": {"type": "view", "view_id": view["id"]},
            "action_id": action_id,
            "block_id": block_id,
            "value": value,
            "view": copy.deepcopy(view),
        }
    )
    return body


def app_home_opened(
    who: Who,
    channel_id: str,
    home: dict[str, Any] | None,
    event_id: str,
    event_time: int,
    event_ts: str,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": who.user.id,
        "channel": channel_id,
        "tab": "home",
        "event_ts": event_ts,
    }
    if home is not None:
        event["view"] = copy.deepcopy(home)
    return {
        "token": who.verification_token,
        "team_id": who.team.id,
        "context_team_id": who.team.id,
        "context_enterprise_id": None,
        "api_app_id": who.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": who.team.id,
                "user_id": who.team.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{event_id}",
    }
