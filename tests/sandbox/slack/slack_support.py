"""Helpers for the Slack emulator tests: a fake clock, serving, recorded fixtures, shapes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sandbox.server import BackgroundServer
from sandbox.slack import SlackEmulator

RECORDED = Path(__file__).resolve().parents[2] / "fixtures" / "recorded" / "slack"


class FakeClock:
    """Time that moves only when a test says so (trigger and code expiry)."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def serve(emulator: SlackEmulator) -> Iterator[SlackEmulator]:
    server = BackgroundServer(emulator).start()
    emulator.base_url = server.url
    try:
        yield emulator
    finally:
        server.stop()


def recorded_examples(method: str) -> list[dict[str, Any]]:
    """The documented response examples of a method (stored as JSON strings)."""
    data = json.loads((RECORDED / f"{method}.json").read_text())
    return [json.loads(e) for e in data["response"]["examples"]]


def recorded_success(method: str) -> dict[str, Any]:
    return next(e for e in recorded_examples(method) if e.get("ok"))


def recorded_view(name: str) -> dict[str, Any]:
    return json.loads((RECORDED / f"{name}.json").read_text())


def recorded_output_schema(method: str) -> dict[str, Any]:
    data = json.loads((RECORDED / "docs.slack.dev" / f"{method}.json").read_text())
    return data["output"]


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def assert_same_shape(
    actual: Any, example: Any, path: str = "$", optional: frozenset[str] = frozenset()
) -> None:
    """Every key of the recorded example is present in ``actual`` with a compatible type.

    ``optional`` names paths (like ``$.message.attachments``) that only that example had.
    Null on either side matches anything, as Slack's nullable fields do.
    """
    if path in optional or actual is None or example is None:
        return
    assert _kind(actual) == _kind(example), f"{path}: {_kind(actual)} != {_kind(example)}"
    if isinstance(example, dict):
        for key, value in example.items():
            sub = f"{path}.{key}"
            if sub in optional:
                continue
            assert key in actual, f"{sub} missing (have {sorted(actual)})"
            assert_same_shape(actual[key], value, sub, optional)
    elif isinstance(example, list) and example and actual:
        assert_same_shape(actual[0], example[0], path + "[0]", optional)
