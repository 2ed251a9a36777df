"""Slack's rate limits (HTTP 429 with Retry-After, error `ratelimited`) are honoured by
every client syncbot talks to Slack with: the one that sends DMs and the one Bolt hands
listeners. slack_sdk's RateLimitErrorRetryHandler waits Retry-After, then sends again."""

from __future__ import annotations

from sandbox.slack import SlackUser
from sync.ports import ErrorReport
from tests.integration.slack.conftest import RunningBot


def statuses(bot: RunningBot, method: str) -> list[int]:
    return [c.status for c in bot.slack.calls_to(method)]


def test_an_error_dm_slack_rate_limits_goes_after_retry_after(
    bot: RunningBot, alice: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id)
    bot.slack.control.inject("chat.postMessage", 429, headers={"Retry-After": "1"})

    report = ErrorReport(wf, "wf", "row", "1", "conversion", "Amount: not a number")
    bot.notifier.notify(alice.team_id, alice.user_id, [report])

    assert statuses(bot, "chat.postMessage") == [429, 200]  # waited, then sent once more
    [dm] = bot.slack.messages(bot.slack.dm_channel(alice.user_id))
    assert "row error" in dm["text"]


def test_a_rate_limited_app_home_publish_is_sent_again(bot: RunningBot, alice: SlackUser) -> None:
    bot.workflow(alice.user_id, name="Won deals")
    bot.slack.control.inject("views.publish", 429, headers={"Retry-After": "1"})

    start = len(bot.slack.calls)
    alice.open_home()
    first = bot.slack.wait_for_call("views.publish", after=start)
    bot.slack.wait_for_call("views.publish", after=bot.slack.calls.index(first) + 1)

    assert statuses(bot, "views.publish") == [429, 200]
    assert "Won deals" in str(bot.slack.home_view(alice.user_id))
