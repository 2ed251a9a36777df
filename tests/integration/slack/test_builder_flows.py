"""Mapping and filter errors, the dry run's failing values, edit, other people's things, and
backfill progress, through the real Bolt app and the sandboxes."""

from __future__ import annotations

from handlers.builder.ids import ActionId, CallbackId
from sandbox.slack import SlackUser
from sync.model import Direction
from sync.services import SHEET_URL
from sync.workflow_file import dump
from sync.workflows import export_specs
from tests.integration.slack.builder_support import (
    final_update,
    open_builder,
    saved,
    submit,
    texts,
    view,
    wait_view,
)
from tests.integration.slack.conftest import RunningBot


def a_sheet(bot: RunningBot, name: str, *extra: dict[str, object]) -> int:
    columns = [{"title": "Deal", "type": "TEXT_NUMBER", "primary": True}, *extra]
    return bot.box.smartsheet.create_sheet(name, columns, owner="owner")


def to_summary(bot: RunningBot, user: SlackUser, sheet: int, obj: str = "Opportunity") -> str:
    modal = open_builder(bot, user)
    submit(user, modal, {"builder_object": obj, "builder_sheet": str(sheet), "builder_name": "W"})
    return modal


def add_mapping(
    bot: RunningBot, user: SlackUser, modal: str, field: str, column: str, direction: str = "both"
) -> dict[str, object]:
    pushed = user.click(ActionId.ADD_MAPPING, view_id=modal)
    bot.slack.wait_for_call("views.push", after=pushed.calls_before)
    adding = bot.slack.modal_stack(user.user_id)[-1]
    user.suggest(ActionId.FIELD, field, view_id=adding)
    chosen = user.click(ActionId.FIELD, view_id=adding, selected=field)
    bot.slack.wait_for_call("views.update", after=chosen.calls_before)
    before = len(bot.slack.calls)
    answer = submit(user, adding, {"builder_column": column, "builder_direction": direction})
    if not answer:
        bot.slack.wait_for_call("views.update", after=before)
    return answer


def test_mapping_errors_land_under_their_inputs(builder: RunningBot, alice: SlackUser) -> None:
    builder.connect(alice.user_id)
    sheet = a_sheet(builder, "Errors board", {"title": "Amount", "type": "TEXT_NUMBER"})
    modal = to_summary(builder, alice, sheet)

    nothing = submit(alice, modal, {})
    assert nothing == {
        "response_action": "errors",
        "errors": {"mappings": "Map at least one field to a column."},
    }
    assert add_mapping(builder, alice, modal, "Name", "Deal") == {}
    twice = add_mapping(builder, alice, modal, "Amount", "Deal")
    assert twice["errors"] == {"column": "“Deal” is already mapped to a field."}  # type: ignore[index]
    alice.close(builder.slack.modal_stack(alice.user_id)[-1])

    submit(alice, modal, {})  # on to the filter
    wrong = submit(
        alice,
        modal,
        {
            "filter_field_1.builder_filter_field": "CloseDate",
            "filter_op_1.builder_filter_op": ">",
            "filter_value_1.builder_filter_value": "next week",
        },
    )
    assert wrong["response_action"] == "errors"
    assert list(wrong["errors"]) == ["filter_value_1"]


def test_the_dry_run_lists_values_the_sheet_would_refuse(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    stage = {"title": "Stage", "type": "PICKLIST", "options": ["Prospecting"], "validation": True}
    sheet = a_sheet(builder, "Strict board", stage)
    modal = to_summary(builder, alice, sheet)
    add_mapping(builder, alice, modal, "StageName", "Stage", "to_smartsheet")
    submit(alice, modal, {})
    submit(alice, modal, {})
    preview = texts(wait_view(builder, modal, CallbackId.PREVIEW))
    assert "values would fail" in preview
    assert "Stage of 006" in preview
    assert "The sheet is empty:" in preview and "rows will be added, one per record" in preview
    assert view(builder, modal)["submit"]["text"] == "Save"  # row errors are allowed
    calls = len(builder.slack.calls)
    submit(alice, modal, {})
    summary = final_update(builder, calls)
    assert " 0 row errors" not in summary.args["text"]
    buttons = [e for b in summary.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["text"]["text"]) for b in buttons] == [
        ("workflow_errors", "View errors")
    ]
    assert f"<{SHEET_URL.format(sheet_id=sheet)}|Open the sheet>" in str(summary.args["blocks"])


