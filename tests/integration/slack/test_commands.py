"""`/sync` over signed HTTP against the real Bolt app: help, mistakes, list, show, pause,
resume, run, delete, errors; foreign ids; bad signatures."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from handlers.ids import ActionId
from sandbox.slack import SlackUser
from sync.services import Actor
from sync.store import ledger
from sync.store.locks import group_locks
from tests.integration.slack.conftest import GLOBEX, RunningBot


def test_help_is_answered_in_the_ack(bot: RunningBot, alice: SlackUser) -> None:
    sent = alice.slash("/sync", "help")

    assert sent.status == 200
    assert "`/sync connect`" in str(sent.json["blocks"])
    assert len(sent.json["text"]) <= 150


def test_an_unknown_verb_gets_help_with_the_closest_verb(bot: RunningBot, alice: SlackUser) -> None:
    sent = alice.slash("/sync", "lsit")

    assert sent.status == 200
    assert "Did you mean `/sync list`?" in sent.json["text"]


def test_a_request_with_a_bad_signature_is_refused(bot: RunningBot, alice: SlackUser) -> None:
    impostor = SlackUser(
        bot.slack,
        bot.events_url,
        team_id=alice.team_id,
        user_id=alice.user_id,
        signing_secret="not-the-secret",
    )

    answer = impostor.slash("/sync", "list")

    assert answer.status == 401
    assert bot.slack.responses == []


def test_list_shows_the_callers_workflows(bot: RunningBot, alice: SlackUser) -> None:
    bot.workflow(alice.user_id, name="Won deals")

    sent = alice.slash("/sync", "list")
    reply = bot.slack.wait_for_response()

    assert sent.status == 200
    blocks = str(reply.body["blocks"])
    assert "Won deals" in blocks and "Opportunity" in blocks and "active" in blocks


def reply_text(bot: RunningBot, after: int = 0) -> str:
    reply = bot.slack.wait_for_response(after=after)
    return str(reply.body.get("text")) + " " + str(reply.body.get("blocks", ""))


def test_show_names_the_fields_and_the_owner(bot: RunningBot, alice: SlackUser) -> None:
    wf = bot.workflow(alice.user_id, name="Won deals")

    alice.slash("/sync", f"show {wf}")

    text = reply_text(bot)
    assert "Won deals" in text and "Name → *Deal*" in text and f"<@{alice.user_id}>" in text


def test_someone_elses_workflow_does_not_exist_for_a_plain_member(
    bot: RunningBot, alice: SlackUser, carol: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id, name="Alice's")

    for verb in ("show", "pause", "run", "delete", "errors"):
        before = len(bot.slack.responses)
        carol.slash("/sync", f"{verb} {wf}")
        assert reply_text(bot, before).startswith(f"There is no workflow {wf} that you can see.")
    before = len(bot.slack.responses)
    carol.slash("/sync", "list")
    assert "no workflows yet" in reply_text(bot, before)
    assert bot.services.list_workflows(bot_actor(alice))[0].status == "active"


def bot_actor(user: SlackUser) -> Actor:
    return Actor(user.team_id, user.user_id, is_admin=True)


def test_an_admin_lists_everyones_workflows_a_member_may_not(
    bot: RunningBot, alice: SlackUser, carol: SlackUser
) -> None:
    bot.workflow(carol.user_id, name="Carol's deals")

    alice.slash("/sync", "list all")
    everyone = reply_text(bot)
    carol.slash("/sync", "list all")
    refused = reply_text(bot, 1)

    assert "Carol's deals" in everyone and "All workflows" in everyone
    assert "Only syncbot admins" in refused


def test_pause_then_resume(bot: RunningBot, alice: SlackUser) -> None:
    wf = bot.workflow(alice.user_id)

    alice.slash("/sync", f"pause {wf}")
    paused = reply_text(bot)
    state_after_pause = bot.services.summary(bot_actor(alice), wf).status
    alice.slash("/sync", f"resume {wf}")
    resumed = reply_text(bot, 1)

    assert f"Workflow {wf}" in paused and "paused" in paused
    assert state_after_pause == "paused"
    assert "syncing again" in resumed and f"paused by <@{alice.user_id}>" in resumed
    assert bot.services.summary(bot_actor(alice), wf).status == "active"


def test_run_acks_at_once_then_reports_the_counts(bot: RunningBot, alice: SlackUser) -> None:
    wf = bot.workflow(alice.user_id)
    expected = (
        len(bot.box.salesforce.query_ids("Opportunity"))
        if hasattr(bot.box.salesforce, "query_ids")
        else None
    )

    sent = alice.slash("/sync", f"run {wf}")
    text = reply_text(bot)

    assert sent.body == f"Running workflow {wf} now…"
    assert f"Workflow {wf} synced:" in text
    added = int(text.split(" rows added")[0].rsplit(" ", 1)[1])
    assert added > 0 and (expected is None or added == expected)


def test_delete_asks_first_then_deletes_keeping_the_rows(bot: RunningBot, alice: SlackUser) -> None:
    wf = bot.workflow(alice.user_id, name="Doomed")

    alice.slash("/sync", f"delete {wf}")
    prompt = reply_text(bot)
    alice.click(ActionId.DELETE, value=str(wf))
    done = reply_text(bot, 1)

    assert "Rows in the sheet and records in Salesforce stay" in prompt
    assert f"Workflow {wf} (Doomed) is deleted" in done
    assert bot.services.list_workflows(bot_actor(alice)) == []


def test_the_overflow_menu_pauses(bot: RunningBot, alice: SlackUser) -> None:
    wf = bot.workflow(alice.user_id)
    alice.slash("/sync", "list")
    reply_text(bot)

    clicked = alice.click(ActionId.WORKFLOW_MENU, selected=f"pause:{wf}")

    assert clicked.status == 200
    assert "is paused" in reply_text(bot, 1)


def test_a_long_list_pages(bot: RunningBot, alice: SlackUser) -> None:
    for n in range(12):
        bot.workflow(alice.user_id, name=f"wf-{n:02d}")

    alice.slash("/sync", "list")
    first = reply_text(bot)
    alice.click(ActionId.LIST_PAGE, value="mine:1")
    second = reply_text(bot, 1)

    assert "wf-00" in first and "wf-09" in first and "wf-10" not in first
    assert "wf-10" in second and "wf-11" in second and "wf-00" not in second


def test_a_second_workspace_sees_nothing_of_the_first(bot: RunningBot, alice: SlackUser) -> None:
    wf = bot.workflow(alice.user_id, name="Acme only")
    erin = bot.install(GLOBEX, "erin")  # Globex's owner: an admin there

    erin.slash("/sync", "list all")
    listed = reply_text(bot)
    erin.slash("/sync", f"show {wf}")
    shown = reply_text(bot, 1)

    assert "Acme only" not in listed and "no workflows yet" in listed
    assert f"There is no workflow {wf} that you can see." in shown


def test_app_home_shows_workflows_connections_and_for_admins_api_use(
    bot: RunningBot, alice: SlackUser
) -> None:
    bot.workflow(alice.user_id, name="Won deals")

    opened = alice.open_home()
    bot.slack.wait_for_call("views.publish", after=opened.calls_before)

    text = str(bot.slack.home_view(alice.user_id))
    assert "Won deals" in text and "Create workflow" in text and "Your connections" in text
    assert "API use today" in text and "calls today" in text


def test_app_home_skips_a_publish_when_nothing_changed(bot: RunningBot, carol: SlackUser) -> None:
    wf = bot.workflow(carol.user_id, name="Carol's")
    first = carol.open_home()
    bot.slack.wait_for_call("views.publish", after=first.calls_before)
    for _ in range(20):  # let any publish still on its way (the new workflow's) land
        time.sleep(0.05)
    shown = len(bot.slack.calls_to("views.publish"))

    carol.open_home()  # the tab already shows exactly this
    for _ in range(20):  # the event runs after the ack; give it its turn
        time.sleep(0.05)
    unchanged = len(bot.slack.calls_to("views.publish")) - shown
    before = len(bot.slack.calls)
    bot.services.pause(Actor(carol.team_id, carol.user_id), wf)  # republishes: it changed
    bot.slack.wait_for_call("views.publish", after=before)

    assert shown >= 1 and unchanged == 0
    assert "paused" in str(bot.slack.home_view(carol.user_id))
    assert "API use today" not in str(bot.slack.home_view(carol.user_id))


def test_an_admin_transfers_to_someone_who_can_edit_the_sheet(
    bot: RunningBot, alice: SlackUser, carol: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id, name="Handover")

    alice.slash("/sync", f"transfer {wf} <@{carol.user_id}>")
    unconnected = reply_text(bot)
    bot.connect(carol.user_id, ss_user="viewer")
    alice.slash("/sync", f"transfer {wf} <@{carol.user_id}>")
    viewer = reply_text(bot, 1)
    bot.connect(carol.user_id, ss_user="owner")
    alice.slash("/sync", f"transfer {wf} <@{carol.user_id}>")
    done = reply_text(bot, 2)
    carol.slash("/sync", f"transfer {wf} <@{alice.user_id}>")
    refused = reply_text(bot, 3)

    assert "must first connect" in unconnected
    assert "cannot edit sheet" in viewer
    assert f"now belongs to <@{carol.user_id}>" in done
    assert "Only syncbot admins can transfer" in refused
    assert bot.services.summary(Actor(carol.team_id, carol.user_id), wf).owner_id == carol.user_id


def test_errors_lists_the_open_errors_newest_first_each_linked_to_its_row(
    bot: RunningBot, alice: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id)
    sheet = bot.services.summary(Actor(alice.team_id, alice.user_id), wf).sheet_id
    bot.engine.tick()
    older, newer = (r["id"] for r in bot.box.smartsheet.sheet_rows(sheet)[:2])
    bot.box.smartsheet.edit_cells(sheet, older, {"Amount": "lots"})
    bot.engine.tick()
    bot.box.smartsheet.edit_cells(sheet, newer, {"Amount": "heaps"})
    bot.engine.tick()

    sent = alice.slash("/sync", f"errors {wf}")
    answer = bot.slack.wait_for_response(after=0).body
    lines = [b["text"]["text"] for b in answer["blocks"][1:]]

    assert sent.status == 200
    assert "2 open errors" in answer["text"]
    assert "heaps" in lines[0] and "lots" in lines[1]  # newest first
    assert f"?rowId={newer}|Row {newer}>" in lines[0]  # a link to the row itself
    assert f"?rowId={older}|Row {older}>" in lines[1]
    assert all("Amount" in line and "since" in line for line in lines)  # field, reason, since


def test_run_while_another_instance_holds_the_group_says_so_and_writes_nothing(
    bot: RunningBot, alice: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id)
    sf_connection = bot.services.show(bot_actor(alice), wf).salesforce
    assert sf_connection is not None
    until = datetime.now(UTC) + timedelta(minutes=5)
    with bot.store.unit() as session:  # another instance's live lease on the group
        ledger.claim_group(session, sf_connection.id, "Opportunity", "other", until, timedelta())
    held = group_locks(bot.store.sessions.kw["bind"]).hold(sf_connection.id, "Opportunity")
    try:
        sent = alice.slash("/sync", f"run {wf}")
        text = reply_text(bot)
    finally:
        if held is not None:
            held.release()

    assert sent.body == f"Running workflow {wf} now…"
    assert "being synced by another instance" in text and "try again" in text
    assert bot.box.smartsheet.control.count("rows.add") == 0
