"""The admin modal, the polite refusal (with Request access), and the admins' Allow / Deny."""

from __future__ import annotations

from typing import Any

from handlers.ids import ActionId, BlockId, CallbackId
from handlers.views.blocks import Block, actions, button, message, option, plain, section
from sync.services import EVERYONE, LISTED, AdminSettings

MODES = {EVERYONE: "Everyone in the workspace", LISTED: "Only the people listed below"}


def admin_modal(current: AdminSettings, usage: list[str]) -> dict[str, Any]:
    mode = option(MODES[current.access_mode], current.access_mode)
    people: dict[str, Any] = {"type": "multi_users_select", "action_id": "users"}
    if current.allowed:
        people["initial_users"] = list(current.allowed)
    blocks: list[Block] = [
        _input(
            BlockId.ACCESS_MODE,
            "Who may use syncbot",
            {
                "type": "static_select",
                "action_id": "mode",
                "initial_option": mode,
                "options": [option(text, value) for value, text in MODES.items()],
            },
        ),
        _input(BlockId.ALLOW_LIST, "Allowed people", people, optional=True),
        _input(
            BlockId.POLL_INTERVAL,
            "Poll interval (seconds)",
            {
                "type": "plain_text_input",
                "action_id": "seconds",
                "initial_value": str(current.poll_interval),
            },
        ),
        _input(
            BlockId.API_SHARE,
            "Largest share of each org's daily API allowance",
            {
                "type": "plain_text_input",
                "action_id": "share",
                "initial_value": f"{current.api_share:g}",
            },
        ),
        section("*API use today*\n" + ("\n".join(usage) or "No Salesforce org connected yet.")),
    ]
    return {
        "type": "modal",
        "callback_id": CallbackId.ADMIN,
        "title": plain("syncbot admin", 24),
        "submit": plain("Save", 24),
        "close": plain("Cancel", 24),
        "blocks": blocks,
    }


def _input(block_id: str, label: str, element: dict[str, Any], optional: bool = False) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
    }
    if optional:
        block["optional"] = True
    return block


def refusal(admins: list[str]) -> dict[str, Any]:
    names = ", ".join(f"<@{a}>" for a in admins) or "your workspace admins"
    text = f"syncbot is limited to some people here. Ask {names}, or request access."
    return message(
        "syncbot is limited to some people in this workspace.",
        [
            section(text),
            actions(button("Request access", ActionId.REQUEST_ACCESS, "request", style="primary")),
        ],
    )


def access_request(requester: str) -> dict[str, Any]:
    return message(
        "Access request for syncbot",
        [
            section(f"<@{requester}> asks to use syncbot."),
            actions(
                button("Allow", ActionId.ALLOW_ACCESS, requester, style="primary"),
                button("Deny", ActionId.DENY_ACCESS, requester),
            ),
        ],
    )


def refusal_home(admins: list[str]) -> dict[str, Any]:
    return {"type": "home", "blocks": refusal(admins)["blocks"]}
