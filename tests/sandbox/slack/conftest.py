"""Fixtures for the Slack emulator tests: a served emulator, real WebClients, a fake clock.

One emulator is served for the whole session and reset before each test: stopping a
werkzeug server waits out its half-second poll, which would dominate the suite's time.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_support import FakeClock, serve

from sandbox.slack import SlackEmulator


@pytest.fixture(scope="session")
def _served() -> Iterator[tuple[SlackEmulator, FakeClock]]:
    clock = FakeClock()
    for emulator in serve(SlackEmulator(clock=clock)):
        yield emulator, clock


@pytest.fixture
def clock(_served: tuple[SlackEmulator, FakeClock]) -> FakeClock:
    return _served[1]


@pytest.fixture
def slack(_served: tuple[SlackEmulator, FakeClock]) -> SlackEmulator:
    emulator, clock = _served
    clock.now = FakeClock().now
    emulator.reset()
    return emulator


@pytest.fixture
def client(slack: SlackEmulator) -> WebClient:
    """The app's bot in Acme, as the real SDK talks to Slack."""
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


@pytest.fixture
def alice(slack: SlackEmulator) -> str:
    return slack.user_id("T0SANDBOX1", "alice")
