"""Builder validation: each situation the modal refuses (or warns about), by place."""

from __future__ import annotations

from dataclasses import replace

from sync.draft import Draft
from sync.draft_check import (
    Place,
    check_filter_value,
    check_mapping,
    check_mappings,
    check_name,
    check_sheet,
    check_sync_columns,
    errors_by_place,
    free_title,
)
from sync.model import ColumnType, Direction, FieldMapping, SalesforceType, SheetColumn
from sync.ports import SheetInfo
from tests.unit.builders import a_field

AMOUNT = a_field("Amount", SalesforceType.CURRENCY, label="Amount", precision=16, scale=2)
CLOSE = a_field("CloseDate", SalesforceType.DATE, label="Close Date")
ACCOUNT_NAME = a_field("Account.Name", label="Account Name", createable=False, updateable=False)
TEXT = SheetColumn(1, "Deal", ColumnType.TEXT_NUMBER)
CHECK = SheetColumn(2, "Won?", ColumnType.CHECKBOX)


def a_draft(*mappings: FieldMapping) -> Draft:
    return Draft(team="T1", owner="U1", object="Opportunity", sheet_id=9, fields=mappings)


def a_sheet(access: str = "EDITOR", *titles: str) -> SheetInfo:
    columns = tuple(SheetColumn(i, t, ColumnType.TEXT_NUMBER) for i, t in enumerate(titles))
    return SheetInfo(9, "Pipeline", 1, access, columns)


def test_a_currency_field_cannot_go_to_a_checkbox_column() -> None:
    found = check_mapping(FieldMapping("Amount", "Won?"), AMOUNT, CHECK, a_draft())
    assert errors_by_place(found) == {
        Place.COLUMN: "Won? is a Checkbox column and holds only checked or unchecked; "
        "map a checkbox (true/false) field to it."
    }


def test_a_warning_is_shown_but_does_not_block() -> None:
    boolean = a_field("IsWon", SalesforceType.BOOLEAN, label="Won")
    found = check_mapping(FieldMapping("IsWon", "Deal"), boolean, TEXT, a_draft())
    assert [f.blocking for f in found] == [False]
    assert "a Checkbox column fits Won better" in found[0].message
    assert errors_by_place(found) == {}


def test_the_same_column_twice_is_refused() -> None:
    draft = a_draft(FieldMapping("Name", "Deal"))
    found = check_mapping(FieldMapping("Amount", "Deal"), AMOUNT, TEXT, draft)
    assert errors_by_place(found) == {Place.COLUMN: "“Deal” is already mapped to a field."}


def test_editing_a_mapping_does_not_clash_with_itself() -> None:
    draft = a_draft(FieldMapping("Amount", "Deal"))
    assert check_mapping(FieldMapping("Amount", "Deal"), AMOUNT, TEXT, draft, replacing=0) == []


def test_a_related_field_can_only_go_to_the_sheet() -> None:
    both = check_mapping(FieldMapping("Account.Name", "Deal"), ACCOUNT_NAME, TEXT, a_draft())
    assert Place.DIRECTION in errors_by_place(both)
    one_way = FieldMapping("Account.Name", "Deal", Direction.TO_SMARTSHEET)
    assert check_mapping(one_way, ACCOUNT_NAME, TEXT, a_draft()) == []


def test_a_field_the_user_cannot_see_is_refused_on_the_field() -> None:
    found = check_mapping(FieldMapping("Secret__c", "Deal"), None, TEXT, a_draft())
    assert list(errors_by_place(found)) == [Place.FIELD]
    assert "Secret__c" in found[0].message


def test_nothing_mapped_blocks_the_summary() -> None:
    assert errors_by_place(check_mappings(a_draft(), {}, [])) == {
        Place.MAPPINGS: "Map at least one field to a column."
    }


def test_the_summary_names_repeated_columns_and_hidden_fields() -> None:
    draft = a_draft(FieldMapping("Amount", "Deal"), FieldMapping("Gone__c", "Deal"))
    message = errors_by_place(check_mappings(draft, {"Amount": AMOUNT}, [TEXT]))[Place.MAPPINGS]
    assert "Each column may be mapped once: Deal." in message
    assert "Gone__c" in message


def test_a_view_only_sheet_is_refused() -> None:
    found = check_sheet(a_draft(), a_sheet("VIEWER"))
    assert "needs Editor access" in errors_by_place(found)[Place.SHEET]
    assert check_sheet(a_draft(), a_sheet("EDITOR")) == []


def test_new_sheet_without_a_name_is_refused_under_the_name_input() -> None:
    found = check_sheet(replace(a_draft(), sheet_id=0, new_sheet_name=""), None)
    assert errors_by_place(found) == {
        Place.NEW_SHEET: "Name the new sheet, or pick an existing sheet."
    }
    assert check_sheet(replace(a_draft(), sheet_id=0, new_sheet_name="Cases"), None) == []


def test_a_free_title_is_proposed_when_another_workflow_keeps_the_column() -> None:
    assert free_title("Salesforce Id", []) == "Salesforce Id"
    assert free_title("Salesforce Id", ["Salesforce Id", "Salesforce Id 2"]) == "Salesforce Id 3"


def test_the_id_and_status_columns_are_named_distinct_unmapped_and_free() -> None:
    mapped = a_draft(FieldMapping("Name", "Deal", Direction.BOTH))
    assert check_sync_columns(mapped, {}) == []
    cases = {
        "": (Place.ID_COLUMN, "Name the column that keeps the record Id."),
        "Deal": (Place.ID_COLUMN, "“Deal” is a mapped column; pick another."),
        "Taken Id": (
            Place.ID_COLUMN,
            "The workflow “Other” already keeps “Taken Id” in this sheet.",
        ),
        "Sync Status": (Place.STATUS_COLUMN, "The status column must differ from the Id column."),
    }
    for id_column, (place, message) in cases.items():
        found = check_sync_columns(replace(mapped, id_column=id_column), {"Taken Id": "Other"})
        assert errors_by_place(found) == {place: message}, id_column
    taken_status = check_sync_columns(mapped, {"Sync Status": "Other"})
    assert errors_by_place(taken_status) == {
        Place.STATUS_COLUMN: "The workflow “Other” already keeps “Sync Status” in this sheet."
    }
    no_status = replace(mapped, status_column=" ")
    assert errors_by_place(check_sync_columns(no_status, {})) == {
        Place.STATUS_COLUMN: "Name the column for sync errors."
    }


def test_a_filter_value_of_the_wrong_type_is_refused_on_its_own_row() -> None:
    found = check_filter_value(2, CLOSE, ">", "next tuesday", "Opportunity")
    assert list(errors_by_place(found)) == ["filter_value_2"]
    assert check_filter_value(2, CLOSE, ">", "2026-12-31", "Opportunity") == []
    assert check_filter_value(0, AMOUNT, "in", "10, 20", "Opportunity") == []
    assert check_filter_value(0, AMOUNT, "in", "10, lots", "Opportunity") != []
    assert check_filter_value(0, AMOUNT, "is empty", "", "Opportunity") == []


def test_a_workflow_needs_a_name_of_its_own() -> None:
    assert check_name(a_draft(), []) != []
    named = Draft(team="T1", owner="U1", name=" Won deals ")
    assert errors_by_place(check_name(named, ["Won deals"])) == {
        Place.NAME: "You already have a workflow called “Won deals”."
    }
