"""auth.test, users.info, users.lookupByEmail, team.info."""

from __future__ import annotations

from typing import Any

from .args import text_arg
from .call import Call
from .errors import SlackError


def auth_test(call: Call) -> dict[str, Any]:
    user = call.state.users[call.token.user_id]
    body: dict[str, Any] = {
        "ok": True,
        "url": call.team.url,
        "team": call.team.name,
        "user": user.name,
        "team_id": call.team.id,
        "user_id": user.id,
    }
    if call.token.is_bot:
        body["bot_id"] = call.team.bot_id
    body["is_enterprise_install"] = False
    return body


def users_info(call: Call) -> dict[str, Any]:
    user = call.state.user_in(call.team.id, text_arg(call.args, "user"))
    return {"ok": True, "user": user.to_api(with_email=call.has_scope("users:read.email"))}


def users_lookup_by_email(call: Call) -> dict[str, Any]:
    email = text_arg(call.args, "email").strip().lower()
    for user in call.state.users.values():
        if (
            user.team_id == call.team.id
            and not user.deleted
            and user.email.lower() == email
            and email
        ):
            return {"ok": True, "user": user.to_api(with_email=True)}
    raise SlackError("users_not_found")


def team_info(call: Call) -> dict[str, Any]:
    asked = text_arg(call.args, "team")
    if asked and asked != call.team.id:
        raise SlackError("team_not_found")
    return {"ok": True, "team": call.team.to_api()}