def test_edit_changes_mappings_direction_and_filter(builder: RunningBot, alice: SlackUser) -> None:
    workflow = builder.workflow(alice.user_id, name="Deals")
    modal = open_builder(builder, alice, f"edit {workflow}")
    first = view(builder, modal)
    assert first["title"]["text"] == "Edit workflow"
    name = next(b for b in first["blocks"] if b.get("block_id") == "name")
    assert name["element"]["initial_value"] == "Deals"
    submit(alice, modal, {})
    summary = view(builder, modal)
    assert "Amount ⇄ Amount" in texts(summary)
    menu = alice.click(
        ActionId.MAPPING_MENU,
        view_id=modal,
        block_id="mapping_1",
        selected="direction:1:to_smartsheet",
    )
    builder.slack.wait_for_call("views.update", after=menu.calls_before)
    assert "Amount → Amount" in texts(view(builder, modal))
    submit(alice, modal, {})
    submit(
        alice,
        modal,
        {
            "filter_field_0.builder_filter_field": "Amount",
            "filter_op_0.builder_filter_op": ">",
            "filter_value_0.builder_filter_value": "1000",
        },
    )
    wait_view(builder, modal, CallbackId.PREVIEW)
    assert "is saved" in saved(builder, alice, modal)
    (spec,) = export_specs(builder.store, alice.team_id)
    assert [m.direction for m in spec.fields] == [Direction.BOTH, Direction.TO_SMARTSHEET]
    assert [(c.field, c.op, c.value) for c in spec.filter.conditions] == [("Amount", ">", "1000")]


def test_changing_the_object_while_editing_asks_first(
    builder: RunningBot, alice: SlackUser
) -> None:
    workflow = builder.workflow(alice.user_id, name="Deals")
    modal = open_builder(builder, alice, f"edit {workflow}")
    submit(alice, modal, {"builder_object": "Case"})
    confirm = view(builder, modal)
    assert confirm["callback_id"] == CallbackId.CONFIRM
    assert "The object changes from Opportunity to Case." in texts(confirm)
    submit(alice, modal, {})
    assert view(builder, modal)["callback_id"] == CallbackId.MAPPINGS


def test_nobody_is_offered_someone_elses_connections_sheets_or_workflows(
    builder: RunningBot, alice: SlackUser, carol: SlackUser
) -> None:
    workflow = builder.workflow(alice.user_id, name="Alice's")  # alice: admin + owner
    mine, _ = builder.connect(carol.user_id, sf_user="limited", ss_user="viewer")
    modal = open_builder(builder, carol)
    connection = view(builder, modal)["blocks"][0]["element"]
    assert [o["value"] for o in connection["options"]] == [str(mine)]
    alice_sheet = builder.box.smartsheet.find_sheet("Pipeline")  # viewer: VIEWER
    sheets = carol.suggest(ActionId.SHEET, "", view_id=modal).json["options"]
    offered = {o["value"] for o in sheets}
    assert "new" in offered and str(alice_sheet) not in offered
    carol.close(modal)
    theirs = open_builder(builder, carol, f"edit {workflow}")
    assert view(builder, theirs)["callback_id"] == CallbackId.FAILED
    assert f"{workflow}" in texts(view(builder, theirs))


