"""Slack's limits for views, enforced before a view leaves syncbot.

Slack refuses a view that breaks them (`invalid_arguments`), which would leave a person on a
"Loading" placeholder. The builders clip and cap as they go (`clip`, `cap`); `guard` is the
last check, so a builder bug shows in a unit test rather than in someone's workspace. The
numbers are Slack's (Block Kit reference; sandbox/slack/view_rules.py enforces the same).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

MAX_BLOCKS = 100
MAX_STACKED_VIEWS = 3
MAX_TITLE = 24  # modal title, submit and close
MAX_OPTION_TEXT = 75
MAX_OPTIONS = 100
MAX_PRIVATE_METADATA = 3000
MAX_SECTION_TEXT = 3000
MAX_BUTTON_TEXT = 75
MAX_VIEW_BYTES = 250_000

T = TypeVar("T")


class ViewLimitError(ValueError):
    """A builder produced a view Slack would refuse; the message lists each broken limit."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cap(items: Sequence[T], limit: int = MAX_OPTIONS) -> list[T]:
    return list(items[:limit])


def guard(view: dict[str, Any]) -> dict[str, Any]:
    """Return `view` unchanged when Slack would accept it; raise ViewLimitError otherwise."""
    problems = [*_chrome(view), *_blocks(view.get("blocks", []))]
    metadata = view.get("private_metadata", "")
    if len(metadata) > MAX_PRIVATE_METADATA:
        problems.append(f"private_metadata has {len(metadata)} characters (max 3000)")
    if len(json.dumps(view)) > MAX_VIEW_BYTES:
        problems.append("view is larger than 250 kB")
    if problems:
        raise ViewLimitError(problems)
    return view


def guard_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same checks for message blocks (50 blocks per message)."""
    problems = _blocks(blocks, limit=50)
    if problems:
        raise ViewLimitError(problems)
    return blocks


def guard_options(payload: dict[str, Any]) -> dict[str, Any]:
    """An external select's answer: ≤100 options (in all groups), texts ≤75."""
    options = list(payload.get("options", []))
    for group in payload.get("option_groups", []):
        options += group["options"]
        if len(group["label"]["text"]) > MAX_OPTION_TEXT:
            problems = [f"option group label longer than {MAX_OPTION_TEXT}"]
            raise ViewLimitError(problems)
    problems = _option_list(options, "options")
    if problems:
        raise ViewLimitError(problems)
    return payload


def _chrome(view: dict[str, Any]) -> list[str]:
    problems = []
    for name in ("title", "submit", "close"):
        text = (view.get(name) or {}).get("text", "")
        if len(text) > MAX_TITLE:
            problems.append(f"{name} “{text}” is longer than {MAX_TITLE} characters")
    return problems


def _blocks(blocks: list[dict[str, Any]], limit: int = MAX_BLOCKS) -> list[str]:
    problems = [f"{len(blocks)} blocks (max {limit})"] if len(blocks) > limit else []
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        block_id = block.get("block_id")
        if block_id in seen:
            problems.append(f"blocks[{i}]: duplicate block_id {block_id}")
        if block_id:
            seen.add(block_id)
        text = (block.get("text") or {}).get("text", "")
        if len(text) > MAX_SECTION_TEXT:
            problems.append(f"blocks[{i}]: text longer than {MAX_SECTION_TEXT}")
        for element in _elements(block):
            problems += _option_list(element.get("options", []), f"blocks[{i}] options")
            button = element.get("text") if element.get("type") == "button" else None
            if button and len(button["text"]) > MAX_BUTTON_TEXT:
                problems.append(f"blocks[{i}]: button text longer than {MAX_BUTTON_TEXT}")
    return problems


def _elements(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in ("element", "accessory"):
        if isinstance(block.get(key), dict):
            yield block[key]
    if block.get("type") == "actions":
        yield from block.get("elements", [])


def _option_list(options: list[dict[str, Any]], where: str) -> list[str]:
    problems = [f"{where}: {len(options)} options (max 100)"] if len(options) > MAX_OPTIONS else []
    for option in options:
        text = option["text"]["text"]
        if len(text) > MAX_OPTION_TEXT:
            problems.append(f"{where}: option “{text[:20]}…” longer than {MAX_OPTION_TEXT}")
    return problems
