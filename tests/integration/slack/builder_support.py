"""Driving the workflow builder as a person would, through the sandbox SlackUser."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from handlers.builder.ids import CallbackId
from handlers.builder.listeners import BACKFILL_THREAD
from sandbox.slack import SlackUser
from sandbox.slack.models import ApiCall
from sync.progress import ProgressHub
from tests.integration.slack.conftest import RunningBot


def with_builder(bot: RunningBot) -> RunningBot:
    """The composition root's wiring for the builder: connectors and backfill progress."""
    hub = ProgressHub(interval=0.0)
    bot.services.connectors = bot.connectors
    bot.services.progress = hub
    bot.engine.progress = hub
    return bot


def wait_for_backfills(timeout: float = 60.0) -> None:
    """Join the builder's background first syncs still running (see BACKFILL_THREAD)."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name.startswith(BACKFILL_THREAD):
            _join(thread, deadline)
            assert not thread.is_alive(), f"{thread.name} still running after {timeout} s"


def _join(thread: threading.Thread, deadline: float) -> None:
    while True:
        try:
            thread.join(max(0.0, deadline - time.monotonic()))
            return
        except RuntimeError:  # enumerate() also lists a thread that is still starting
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def open_builder(bot: RunningBot, user: SlackUser, text: str = "create") -> str:
    """`/sync create` (or `edit N`): returns the id of the modal once it is filled."""
    sent = user.slash("/sync", text)
    assert sent.status == 200
    bot.slack.wait_for_call("views.update", after=sent.calls_before, timeout=30.0)
    return bot.slack.modal_stack(user.user_id)[-1]


def view(bot: RunningBot, view_id: str) -> dict[str, Any]:
    found: dict[str, Any] = bot.slack.views()[view_id]
    return found


def texts(found: dict[str, Any]) -> str:
    return str(found["blocks"])


def submit(user: SlackUser, view_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """Submit within Slack's 3 seconds; when the ack put up a placeholder, wait for the
    background update that replaces it (as the person would)."""
    result = user.submit(view_id, values)
    assert not result.timed_out, "Slack gave up: no ack within 3 s"
    assert result.status == 200, result.body
    answer: dict[str, Any] = result.json if isinstance(result.json, dict) else {}
    if answer.get("response_action") == "update" and answer["view"]["callback_id"] == (
        CallbackId.LOADING
    ):
        wait_until_filled(user.emulator.views, view_id)
    return answer


def wait_until_filled(
    views: Callable[[], dict[str, Any]], view_id: str, timeout: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if views()[view_id]["callback_id"] != CallbackId.LOADING:
            return
        time.sleep(0.05)
    raise AssertionError(f"view {view_id} stayed on Loading")


def wait_view(
    bot: RunningBot, view_id: str, callback: str, timeout: float = 10.0
) -> dict[str, Any]:
    """The view once a background update has turned it into `callback`'s view."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = view(bot, view_id)
        if found["callback_id"] == callback:
            return found
        time.sleep(0.05)
    raise AssertionError(f"view {view_id} is still {view(bot, view_id)['callback_id']}")


def final_update(bot: RunningBot, after: int, timeout: float = 30.0) -> ApiCall:
    """The backfill message's last chat.update (the summary), waiting for the background."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        updates = [c for c in bot.slack.calls[after:] if c.method == "chat.update"]
        if updates and "is syncing" in updates[-1].args.get("text", ""):
            return updates[-1]
        time.sleep(0.05)
    raise AssertionError([c.method for c in bot.slack.calls[after:]])


def saved(bot: RunningBot, user: SlackUser, view_id: str) -> str:
    """Press Save on the preview: the text of the view that says what was saved."""
    answer = submit(user, view_id, {})
    assert answer.get("response_action") == "update", answer
    return texts(wait_view(bot, view_id, CallbackId.SAVED))
