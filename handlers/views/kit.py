"""Tiny Block Kit constructors, so builders read as the view they make. Texts are clipped
to Slack's limits here, once."""

from __future__ import annotations

from typing import Any

from handlers.views.limits import (
    MAX_BUTTON_TEXT,
    MAX_OPTION_TEXT,
    MAX_SECTION_TEXT,
    MAX_TITLE,
    clip,
)

Block = dict[str, Any]


def plain(text: str, limit: int = 2000) -> Block:
    return {"type": "plain_text", "text": clip(text, limit)}


def mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}


def section(text: str, block_id: str | None = None, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    if accessory:
        block["accessory"] = accessory
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def divider() -> Block:
    return {"type": "divider"}


def option(text: str, value: str) -> Block:
    return {"text": plain(text, MAX_OPTION_TEXT), "value": value[:150]}


def button(
    text: str, action_id: str, value: str = "", style: str | None = None, url: str = ""
) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(text, MAX_BUTTON_TEXT),
        "action_id": action_id,
    }
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    if url:
        element["url"] = url
    return element


def actions(block_id: str, *elements: Block) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def input_block(
    block_id: str,
    label: str,
    element: Block,
    *,
    optional: bool = False,
    hint: str = "",
    dispatch: bool = False,
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint)
    if dispatch:  # the selection is sent at once (block_actions), so the view can follow it
        block["dispatch_action"] = True
    return block


def static_select(action_id: str, options: list[Block], initial: str | None = None) -> Block:
    element: Block = {"type": "static_select", "action_id": action_id, "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    return element


def external_select(action_id: str, placeholder: str, initial: Block | None = None) -> Block:
    element: Block = {
        "type": "external_select",
        "action_id": action_id,
        "placeholder": plain(placeholder, 150),
        "min_query_length": 0,
    }
    if initial:
        element["initial_option"] = initial
    return element


def text_input(action_id: str, initial: str = "", placeholder: str = "") -> Block:
    element: Block = {"type": "plain_text_input", "action_id": action_id}
    if initial:
        element["initial_value"] = initial
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    return element


def radio(action_id: str, options: list[Block], initial: str | None = None) -> Block:
    element = static_select(action_id, options, initial)
    element["type"] = "radio_buttons"
    return element


def modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    metadata: str,
    submit: str | None = None,
    close: str = "Cancel",
) -> Block:
    view: Block = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MAX_TITLE),
        "close": plain(close, MAX_TITLE),
        "blocks": blocks,
        "private_metadata": metadata,
    }
    if submit:
        view["submit"] = plain(submit, MAX_TITLE)
    return view


def checkboxes(action_id: str, options: list[Block], checked: list[str]) -> Block:
    element: Block = {"type": "checkboxes", "action_id": action_id, "options": options}
    initial = [o for o in options if o["value"] in checked]
    if initial:
        element["initial_options"] = initial
    return element


def overflow(action_id: str, options: list[Block]) -> Block:
    return {"type": "overflow", "action_id": action_id, "options": options[:5]}
