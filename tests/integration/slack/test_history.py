"""`/sync history ID` with Revert, end to end: a Salesforce edit, its history line in Slack,
the Revert button, and the old value back in Salesforce after the next run."""

from __future__ import annotations

from handlers.ids import ActionId
from sandbox.slack import SlackUser
from tests.integration.slack.conftest import RunningBot


def say(bot: RunningBot, user: SlackUser, text: str) -> dict:
    before = len(bot.slack.responses)
    user.slash("/sync", text)
    return bot.slack.wait_for_response(after=before).body


def test_history_lists_an_edit_and_revert_puts_the_old_value_back(
    bot: RunningBot, alice: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id)
    assert "synced" in say(bot, alice, f"run {wf}")["text"]
    record = next(iter(bot.box.salesforce.records("Opportunity")))
    record_id, old = record["Id"], record["Amount"]
    bot.box.salesforce.update("Opportunity", record_id, {"Amount": 4321}, as_user="rep")
    say(bot, alice, f"run {wf}")

    history = say(bot, alice, f"history {wf}")
    top = history["blocks"][1]
    before = len(bot.slack.responses)
    alice.click(ActionId.REVERT, value=top["accessory"]["value"])
    asked = bot.slack.wait_for_response(after=before).body
    say(bot, alice, f"run {wf}")

    assert "Amount → Amount" in top["text"]["text"] and record_id in top["text"]["text"]
    assert "`4321`" in top["text"]["text"]
    assert "by Riley Brooks" in top["text"]["text"]  # the rep's name, not their 005… id
    assert bot.box.salesforce.users["rep"].id not in str(history["blocks"])
    assert "Revert of change" in asked["text"]
    assert bot.box.salesforce.get_record("Opportunity", record_id)["Amount"] == old
    again = say(bot, alice, f"history {wf}")
    assert "Revert of #" in str(again["blocks"])
    assert f"by <@{alice.user_id}>" in str(again["blocks"])  # who asked for the revert


def test_history_pages_twenty_at_a_time_and_new_rows_have_no_revert(
    bot: RunningBot, alice: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id)
    for i in range(25):  # more new rows than one page of history holds
        deal = {"Name": f"Paging deal {i}", "StageName": "Prospecting", "CloseDate": "2027-01-04"}
        bot.box.salesforce.insert("Opportunity", deal)
    say(bot, alice, f"run {wf}")  # the backfill logs one line per row it added

    first = say(bot, alice, f"history {wf}")
    before = len(bot.slack.responses)
    alice.click(ActionId.HISTORY_PAGE, value=f"{wf}:20")
    second = bot.slack.wait_for_response(after=before).body

    lines = [b for b in first["blocks"] if "New row for" in b.get("text", {}).get("text", "")]
    assert len(lines) == 20
    assert not any("accessory" in b for b in lines)  # a new row has no earlier value
    assert "Deal: " in lines[0]["text"]["text"]
    assert second["replace_original"] is True
    assert lines[0]["text"]["text"] not in str(second["blocks"])
    assert "New row for" in str(second["blocks"])
