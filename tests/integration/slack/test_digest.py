"""The daily digest: each user picks per workflow a DM per incident, a daily digest or
mute (from the error DM or App Home); digest readers get one DM a day at the digest hour
listing the day's incidents; incidents are recorded whatever the choice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.ids import ActionId
from sandbox.slack import SlackUser
from sync.services import Actor
from tests.conftest import FakeClock
from tests.integration.slack.conftest import RunningBot
from tests.integration.slack.test_error_dms import dms, row_error
from tests.integration.slack.test_manifest_and_lifecycle import eventually, send_event

EARLY = datetime(2026, 11, 2, 7, 30, tzinfo=UTC)  # before the 09:00 UTC digest


def on_digest(bot: RunningBot, alice: SlackUser, name: str = "Won deals") -> int:
    wf = bot.workflow(alice.user_id, name=name)
    bot.services.set_dm_mode(Actor(alice.team_id, alice.user_id), wf, "digest")
    return wf


def at_the_digest_hour_with_an_incident(bot: RunningBot, alice: SlackUser) -> tuple[FakeClock, int]:
    """09:00 UTC, one workflow on the digest with one open row error."""
    clock = FakeClock(EARLY.replace(hour=9))
    bot.notifier.clock = clock
    wf = on_digest(bot, alice)
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "1")])
    return clock, wf


def test_digest_chosen_from_the_dm_shows_the_choice_and_stops_dms(
    bot: RunningBot, alice: SlackUser
) -> None:
    bot.notifier.clock = FakeClock(EARLY)
    wf = bot.workflow(alice.user_id)
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "1")])
    [dm] = dms(bot, alice)

    alice.click(ActionId.DM_MODE, selected=f"digest:{wf}", message_ts=dm["ts"])
    reply = bot.slack.wait_for_response()
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "2")])

    assert reply.body["replace_original"] is True
    assert f"Daily digest chosen by <@{alice.user_id}>" in str(reply.body["blocks"])
    assert "App Home" in str(reply.body["blocks"])  # where to change it again
    assert "workflow_dm_mode" not in str(reply.body["blocks"])
    assert bot.services.dm_modes(Actor(alice.team_id, alice.user_id)) == {wf: "digest"}
    assert len(bot.slack.calls_to("chat.postMessage")) == 1
    assert bot.slack.calls_to("chat.update") == []


def test_one_digest_a_day_at_the_hour_listing_the_days_incidents(
    bot: RunningBot, alice: SlackUser
) -> None:
    clock = FakeClock(EARLY)
    bot.notifier.clock = clock
    failing, fixed = on_digest(bot, alice, "Won deals"), on_digest(bot, alice, "Renewals")
    bot.notifier.notify(
        alice.team_id, alice.user_id, [row_error(failing, str(n)) for n in range(7)]
    )
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(fixed, "1")])
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(fixed, "1", resolved=True)])
    assert dms(bot, alice) == []  # recorded, not sent

    early = bot.notifier.send_digests()
    clock.current = EARLY.replace(hour=9)
    sent = bot.notifier.send_digests()
    again = bot.notifier.send_digests()

    [digest] = dms(bot, alice)
    blocks = str(digest["blocks"])
    assert (early, sent, again) == (0, 1, 0)
    assert len(digest["text"]) <= 150
    assert (
        digest["text"]
        == "syncbot daily digest 2026-11-02: 2 incidents in 2 workflows, 1 still open"
    )
    assert "Won deals" in blocks and "7 rows could not be synced" in blocks and "open" in blocks
    assert "Renewals" in blocks and "resolved" in blocks
    buttons = [
        e["value"]
        for b in digest["blocks"]
        if b.get("accessory", {}).get("action_id") == ActionId.VIEW_ERRORS
        for e in [b["accessory"]]
    ]
    assert buttons == [str(failing), str(fixed)]


def test_the_next_day_brings_only_new_incidents_and_none_when_quiet(
    bot: RunningBot, alice: SlackUser
) -> None:
    clock, wf = at_the_digest_hour_with_an_incident(bot, alice)
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "1", resolved=True)])
    first = bot.notifier.send_digests()

    clock.current += timedelta(days=1, hours=1)
    quiet = bot.notifier.send_digests()

    assert (first, quiet) == (1, 0)
    assert len(dms(bot, alice)) == 1


def test_view_errors_from_the_digest_lists_the_open_errors(
    bot: RunningBot, alice: SlackUser
) -> None:
    bot.notifier.clock = FakeClock(EARLY.replace(hour=10))
    wf = on_digest(bot, alice)
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "1")])
    bot.notifier.send_digests()
    [digest] = dms(bot, alice)

    alice.click(ActionId.VIEW_ERRORS, value=str(wf), message_ts=digest["ts"])
    reply = bot.slack.wait_for_response()

    assert reply.body.get("replace_original") is False
    assert "error" in reply.body["text"].lower()


def test_muted_workflows_are_recorded_but_neither_dmed_nor_digested(
    bot: RunningBot, alice: SlackUser
) -> None:
    bot.notifier.clock = FakeClock(EARLY.replace(hour=9))
    wf = bot.workflow(alice.user_id)
    bot.services.set_dm_mode(Actor(alice.team_id, alice.user_id), wf, "mute")

    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "1")])

    assert bot.notifier.send_digests() == 0
    assert dms(bot, alice) == []
    assert bot.services.errors(Actor(alice.team_id, alice.user_id), wf) is not None


def test_digest_chosen_in_app_home_republishes_the_menu_on_the_choice(
    bot: RunningBot, alice: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id)
    alice.open_home()
    bot.slack.wait_for_call("views.publish")

    sent = alice.click(ActionId.DM_MODE, selected=f"digest:{wf}", block_id=f"dm_mode_{wf}")
    bot.slack.wait_for_call("views.publish", after=sent.calls_before)

    home = bot.slack.home_view(alice.user_id)
    assert home is not None
    [menu] = [
        e for b in home["blocks"] if b.get("block_id") == f"dm_mode_{wf}" for e in b["elements"]
    ]
    assert menu["initial_option"]["value"] == f"digest:{wf}"
    assert bot.services.dm_modes(Actor(alice.team_id, alice.user_id)) == {wf: "digest"}


def test_an_uninstalled_workspace_gets_no_digest(bot: RunningBot, alice: SlackUser) -> None:
    bot.notifier.clock = FakeClock(EARLY.replace(hour=9))
    wf = on_digest(bot, alice)
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "1")])
    bot.slack.revoke_token(bot.slack.bot_token_for(alice.team_id))

    assert send_event(alice, {"type": "app_uninstalled"}) == 200
    eventually(lambda: bot.services.summary(Actor(alice.team_id, "x", True), wf).status == "paused")

    assert bot.notifier.send_digests() == 0
    assert dms(bot, alice) == []


def test_a_digest_slack_refused_goes_at_the_next_run_once(
    bot: RunningBot, alice: SlackUser
) -> None:
    clock, _wf = at_the_digest_hour_with_an_incident(bot, alice)
    bot.slack.control.inject(
        "chat.postMessage", status=200, body={"ok": False, "error": "internal_error"}
    )

    refused = bot.notifier.send_digests()
    clock.advance(3600)  # the next hourly run
    sent = bot.notifier.send_digests()
    again = bot.notifier.send_digests()

    assert (refused, sent, again) == (0, 1, 0)
    [digest] = dms(bot, alice)
    assert digest["text"].startswith("syncbot daily digest 2026-11-02: 1 incident")