def test_the_backfill_message_shows_progress_then_a_summary(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    for n in range(2500):
        builder.box.salesforce.insert(
            "Opportunity",
            {"Name": f"Bulk {n}", "StageName": "Prospecting", "CloseDate": "2027-01-31"},
        )
    sheet = a_sheet(builder, "Bulk board")
    modal = to_summary(builder, alice, sheet)
    add_mapping(builder, alice, modal, "Name", "Deal")
    submit(alice, modal, {})
    submit(
        alice,
        modal,
        {
            "filter_field_0.builder_filter_field": "Name",
            "filter_op_0.builder_filter_op": "starts with",
            "filter_value_0.builder_filter_value": "Bulk ",
        },
    )
    assert "*2,500* Opportunity records match." in texts(
        wait_view(builder, modal, CallbackId.PREVIEW)
    )
    calls = len(builder.slack.calls)
    submit(alice, modal, {})
    done = final_update(builder, calls, timeout=120)
    updates = [c.args["text"] for c in builder.slack.calls[calls:] if c.method == "chat.update"]
    assert any("Backfill 2,000 / 2,500 records" in u for u in updates)
    assert "2,500 rows created, 0 row errors" in done.args["text"]


def test_an_admin_edits_someone_elses_workflow_which_stays_theirs(
    builder: RunningBot, alice: SlackUser, carol: SlackUser
) -> None:
    workflow = builder.workflow(carol.user_id, name="Carol's deals")  # alice: a Slack owner
    modal = open_builder(builder, alice, f"edit {workflow}")
    assert view(builder, modal)["callback_id"] == CallbackId.WHAT
    submit(alice, modal, {"builder_name": "Carol's won deals"})
    submit(alice, modal, {})
    submit(alice, modal, {})
    wait_view(builder, modal, CallbackId.PREVIEW)
    assert "is saved" in saved(builder, alice, modal)
    (spec,) = export_specs(builder.store, alice.team_id)
    assert (spec.name, spec.owner) == ("Carol's won deals", carol.user_id)


def test_the_id_and_status_columns_are_set_with_the_options_checked_and_exported(
    builder: RunningBot, alice: SlackUser
) -> None:
    sheet = a_sheet(builder, "Shared board", {"title": "Amount", "type": "TEXT_NUMBER"})
    builder.workflow(alice.user_id, name="First", sheet_id=sheet)  # keeps the default columns
    modal = to_summary(builder, alice, sheet)
    add_mapping(builder, alice, modal, "StageName", "new", "to_smartsheet")
    submit(alice, modal, {})
    options = {b["block_id"]: b for b in view(builder, modal)["blocks"]}
    # the defaults are taken in this sheet: the builder proposes free names
    assert options["id_column"]["element"]["initial_value"] == "Salesforce Id 2"
    assert options["status_column"]["element"]["initial_value"] == "Sync Status 2"

    def columns(id_column: str, status: str) -> dict[str, object]:
        return submit(
            alice,
            modal,
            {"builder_id_column": id_column, "builder_status_column": status},
        )

    assert columns("Stage", "Sync Status 2")["errors"] == {
        "id_column": "“Stage” is a mapped column; pick another."
    }
    assert columns("Salesforce Id", "Sync Status")["errors"] == {
        "id_column": "The workflow “First” already keeps “Salesforce Id” in this sheet.",
        "status_column": "The workflow “First” already keeps “Sync Status” in this sheet.",
    }
    assert columns("Opp Id", "Opp Id")["errors"] == {
        "status_column": "The status column must differ from the Id column."
    }
    columns("Opp Id", "Opp Status")
    assert view(builder, modal)["callback_id"] == CallbackId.PREVIEW
    assert "is saved" in saved(builder, alice, modal)
    exported = {s.name: s for s in export_specs(builder.store, alice.team_id)}
    assert (exported["W"].id_column, exported["W"].status_column) == ("Opp Id", "Opp Status")
    assert "id_column: Opp Id" in dump([exported["W"]])
    sheet_columns = {c["title"]: c["type"] for c in builder.box.smartsheet.sheet(sheet)["columns"]}
    assert sheet_columns["Stage"] == "PICKLIST"  # "+ New column" added with the field's type


def test_auto_map_shows_its_pairs_in_the_summary_to_review_before_next(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    sheet = a_sheet(
        builder,
        "Named board",
        {"title": "Amount", "type": "TEXT_NUMBER"},
        {"title": "Close Date", "type": "DATE"},
    )
    modal = to_summary(builder, alice, sheet)

    ticked = alice.click(ActionId.AUTO_MAP, view_id=modal, selected=["auto"])
    builder.slack.wait_for_call("views.update", after=ticked.calls_before)

    summary = view(builder, modal)
    assert summary["callback_id"] == CallbackId.MAPPINGS  # still reviewing, not moved on
    assert "Amount ⇄ Amount" in texts(summary) and "Close Date ⇄ Close Date" in texts(summary)
    removed = alice.click(
        ActionId.MAPPING_MENU, view_id=modal, block_id="mapping_1", selected="remove:1"
    )
    builder.slack.wait_for_call("views.update", after=removed.calls_before)
    submit(alice, modal, {})  # Next, the box still ticked: the removed pair stays removed
    assert view(builder, modal)["callback_id"] == CallbackId.FILTER
    submit(alice, modal, {})
    preview = texts(wait_view(builder, modal, CallbackId.PREVIEW))
    assert "Amount" in preview and "Close Date" not in preview
