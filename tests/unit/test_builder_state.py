"""Reading the builder's submitted view state: conditions, options, lists and blanks."""

from __future__ import annotations

from typing import Any

from handlers.builder import state as st
from handlers.builder.metadata import ViewState
from sync.model import Condition, ConflictPolicy, OnRecordDeleted


def text(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def choice(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def test_conditions_with_a_field_become_the_filter_and_blank_rows_are_ignored() -> None:
    values = {
        "filter_field_0": {"builder_filter_field": choice("StageName")},
        "filter_op_0": {"builder_filter_op": choice("in")},
        "filter_value_0": {"builder_filter_value": text("Won, Lost ,")},
        "filter_field_1": {"builder_filter_field": {"selected_option": None}},
        "filter_field_3": {"builder_filter_field": choice("Amount")},
        "filter_op_3": {"builder_filter_op": choice("is empty")},
        "filter_value_3": {"builder_filter_value": text(None)},
    }
    rows = st.conditions(values)
    assert [r[0] for r in rows] == [0, 3]
    flt = st.to_filter(rows, match_all=False)
    assert flt.conditions == (
        Condition("StageName", "in", ["Won", "Lost"]),
        Condition("Amount", "is empty", None),
    )
    assert not flt.match_all


def test_options_default_when_untouched_and_follow_the_choices() -> None:
    assert st.to_options({}).on_record_deleted is OnRecordDeleted.MARK
    chosen = st.to_options(
        {
            "create_records": {"builder_create_records": {"selected_options": [{"value": "yes"}]}},
            "on_deleted": {"builder_on_deleted": choice("delete_row")},
            "conflicts": {"builder_conflicts": choice("newest_wins")},
        }
    )
    assert chosen.create_records_from_rows
    assert (chosen.on_record_deleted, chosen.conflicts) == (
        OnRecordDeleted.DELETE_ROW,
        ConflictPolicy.NEWEST_WINS,
    )


def test_the_view_state_keeps_only_the_draft_id_and_the_edited_mapping() -> None:
    state = ViewState("a" * 32, replacing=4)
    assert ViewState.load(state.dump()) == state
    assert len(state.dump()) < 60
    assert ViewState.load("") == ViewState("")


def test_the_view_state_remembers_that_auto_map_was_already_proposed() -> None:
    state = ViewState("a" * 32, auto_mapped=True)
    assert ViewState.load(state.dump()) == state
    assert ViewState.load(ViewState("a" * 32).dump()).auto_mapped is False
