"""Error DMs: one message per workflow incident, updated in place, resolved; buttons turn
into outcomes; the rows' editor hears about their rows; mute; an uninstalled workspace
gets nothing."""

from __future__ import annotations

from handlers.ids import ActionId
from sandbox.slack import SlackUser
from sync.ports import ErrorReport
from sync.services import Actor
from tests.integration.slack.conftest import RunningBot


def row_error(
    wf: int, key: str, message: str = "Amount: not a number", **extra: object
) -> ErrorReport:
    return ErrorReport(wf, "Won deals", "row", key, "conversion", message, **extra)  # type: ignore[arg-type]


def dms(bot: RunningBot, user: SlackUser) -> list[dict]:
    return bot.slack.messages(bot.slack.dm_channel(user.user_id))


def test_a_thousand_row_errors_make_one_short_dm(bot: RunningBot, alice: SlackUser) -> None:
    wf = bot.workflow(alice.user_id)

    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, str(n)) for n in range(1000)])

    [dm] = dms(bot, alice)
    assert len(bot.slack.calls_to("chat.postMessage")) == 1
    assert len(bot.slack.calls_to("views.publish")) == 1  # App Home republished after the DM
    assert len(dm["text"]) <= 150 and "1000 row errors" in dm["text"]
    assert "and 995 more" in str(dm["blocks"])
    assert [
        e["action_id"] for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"]
    ] == ["workflow_errors", "open_sheet", "workflow_pause", "workflow_dm_mode"]


def test_new_errors_update_the_message_and_the_end_is_resolved(
    bot: RunningBot, alice: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id)
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "1")])
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "1")])  # the same again
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "2")])
    two = dms(bot, alice)[0]["text"]

    bot.notifier.notify(
        alice.team_id,
        alice.user_id,
        [row_error(wf, key, resolved=True) for key in ("1", "2")],
    )

    [dm] = dms(bot, alice)
    assert len(bot.slack.calls_to("chat.postMessage")) == 1
    assert len(bot.slack.calls_to("chat.update")) == 2
    assert "2 row errors" in two
    assert dm["text"].startswith("Resolved") and "resolved" in str(dm["blocks"])


def test_an_auth_failure_offers_reconnect(bot: RunningBot, alice: SlackUser) -> None:
    wf = bot.workflow(alice.user_id)

    bot.notifier.notify(
        alice.team_id,
        alice.user_id,
        [
            ErrorReport(
                wf,
                "Won deals",
                "workflow",
                "",
                "auth_revoked",
                "Salesforce refused the saved sign-in.",
            )
        ],
    )

    [dm] = dms(bot, alice)
    assert "Reconnect the account" in str(dm["blocks"])
    alice.click(ActionId.RECONNECT, value=str(wf))
    prompt = bot.slack.wait_for_response()
    assert "Connect Salesforce" in str(prompt.body["blocks"])


def test_pause_from_the_dm_shows_who_paused(bot: RunningBot, alice: SlackUser) -> None:
    wf = bot.workflow(alice.user_id)
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "1")])

    alice.click(ActionId.PAUSE, value=str(wf))
    reply = bot.slack.wait_for_response()

    assert reply.body["replace_original"] is True
    assert f"Paused by <@{alice.user_id}>" in str(reply.body["blocks"])
    assert "workflow_pause" not in str(reply.body["blocks"])
    assert bot.services.summary(Actor(alice.team_id, alice.user_id), wf).status == "paused"


def test_muted_workflows_send_no_dm(bot: RunningBot, alice: SlackUser) -> None:
    wf = bot.workflow(alice.user_id)
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "1")])
    [dm] = dms(bot, alice)
    alice.click(ActionId.DM_MODE, selected=f"mute:{wf}", message_ts=dm["ts"])
    reply = bot.slack.wait_for_response()

    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "2")])

    assert f"Mute chosen by <@{alice.user_id}>" in str(reply.body["blocks"])
    assert "no DMs about it" in str(reply.body["blocks"])
    assert "workflow_dm_mode" not in str(reply.body["blocks"])  # no live menu after use
    assert bot.slack.calls_to("chat.update") == []
    assert len(bot.slack.calls_to("chat.postMessage")) == 1


def test_a_new_error_after_pause_keeps_the_outcome_not_live_buttons(
    bot: RunningBot, alice: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id)
    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "1")])
    alice.click(ActionId.PAUSE, value=str(wf))
    bot.slack.wait_for_response()

    bot.notifier.notify(alice.team_id, alice.user_id, [row_error(wf, "2")])

    [dm] = dms(bot, alice)
    assert "2 row errors" in dm["text"]
    assert f"Paused by <@{alice.user_id}>" in str(dm["blocks"])
    assert "workflow_pause" not in str(dm["blocks"])


def test_the_rows_editor_gets_a_dm_about_their_rows(
    bot: RunningBot, alice: SlackUser, carol: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id)
    email = bot.slack.users[carol.user_id].email

    bot.notifier.notify(
        alice.team_id,
        alice.user_id,
        [
            row_error(wf, "1", editor_email=email),
            row_error(wf, "2", editor_email="nobody@else.example"),
        ],
    )

    [to_carol] = dms(bot, carol)
    assert "Rows you edited" in str(to_carol["blocks"]) and "record 1" in str(to_carol["blocks"])
    assert "record 2" not in str(to_carol["blocks"])


def test_through_the_engine_a_bad_cell_gets_a_dm_then_resolved(
    bot: RunningBot, alice: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id)
    sheet = bot.services.summary(Actor(alice.team_id, alice.user_id), wf).sheet_id
    bot.engine.tick()
    row = bot.box.smartsheet.sheet_rows(sheet)[0]["id"]

    bot.box.smartsheet.edit_cells(sheet, row, {"Amount": "lots"})
    bot.engine.tick()
    failing = dms(bot, alice)
    bot.box.smartsheet.edit_cells(sheet, row, {"Amount": 1234})
    bot.engine.tick()

    [dm] = dms(bot, alice)
    assert len(failing) == 1 and "1 row error" in failing[0]["text"]
    assert "lots" in str(failing[0]["blocks"])
    assert f"?rowId={row}|row {row}>" in str(failing[0]["blocks"])  # the row itself, linked
    assert len(bot.slack.calls_to("chat.postMessage")) == 1
    assert dm["text"].startswith("Resolved")
