"""Slack's error answers: HTTP 200 with ``{"ok": false, "error": "<code>", ...}``."""

from __future__ import annotations

from typing import Any


class SlackError(Exception):
    """Raised by a method handler; rendered as Slack's ``ok: false`` body."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.extra}


def invalid(error: str, messages: list[str]) -> SlackError:
    """An error carrying Slack's validation detail in ``response_metadata.messages``."""
    return SlackError(error, response_metadata={"messages": messages})


def missing_field(name: str) -> SlackError:
    return invalid("invalid_arguments", [f"[ERROR] missing required field: {name}"])
