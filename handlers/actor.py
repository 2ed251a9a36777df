"""The caller as the service layer sees it, put on the context by bot/app.py's middleware."""

from __future__ import annotations

from typing import Any

from sync.errors import NotAllowed
from sync.services import Actor


def actor_of(context: Any) -> Actor:
    actor = context.get("actor")
    if not isinstance(actor, Actor):
        raise NotAllowed("This request does not come from a Slack user syncbot knows.")
    return actor
