"""App Home is republished after a change to a workflow — for its owner and for the
admin who acted — and not when the tab would show the same thing."""

from __future__ import annotations

import time
from typing import Any

from handlers.ids import ActionId
from sandbox.slack import SlackUser
from sync.services import Actor
from tests.integration.slack.conftest import RunningBot


def publishes(bot: RunningBot, after: int = 0, until: int | None = None) -> list[dict[str, Any]]:
    return [c.args for c in bot.slack.calls[after:until] if c.method == "views.publish"]


def published_to(bot: RunningBot, after: int, until: int | None = None) -> list[str]:
    return sorted(str(p["user_id"]) for p in publishes(bot, after, until))


def settle() -> None:
    for _ in range(20):  # lazy listeners run after the ack; give them their turn
        time.sleep(0.05)


def home_text(bot: RunningBot, user: SlackUser) -> str:
    return str(bot.slack.home_view(user.user_id))


def test_pause_and_resume_republish_the_owners_tab(bot: RunningBot, carol: SlackUser) -> None:
    wf = bot.workflow(carol.user_id, name="Carol's deals")

    start = len(bot.slack.calls)
    carol.slash("/sync", f"pause {wf}")
    bot.slack.wait_for_response()
    paused = home_text(bot, carol)
    after_pause = len(bot.slack.calls)
    carol.slash("/sync", f"pause {wf}")  # nothing new to show
    bot.slack.wait_for_response(after=1)
    settle()
    again = published_to(bot, after_pause)
    carol.slash("/sync", f"resume {wf}")
    bot.slack.wait_for_response(after=2)

    assert published_to(bot, start, after_pause) == [carol.user_id]
    assert "Carol's deals" in paused and "paused" in paused
    assert again == []  # the same tab is not sent twice
    assert "paused" not in home_text(bot, carol)


def test_an_admin_pausing_someone_elses_workflow_refreshes_both_tabs(
    bot: RunningBot, alice: SlackUser, carol: SlackUser
) -> None:
    wf = bot.workflow(carol.user_id, name="Carol's deals")

    start = len(bot.slack.calls)
    alice.slash("/sync", f"pause {wf}")
    bot.slack.wait_for_response()

    assert published_to(bot, start) == sorted([alice.user_id, carol.user_id])
    assert "paused" in home_text(bot, carol)
    assert "API use today" in home_text(bot, alice)  # the admin's own tab, as an admin
    assert "API use today" not in home_text(bot, carol)


def test_delete_from_the_confirmation_removes_it_from_the_tab(
    bot: RunningBot, alice: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id, name="Doomed")
    alice.open_home()
    bot.slack.wait_for_call("views.publish")
    assert "Doomed" in home_text(bot, alice)

    alice.slash("/sync", f"delete {wf}")
    bot.slack.wait_for_response()
    alice.click(ActionId.DELETE, value=str(wf))
    bot.slack.wait_for_response(after=1)

    assert "Doomed" not in home_text(bot, alice)


def test_run_and_transfer_republish(bot: RunningBot, alice: SlackUser, carol: SlackUser) -> None:
    wf = bot.workflow(alice.user_id, name="Handover")
    bot.connect(carol.user_id)

    start = len(bot.slack.calls)
    alice.slash("/sync", f"run {wf}")
    bot.slack.wait_for_response()
    ran = published_to(bot, start)
    before = len(bot.slack.calls)
    alice.slash("/sync", f"transfer {wf} <@{carol.user_id}>")
    bot.slack.wait_for_response(after=1)

    assert ran == [alice.user_id]
    assert published_to(bot, before) == sorted([alice.user_id, carol.user_id])
    assert "Handover" in home_text(bot, carol)
    assert "Handover" not in home_text(bot, alice)  # no longer hers


def test_a_new_incident_and_its_resolution_republish_the_owners_tab(
    bot: RunningBot, carol: SlackUser
) -> None:
    wf = bot.workflow(carol.user_id, name="Carol's deals")
    sheet = bot.services.summary(Actor(carol.team_id, carol.user_id), wf).sheet_id
    bot.engine.tick()
    row = bot.box.smartsheet.sheet_rows(sheet)[0]["id"]

    bot.box.smartsheet.edit_cells(sheet, row, {"Amount": "lots"})
    start = len(bot.slack.calls)
    bot.engine.tick()
    failing = home_text(bot, carol)
    bot.box.smartsheet.edit_cells(sheet, row, {"Amount": 1234})
    resolved_at = len(bot.slack.calls)
    bot.engine.tick()

    assert published_to(bot, start, resolved_at) == [carol.user_id]
    assert "Needs attention" in failing and "1 open error" in failing
    assert published_to(bot, resolved_at) == [carol.user_id]
    assert "Needs attention" not in home_text(bot, carol)
