"""What Slack checks in a view before it opens, pushes, updates or publishes it."""

from __future__ import annotations

import json
from typing import Any

from .blockkit import check_blocks, check_text, error, too_long
from .errors import SlackError, invalid

MAX_VIEW_BYTES = 250_000  # "view_too_large: the provided view is greater than 250kb"
MAX_VIEW_BLOCKS = 100
MODAL_BUTTON_CHARS = 24  # title, submit and close
MAX_PRIVATE_METADATA = 3000
MAX_ID_CHARS = 255  # callback_id and external_id


def _check_strings(view: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    metadata = view.get("private_metadata")
    if isinstance(metadata, str) and len(metadata) > MAX_PRIVATE_METADATA:
        problems += [
            error("failed to match all allowed schemas", "/view"),
            too_long(MAX_PRIVATE_METADATA, "/view/private_metadata"),
        ]
    for name in ("callback_id", "external_id"):
        value = view.get(name)
        if isinstance(value, str) and len(value) > MAX_ID_CHARS:
            problems.append(too_long(MAX_ID_CHARS, f"/view/{name}"))
    return problems


def _has_inputs(view: dict[str, Any]) -> bool:
    blocks = view.get("blocks")
    return isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )


def _check_modal_chrome(view: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if "title" not in view:
        problems.append(error("missing required field: title", "/view"))
    for name in ("title", "submit", "close"):
        if view.get(name) is not None:
            problems += check_text(view[name], f"/view/{name}", MODAL_BUTTON_CHARS, plain_only=True)
    if _has_inputs(view) and view.get("submit") is None:
        problems.append(error("must provide submit when the view has input blocks", "/view/submit"))
    return problems


def check_view(view: Any, expected_type: str) -> None:
    """Raise Slack's error for a view it would refuse; return quietly when it is fine."""
    if not isinstance(view, dict):
        raise invalid("invalid_arguments", [error("must provide an object", "/view")])
    if len(json.dumps(view)) > MAX_VIEW_BYTES:
        raise SlackError("view_too_large")
    if view.get("type") != expected_type:
        raise invalid(
            "invalid_arguments", [error("failed to match all allowed schemas", "/view/type")]
        )
    problems = _check_modal_chrome(view) if expected_type == "modal" else []
    if "blocks" not in view:
        problems.append(error("missing required field: blocks", "/view"))
    else:
        problems += check_blocks(view["blocks"], "/view/blocks", MAX_VIEW_BLOCKS)
    problems += _check_strings(view)
    if problems:
        raise invalid("invalid_arguments", problems)
