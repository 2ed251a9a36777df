"""Errors become a sentence where the user is. Syncbot's typed errors say what to do; anything
else gets a short correlation id (logged with the stack trace, never shown).

Two doors: `@app.error` for listeners that run inside the request, and `reported` for lazy
listeners, whose exceptions Bolt only logs."""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from sync.errors import SyncbotError

log = logging.getLogger(__name__)


def user_message(error: Exception) -> tuple[str, str | None]:
    """(sentence, correlation id or None)."""
    if isinstance(error, SyncbotError):
        return error.message, None
    ref = uuid.uuid4().hex[:8]
    return (
        f"Something went wrong on syncbot's side (reference {ref}). "
        "Try again, or give your admin the reference.",
        ref,
    )


def _tell(error: Exception, respond: Any) -> None:
    text, ref = user_message(error)
    if ref is not None:
        log.error("unexpected error (reference %s)", ref, exc_info=error)
    if respond is not None:
        respond(text=text, response_type="ephemeral", replace_original=False)


def reported(function: Callable[..., None]) -> Callable[..., None]:
    """For lazy listeners: an exception is answered through `respond` (when there is one)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            function(*args, **kwargs)
        except Exception as exc:  # the boundary: every failure reaches the user as a sentence
            _tell(exc, kwargs.get("respond"))

    return wrapper


def register(app: App) -> None:
    @app.error
    def handle(error: Exception, body: dict[str, Any], context: Any) -> BoltResponse:
        respond = context.get("respond") if _has_response_url(body) else None
        _tell(error, respond)
        return BoltResponse(status=200, body="")


def _has_response_url(body: dict[str, Any]) -> bool:
    return bool(body.get("response_url") or body.get("response_urls"))
