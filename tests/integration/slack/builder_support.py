"""Driving the workflow builder as a person would, through the sandbox SlackUser."""

from __future__ import annotations

from typing import Any

from sandbox.slack import SlackUser
from sync.progress import ProgressHub
from tests.integration.slack.conftest import RunningBot


def with_builder(bot: RunningBot) -> RunningBot:
    """The composition root's wiring for the builder: connectors and backfill progress."""
    hub = ProgressHub(interval=0.0)
    bot.services.connectors = bot.connectors
    bot.services.progress = hub
    bot.engine.progress = hub
    return bot


def open_builder(bot: RunningBot, user: SlackUser, text: str = "create") -> str:
    """`/sync create` (or `edit N`): returns the id of the modal once it is filled."""
    sent = user.slash("/sync", text)
    assert sent.status == 200
    bot.slack.wait_for_call("views.update", after=sent.calls_before)
    return bot.slack.modal_stack(user.user_id)[-1]


def view(bot: RunningBot, view_id: str) -> dict[str, Any]:
    found: dict[str, Any] = bot.slack.views()[view_id]
    return found


def texts(found: dict[str, Any]) -> str:
    return str(found["blocks"])


def submit(user: SlackUser, view_id: str, values: dict[str, Any]) -> dict[str, Any]:
    result = user.submit(view_id, values)
    assert result.status == 200, result.body
    answer: dict[str, Any] = result.json if isinstance(result.json, dict) else {}
    return answer
