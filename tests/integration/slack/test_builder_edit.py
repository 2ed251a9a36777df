"""Editing through the builder (issue #7): a sheet change asks first and says what follows,
the summary's menu edits and removes mappings, and what was saved takes effect on the
next tick of the engine (nothing runs inside the request)."""

from __future__ import annotations

from handlers.builder.ids import ActionId, CallbackId
from sandbox.slack import SlackUser
from sync.model import Direction
from sync.workflows import export_specs
from tests.integration.slack.builder_support import (
    open_builder,
    saved,
    submit,
    texts,
    view,
    wait_view,
)
from tests.integration.slack.conftest import RunningBot
from tests.integration.slack.test_builder_flows import a_sheet


def values_in(bot: RunningBot, sheet: int, title: str) -> list[object]:
    columns = {c["id"]: c["title"] for c in bot.box.smartsheet.sheet(sheet)["columns"]}
    return [
        cell.get("value")
        for row in bot.box.smartsheet.sheet_rows(sheet)
        for cell in row["cells"]
        if columns.get(cell["columnId"]) == title
    ]


def through_to_save(bot: RunningBot, user: SlackUser, modal: str, flt: dict[str, str]) -> str:
    """From the summary: Next, the filter, the preview, Save; what the saved view says."""
    submit(user, modal, {})
    submit(user, modal, flt)
    wait_view(bot, modal, CallbackId.PREVIEW)
    return saved(bot, user, modal)


def test_changing_the_sheet_asks_first_and_the_next_tick_fills_the_new_one(
    builder: RunningBot, alice: SlackUser
) -> None:
    workflow = builder.workflow(alice.user_id, name="Deals")
    (old_sheet,) = [s.sheet for s in export_specs(builder.store, alice.team_id)]
    builder.engine.tick()
    kept = len(builder.box.smartsheet.sheet_rows(old_sheet))
    assert kept > 0
    new_sheet = a_sheet(builder, "New board", {"title": "Amount", "type": "TEXT_NUMBER"})

    modal = open_builder(builder, alice, f"edit {workflow}")
    submit(alice, modal, {"builder_sheet": str(new_sheet)})
    confirm = view(builder, modal)
    assert confirm["callback_id"] == CallbackId.CONFIRM
    said = texts(confirm)
    assert f"The sheet changes to sheet {new_sheet}." in said
    assert "Links between records and rows are dropped; the old rows stay" in said
    assert "A new backfill fills the sheet" in said
    submit(alice, modal, {})  # Change
    assert "Amount ⇄ Amount" in texts(wait_view(builder, modal, CallbackId.MAPPINGS))
    assert "Changes take effect on the next sync" in through_to_save(builder, alice, modal, {})

    assert builder.box.smartsheet.sheet_rows(new_sheet) == []  # nothing ran in the request
    builder.engine.tick()
    assert len(builder.box.smartsheet.sheet_rows(new_sheet)) == kept
    assert len(builder.box.smartsheet.sheet_rows(old_sheet)) == kept  # left as it was


def test_the_summary_menu_edits_and_removes_and_the_next_tick_applies_it(
    builder: RunningBot, alice: SlackUser
) -> None:
    workflow = builder.workflow(alice.user_id, name="Deals")
    (sheet,) = [s.sheet for s in export_specs(builder.store, alice.team_id)]
    builder.engine.tick()
    modal = open_builder(builder, alice, f"edit {workflow}")
    submit(alice, modal, {})

    # Edit: the mapping's view, prefilled, pushed over the summary; pick another field
    edited = alice.click(
        ActionId.MAPPING_MENU, view_id=modal, block_id="mapping_0", selected="edit:0"
    )
    builder.slack.wait_for_call("views.push", after=edited.calls_before)
    editing = builder.slack.modal_stack(alice.user_id)[-1]
    field = next(b for b in view(builder, editing)["blocks"] if b["block_id"] == "field")
    assert field["element"]["initial_option"]["value"] == "Name"
    alice.suggest(ActionId.FIELD, "stage", view_id=editing)
    chosen = alice.click(ActionId.FIELD, view_id=editing, selected="StageName")
    builder.slack.wait_for_call("views.update", after=chosen.calls_before)
    before = len(builder.slack.calls)
    answer = submit(
        alice, editing, {"builder_column": "Deal", "builder_direction": "to_smartsheet"}
    )
    assert answer == {}
    builder.slack.wait_for_call("views.update", after=before)
    assert builder.slack.modal_stack(alice.user_id) == [modal]
    summary = texts(view(builder, modal))
    assert "Stage → Deal" in summary and "Opportunity Name" not in summary

    # Remove: the Amount line goes
    removed = alice.click(
        ActionId.MAPPING_MENU, view_id=modal, block_id="mapping_1", selected="remove:1"
    )
    builder.slack.wait_for_call("views.update", after=removed.calls_before)
    summary = texts(view(builder, modal))
    assert "1 mapping(s)" in summary and "Amount ⇄ Amount" not in summary

    assert "is saved" in through_to_save(builder, alice, modal, {})
    (spec,) = export_specs(builder.store, alice.team_id)
    assert [(m.field, m.column, m.direction) for m in spec.fields] == [
        ("StageName", "Deal", Direction.TO_SMARTSHEET)
    ]
    builder.engine.tick()  # the next tick writes the stage into the Deal column
    stages = {"Prospecting", "Qualification", "Needs Analysis", "Closed Won", "Closed Lost"}
    deal = values_in(builder, sheet, "Deal")
    assert deal and any(v in stages for v in deal)


def test_a_filter_matching_any_condition_is_saved_as_any(
    builder: RunningBot, alice: SlackUser
) -> None:
    workflow = builder.workflow(alice.user_id, name="Deals")
    modal = open_builder(builder, alice, f"edit {workflow}")
    submit(alice, modal, {})
    flt = {
        "filter_field_0.builder_filter_field": "StageName",
        "filter_op_0.builder_filter_op": "=",
        "filter_value_0.builder_filter_value": "Closed Won",
        "filter_field_1.builder_filter_field": "Amount",
        "filter_op_1.builder_filter_op": ">",
        "filter_value_1.builder_filter_value": "1000",
        "builder_match": "any",
    }
    assert "is saved" in through_to_save(builder, alice, modal, flt)
    (spec,) = export_specs(builder.store, alice.team_id)
    assert spec.filter.match_all is False
    assert [(c.field, c.op) for c in spec.filter.conditions] == [
        ("StageName", "="),
        ("Amount", ">"),
    ]
