"""Two publishes of one App Home tab that cross: the tab ends on the newer data, within one
instance (one publish at a time per tab) and across instances (Slack's `hash` check on
views.publish: a stale publish gets `hash_conflict` and is built again from fresh data)."""

from __future__ import annotations

from bot.wiring import build_services
from sandbox.slack import SlackUser
from sync.services import Actor
from tests.integration.slack.conftest import RunningBot, home_text, wait_until


def publishes_since(bot: RunningBot, start: int) -> list[dict]:
    return [c.response for c in bot.slack.calls[start:] if c.method == "views.publish"]


def test_a_slow_publish_of_an_older_tab_does_not_cover_a_newer_one(
    bot: RunningBot, carol: SlackUser
) -> None:
    wf = bot.workflow(carol.user_id, name="Carol's deals")
    carol.open_home()
    bot.slack.wait_for_call("views.publish")
    start = len(bot.slack.calls)

    held = bot.slack.control.slow("views.publish", 1.0)  # the pause's republish dawdles
    carol.slash("/sync", f"pause {wf}")
    wait_until(lambda: held.times == 0, "the paused tab to reach Slack")
    carol.slash("/sync", f"resume {wf}")  # resumed while the paused tab is on its way
    wait_until(lambda: len(publishes_since(bot, start)) == 2, "both publishes")

    assert all(answer["ok"] for answer in publishes_since(bot, start))
    assert "Carol's deals" in home_text(bot, carol)
    assert "paused" not in home_text(bot, carol)  # the newer (resumed) tab stays


def test_a_stale_publish_from_another_instance_is_rebuilt_from_fresh_data(
    bot: RunningBot, carol: SlackUser
) -> None:
    wf = bot.workflow(carol.user_id, name="Carol's deals")
    other = build_services(bot.settings, bot.store, bot.engine, bot.connectors)  # instance 2
    carol.open_home()  # instance 1 knows the tab's hash
    bot.slack.wait_for_call("views.publish")
    start = len(bot.slack.calls)

    held = bot.slack.control.slow("views.publish", 1.0)
    carol.slash("/sync", f"pause {wf}")  # instance 1 republishes "paused", slowly
    wait_until(lambda: held.times == 0, "the paused tab to reach Slack")
    other.resume(Actor(carol.team_id, carol.user_id), wf)  # instance 2 publishes at once
    wait_until(lambda: len(publishes_since(bot, start)) == 3, "the rebuilt publish")

    answers = publishes_since(bot, start)
    assert [a.get("error") for a in answers] == [None, "hash_conflict", None]
    assert "Carol's deals" in home_text(bot, carol)
    assert "paused" not in home_text(bot, carol)  # instance 1 rebuilt it: still resumed
