"""Regressions found by the unit-test pass: each failed before its fix."""

from __future__ import annotations

import pytest

from sync.errors import InvalidQuery
from sync.filters import matches
from sync.ids import normalise_id
from sync.model import Condition, ConflictPolicy, Direction, Filter, SalesforceType
from sync.planner import Action, Notes
from sync.soql import identifier, soql_value
from sync.workflow_file import WorkflowFileError, parse
from tests.unit.builders import a_field, a_snapshot, for_record, for_row, record_id, row_id
from tests.unit.test_workflow_file import example_with, one_workflow, problems_of

ACME, ROW_A = record_id(1), row_id(1)


def test_unread_cell_of_a_to_salesforce_field_never_blanks_salesforce() -> None:
    # syncbot added the row (Region, sheet → Salesforce only, was not written to it), so the
    # link has no synced Region. Now the record changes in Salesforce; the row is not read.
    result = (
        a_snapshot(mapped=("Name",))
        .with_rule("Region", Direction.TO_SALESFORCE)
        .with_link(ACME, ROW_A, Name="Acme deal")
        .with_record(ACME, Name="Acme renewal", Region="EU")
        .plan()
    )

    assert for_record(result, ACME).to_salesforce == {}  # today: {"Region": None}


def test_newly_mapped_field_is_not_blanked_in_salesforce_by_smartsheet_wins() -> None:
    result = (
        a_snapshot(mapped=("Name", "Region"))
        .with_conflicts(ConflictPolicy.SMARTSHEET_WINS)
        .with_link(ACME, ROW_A, Name="Acme deal")  # Region mapped after the last sync
        .with_record(ACME, Name="Acme renewal", Region="EU")
        .plan()
    )

    assert "Region" not in for_record(result, ACME).to_salesforce  # today: None


def test_sheet_edit_of_a_to_salesforce_field_on_a_row_syncbot_added_reaches_salesforce() -> None:
    result = (
        a_snapshot(mapped=("Name",))
        .with_rule("Region", Direction.TO_SALESFORCE)
        .with_link(ACME, ROW_A, Name="Acme deal")  # as ADD_ROW left it: no Region
        .with_row(ROW_A, record=ACME, Name="Acme deal", Region="US")
        .plan()
    )

    assert for_row(result, ROW_A).to_salesforce == {"Region": "US"}  # today: {} (lost)


def test_linked_row_with_nothing_synced_is_not_let_go_when_its_record_is_not_fetched() -> None:
    # Every mapping is sheet → Salesforce, so the row syncbot added stored no values.
    result = (
        a_snapshot(mapped=())
        .with_rule("Region", Direction.TO_SALESFORCE)
        .with_link(ACME, ROW_A)
        .with_row(ROW_A, record=ACME, Region="US")
        .plan()
    )

    row = for_row(result, ROW_A)
    assert row.action is not Action.UNLINK  # today: UNLINK
    assert row.note != Notes.UNKNOWN_RECORD


def test_equals_null_keeps_records_without_a_value() -> None:
    # where_clause renders `CloseDate = null`, which returns exactly these records
    fields = {"CloseDate": a_field("CloseDate", SalesforceType.DATE)}

    assert matches(Filter((Condition("CloseDate", "=", None),)), {"CloseDate": None}, fields)


def test_boolean_equals_null_means_false() -> None:
    # SOQL guide "Use null in WHERE": `Test_c = null` is equivalent to `Test_c = false`
    fields = {"IsPrivate": a_field("IsPrivate", SalesforceType.BOOLEAN)}

    assert matches(Filter((Condition("IsPrivate", "=", None),)), {"IsPrivate": False}, fields)


def test_nan_is_not_a_number_filter_value() -> None:
    with pytest.raises(InvalidQuery):
        soql_value("NaN", a_field("Amount", SalesforceType.CURRENCY))


def test_an_identifier_with_a_trailing_newline_is_refused() -> None:
    with pytest.raises(InvalidQuery):
        identifier("Name\n")


def test_an_18_character_id_typed_in_another_case_is_restored() -> None:
    assert normalise_id("001d000000iqhsliaz") == "001D000000IqhSLIAZ"


def test_a_misspelt_workflow_key_is_reported_not_ignored() -> None:
    # `filters:` instead of `filter:` must not import a workflow that syncs every record
    text = example_with(
        filter=None, filters={"all": [{"field": "StageName", "op": "=", "value": "Closed Won"}]}
    )

    assert any("filters" in p for p in problems_of(text))


def test_paused_must_be_true_or_false() -> None:
    assert problems_of(example_with(paused="false")) == ["workflows[0].paused: true or false"]


def test_a_field_may_be_mapped_once() -> None:
    text = one_workflow(
        "    fields:\n      - {field: Name, column: Deal}\n      - {field: Name, column: Deal name}\n"
    )

    assert any("Name" in p for p in problems_of(text))


def test_two_incomplete_mappings_are_not_also_reported_as_a_duplicate_column() -> None:
    text = one_workflow("    fields:\n      - {field: Name}\n      - {field: Amount}\n")

    assert problems_of(text) == [
        "workflows[0].fields[0]: needs `field` and `column`",
        "workflows[0].fields[1]: needs `field` and `column`",
    ]


def test_an_operator_that_needs_a_value_gets_one() -> None:
    text = one_workflow(
        "    fields: [{field: Name, column: Deal}]\n    filter: {all: [{field: StageName, op: in, value: []}]}\n"
    )

    with pytest.raises(WorkflowFileError):
        parse(text)
