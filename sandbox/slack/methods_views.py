"""views.open, views.push, views.update, views.publish."""

from __future__ import annotations

from typing import Any

from .args import json_arg, text_arg
from .call import Call
from .errors import SlackError, invalid, missing_field
from .interactivity import TRIGGER_FORMAT
from .models import Trigger
from .view_rules import check_view


def _view_arg(call: Call) -> Any:
    if call.args.get("view") in (None, ""):
        raise missing_field("view")
    return json_arg(call.args, "view", "invalid_arguments")


def _trigger_id(call: Call) -> str:
    """trigger_id (or interactivity_pointer), format-checked before anything else."""
    value = text_arg(call.args, "trigger_id") or text_arg(call.args, "interactivity_pointer")
    if not TRIGGER_FORMAT.match(value):
        raise invalid("invalid_arguments", ["invalid `trigger_id`"])
    return value


def _exchange(call: Call, trigger_id: str) -> Trigger:
    return call.state.triggers.exchange(trigger_id, call.team.id)


def views_open(call: Call) -> dict[str, Any]:
    trigger_id = _trigger_id(call)
    view = _view_arg(call)
    check_view(view, "modal")
    trigger = _exchange(call, trigger_id)
    owner = (trigger.team_id, trigger.user_id)
    return {"ok": True, "view": call.state.views.open(owner, view, call.team.bot_id)}


def views_push(call: Call) -> dict[str, Any]:
    trigger_id = _trigger_id(call)
    view = _view_arg(call)
    check_view(view, "modal")
    trigger = _exchange(call, trigger_id)
    owner = (trigger.team_id, trigger.user_id)
    return {"ok": True, "view": call.state.views.push(owner, view, call.team.bot_id)}


def views_update(call: Call) -> dict[str, Any]:
    view_id = text_arg(call.args, "view_id")
    external_id = text_arg(call.args, "external_id")
    if not view_id and not external_id:
        raise missing_field("view_id")
    view = _view_arg(call)
    store = call.state.views
    found = store.find(call.team.id, view_id or None, external_id or None)
    check_view(view, store.views[found]["type"])
    expected_hash = text_arg(call.args, "hash") or None
    return {"ok": True, "view": store.update(found, view, expected_hash, call.team.bot_id)}


def views_publish(call: Call) -> dict[str, Any]:
    user_id = text_arg(call.args, "user_id")
    if not user_id:
        raise missing_field("user_id")
    view = _view_arg(call)
    try:
        user = call.state.user_in(call.team.id, user_id)
    except SlackError:
        raise invalid("invalid_arguments", ["invalid `user_id`"]) from None
    check_view(view, "home")
    expected_hash = text_arg(call.args, "hash") or None
    owner = (call.team.id, user.id)
    return {
        "ok": True,
        "view": call.state.views.publish(owner, view, expected_hash, call.team.bot_id),
    }
