"""``view.state.values`` entries, shaped per element type as Slack's client sends them.

``{"type": "plain_text_input", "value": "text"}``,
``{"type": "static_select", "selected_option": {"text": {...}, "value": "v"}}``,
``{"type": "users_select", "selected_user": "U…"}`` and so on. A select only takes an
option the element offers; external selects take what the bot suggested (or, when the test
did not ask for suggestions first, an option made from the value itself).
"""

from __future__ import annotations

import copy
from typing import Any

TEXT_TYPES = {
    "plain_text_input",
    "email_text_input",
    "url_text_input",
    "number_input",
    "rich_text_input",
}
SINGLE_OPTION = {"static_select", "external_select", "radio_buttons", "overflow"}
MULTI_OPTION = {"multi_static_select", "multi_external_select", "checkboxes"}
SCALAR = {
    "users_select": "selected_user",
    "conversations_select": "selected_conversation",
    "channels_select": "selected_channel",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
}
MULTI_SCALAR = {
    "multi_users_select": "selected_users",
    "multi_conversations_select": "selected_conversations",
    "multi_channels_select": "selected_channels",
}
INITIAL_KEY = {
    "selected_user": "initial_user",
    "selected_conversation": "initial_conversation",
    "selected_channel": "initial_channel",
    "selected_date": "initial_date",
    "selected_time": "initial_time",
    "selected_date_time": "initial_date_time",
    "selected_users": "initial_users",
    "selected_conversations": "initial_conversations",
    "selected_channels": "initial_channels",
}


def offered_options(element: dict[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options", [])
    return options


def _option(element: dict[str, Any], value: str, suggested: list[dict[str, Any]]) -> dict[str, Any]:
    external = element["type"] in {"external_select", "multi_external_select"}
    pool = suggested if external else offered_options(element)
    for option in pool:
        if option.get("value") == value:
            return copy.deepcopy(option)
    if external:
        return {"text": {"type": "plain_text", "text": value, "emoji": True}, "value": value}
    raise ValueError(f"{element.get('action_id')!r} offers no option with value {value!r}")


def entry(
    element: dict[str, Any], value: Any, suggested: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The state entry for ``value`` typed or picked in ``element``."""
    kind = element["type"]
    pool = suggested or []
    if kind in TEXT_TYPES:
        return {"type": kind, "value": None if value is None else str(value)}
    if kind in SINGLE_OPTION:
        chosen = None if value is None else _option(element, str(value), pool)
        return {"type": kind, "selected_option": chosen}
    if kind in MULTI_OPTION:
        values = [value] if isinstance(value, str) else list(value or [])
        return {"type": kind, "selected_options": [_option(element, str(v), pool) for v in values]}
    if kind in SCALAR:
        return {"type": kind, SCALAR[kind]: value}
    if kind in MULTI_SCALAR:
        return {
            "type": kind,
            MULTI_SCALAR[kind]: [value] if isinstance(value, str) else list(value or []),
        }
    raise ValueError(f"element type {kind!r} holds no value")


def initial_entry(element: dict[str, Any]) -> dict[str, Any]:
    """What an untouched element reports: its initial value, or an empty one."""
    kind = element["type"]
    if kind in TEXT_TYPES:
        return {"type": kind, "value": element.get("initial_value")}
    if kind in SINGLE_OPTION:
        return {"type": kind, "selected_option": copy.deepcopy(element.get("initial_option"))}
    if kind in MULTI_OPTION:
        return {
            "type": kind,
            "selected_options": copy.deepcopy(element.get("initial_options") or []),
        }
    key = SCALAR.get(kind) or MULTI_SCALAR.get(kind)
    if key is None:
        raise ValueError(f"element type {kind!r} holds no value")
    default: list[str] | None = [] if kind in MULTI_SCALAR else None
    return {"type": kind, key: copy.deepcopy(element.get(INITIAL_KEY[key], default))}


def is_empty(state_entry: dict[str, Any]) -> bool:
    values = [v for k, v in state_entry.items() if k != "type"]
    return all(v in (None, "", []) for v in values)


def holds_value(element: dict[str, Any]) -> bool:
    kind = element.get("type")
    return (
        kind in TEXT_TYPES
        or kind in SINGLE_OPTION
        or kind in MULTI_OPTION
        or kind in SCALAR
        or kind in MULTI_SCALAR
    )
