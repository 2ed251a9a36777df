"""Who is an admin: Slack workspace admins and owners (users.info, cached a few minutes)
plus the people listed in SYNCBOT_ADMINS, who may do what admins do without being Slack
admins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.runner import Sandbox
from sandbox.slack import SlackEmulator, SlackUser
from sync.store.repo import Store
from tests.integration.slack.conftest import ACME, RunningBot


@pytest.fixture
def bot_dave_admin(slack: SlackEmulator, sandbox: Sandbox, store: Store) -> Iterator[RunningBot]:
    """The bot with Dave (a plain Slack member) in SYNCBOT_ADMINS."""
    running = RunningBot(sandbox, store, admins=slack.user_id(ACME, "dave"))
    running.install(ACME, "alice")
    yield running
    running.stop()


def reply_text(bot: RunningBot, after: int) -> str:
    return str(bot.slack.wait_for_response(after=after).body)


def test_someone_in_syncbot_admins_may_list_everyones_workflows(
    bot_dave_admin: RunningBot,
) -> None:
    bot = bot_dave_admin
    dave, carol = bot.user("dave"), bot.user("carol")
    bot.workflow(carol.user_id, name="Carol's deals")

    dave.slash("/sync", "list all")
    everyone = reply_text(bot, 0)
    asked = [c.args.get("user") for c in bot.slack.calls_to("users.info")]

    assert not bot.slack.users[dave.user_id].is_admin  # not a Slack admin
    assert "Carol's deals" in everyone and "All workflows" in everyone
    assert dave.user_id not in asked  # listed: Slack is not asked


def test_slack_admins_are_asked_once_then_remembered(bot: RunningBot, alice: SlackUser) -> None:
    bob, carol = bot.user("bob"), bot.user("carol")
    bot.workflow(carol.user_id, name="Carol's deals")

    for n in range(3):
        bob.slash("/sync", "list all")
        assert "Carol's deals" in reply_text(bot, n)  # bob is a Slack admin
    carol.slash("/sync", "list all")
    refused = reply_text(bot, 3)

    asked = [c.args.get("user") for c in bot.slack.calls_to("users.info")]
    assert asked.count(bob.user_id) == 1  # cached: three commands, one users.info
    assert "Only syncbot admins" in refused
