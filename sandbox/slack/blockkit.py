"""Block Kit validation with Slack's limits and its error wording.

Slack answers a bad view with ``invalid_arguments`` (a bad message with ``invalid_blocks``)
and lists each problem in ``response_metadata.messages`` as
``[ERROR] <what> [json-pointer:<where>]``, e.g.
``[ERROR] must be less than 25 characters [json-pointer:/view/title/text]`` for a
25-character title (titles may hold 24). Only the limits a bot realistically hits are
checked; an unknown block type is refused as Slack refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BLOCK_TYPES = frozenset(
    {
        "section",
        "divider",
        "image",
        "actions",
        "context",
        "input",
        "header",
        "rich_text",
        "video",
        "file",
        "markdown",
        "table",
        "context_actions",
    }
)
_OPTION_LIMITS = {"checkboxes": 10, "radio_buttons": 10, "overflow": 5}


def error(what: str, pointer: str) -> str:
    return f"[ERROR] {what} [json-pointer:{pointer}]"


def too_long(limit: int, pointer: str) -> str:
    # Slack words a limit of N characters as "must be less than N+1 characters".
    return error(f"must be less than {limit + 1} characters", pointer)


def too_many(limit: int, pointer: str) -> str:
    return error(f"no more than {limit} items allowed", pointer)


def check_text(obj: Any, pointer: str, limit: int, *, plain_only: bool = False) -> list[str]:
    """A text object: ``{"type": "plain_text"|"mrkdwn", "text": "..."}`` within ``limit``."""
    if not isinstance(obj, dict):
        return [error("must provide an object", pointer)]
    kinds = {"plain_text"} if plain_only else {"plain_text", "mrkdwn"}
    if obj.get("type") not in kinds:
        return [error("failed to match all allowed schemas", pointer)]
    text = obj.get("text")
    if not isinstance(text, str):
        return [error("must provide a string", pointer + "/text")]
    if len(text) > limit:
        return [
            error("failed to match all allowed schemas", pointer),
            too_long(limit, pointer + "/text"),
        ]
    return []


def _check_options(options: Any, pointer: str, limit: int) -> list[str]:
    if not isinstance(options, list):
        return [error("must provide an array", pointer)]
    if not options:
        return [error("must provide at least 1 items", pointer)]
    if len(options) > limit:
        return [too_many(limit, pointer)]
    problems: list[str] = []
    for i, option in enumerate(options):
        at = f"{pointer}/{i}"
        if not isinstance(option, dict):
            problems.append(error("must provide an object", at))
            continue
        problems += check_text(option.get("text"), at + "/text", 75)
        value = option.get("value")
        if isinstance(value, str) and len(value) > 150:
            problems.append(too_long(150, at + "/value"))
    return problems


def check_element(element: Any, pointer: str) -> list[str]:
    if not isinstance(element, dict) or not isinstance(element.get("type"), str):
        return [error("failed to match all allowed schemas", pointer)]
    problems: list[str] = []
    kind = element["type"]
    action_id = element.get("action_id")
    if isinstance(action_id, str) and len(action_id) > 255:
        problems.append(too_long(255, pointer + "/action_id"))
    if kind == "button":
        problems += check_text(element.get("text"), pointer + "/text", 75, plain_only=True)
        if "style" in element and not isinstance(element["style"], str):
            problems.append(error("must provide a string", pointer + "/style"))
        value = element.get("value")
        if isinstance(value, str) and len(value) > 2000:
            problems.append(too_long(2000, pointer + "/value"))
    if "options" in element and kind not in {"external_select", "multi_external_select"}:
        limit = _OPTION_LIMITS.get(kind, 100)
        problems += _check_options(element["options"], pointer + "/options", limit)
    if "placeholder" in element:
        problems += check_text(
            element["placeholder"], pointer + "/placeholder", 150, plain_only=True
        )
    return problems


def _check_elements(elements: Any, pointer: str, limit: int) -> list[str]:
    if not isinstance(elements, list):
        return [error("must provide an array", pointer)]
    if len(elements) > limit:
        return [too_many(limit, pointer)]
    return [p for i, e in enumerate(elements) for p in check_element(e, f"{pointer}/{i}")]


def _check_section(block: dict[str, Any], at: str) -> list[str]:
    if "text" not in block and "fields" not in block:
        return [error("must provide either text or fields", at)]
    problems: list[str] = []
    if "text" in block:
        problems += check_text(block["text"], at + "/text", 3000)
    fields = block.get("fields")
    if fields is not None:
        if not isinstance(fields, list):
            problems.append(error("must provide an array", at + "/fields"))
        elif len(fields) > 10:
            problems.append(too_many(10, at + "/fields"))
        else:
            for i, f in enumerate(fields):
                problems += check_text(f, f"{at}/fields/{i}", 2000)
    if "accessory" in block:
        problems += check_element(block["accessory"], at + "/accessory")
    return problems


def _check_input(block: dict[str, Any], at: str) -> list[str]:
    problems: list[str] = []
    if "label" not in block:
        problems.append(error("missing required field: label", at))
    else:
        problems += check_text(block["label"], at + "/label", 2000, plain_only=True)
    if "element" not in block:
        problems.append(error("missing required field: element", at))
    else:
        problems += check_element(block["element"], at + "/element")
    if "hint" in block:
        problems += check_text(block["hint"], at + "/hint", 2000, plain_only=True)
    return problems


def check_block(block: Any, at: str) -> list[str]:
    if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
        return [error("failed to match all allowed schemas", at)]
    block_id = block.get("block_id")
    problems: list[str] = []
    if isinstance(block_id, str) and len(block_id) > 255:
        problems.append(too_long(255, at + "/block_id"))
    kind = block["type"]
    if kind == "section":
        problems += _check_section(block, at)
    elif kind == "header":
        problems += check_text(block.get("text"), at + "/text", 150, plain_only=True)
    elif kind == "actions":
        problems += _check_elements(block.get("elements"), at + "/elements", 25)
    elif kind == "context":
        problems += _check_elements_loose(block.get("elements"), at + "/elements", 10)
    elif kind == "input":
        problems += _check_input(block, at)
    return problems


def _check_elements_loose(elements: Any, pointer: str, limit: int) -> list[str]:
    # Context blocks hold images and text objects, not interactive elements.
    if not isinstance(elements, list):
        return [error("must provide an array", pointer)]
    return [too_many(limit, pointer)] if len(elements) > limit else []


def check_blocks(blocks: Any, pointer: str, limit: int) -> list[str]:
    """Validate a blocks array: count, each block, and block_id uniqueness."""
    if not isinstance(blocks, list):
        return [error("must provide an array", pointer)]
    if len(blocks) > limit:
        return [too_many(limit, pointer)]
    problems: list[str] = []
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        at = f"{pointer}/{i}"
        problems += check_block(block, at)
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if isinstance(block_id, str):
            if block_id in seen:
                problems.append(error(f"duplicate block_id: {block_id}", at + "/block_id"))
            seen.add(block_id)
    return problems


def walk_elements(blocks: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every interactive element with the block holding it: (block, element) pairs."""
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if isinstance(block.get("element"), dict):
            found.append((block, block["element"]))
        if isinstance(block.get("accessory"), dict):
            found.append((block, block["accessory"]))
        if block.get("type") == "actions":
            found += [(block, e) for e in block.get("elements", []) if isinstance(e, dict)]
    return found


def with_text_defaults(obj: Any) -> Any:
    """A copy with Slack's text defaults filled in, as it echoes them back:
    ``"emoji": true`` on plain_text, ``"verbatim": false`` on mrkdwn."""
    if isinstance(obj, list):
        return [with_text_defaults(item) for item in obj]
    if not isinstance(obj, dict):
        return obj
    out = {k: with_text_defaults(v) for k, v in obj.items()}
    if out.get("type") == "plain_text" and isinstance(out.get("text"), str):
        out.setdefault("emoji", True)
    elif out.get("type") == "mrkdwn" and isinstance(out.get("text"), str):
        out.setdefault("verbatim", False)
    return out


def with_block_ids(blocks: list[Any], make_id: Callable[[], str]) -> list[Any]:
    """A copy of ``blocks`` as Slack stores them: each with a block_id, text defaults set,
    input blocks with an explicit ``optional``."""
    out: list[Any] = with_text_defaults(blocks)
    for block in out:
        if not isinstance(block, dict):
            continue
        block.setdefault("block_id", make_id())
        if block.get("type") == "input":
            block.setdefault("optional", False)
    return out
