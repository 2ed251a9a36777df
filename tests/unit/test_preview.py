"""The dry run: counts, the first rows as the sheet shows them, failing values, existing rows."""

from __future__ import annotations

from sync.model import ColumnType, Direction, FieldMapping, SalesforceType, SheetColumn
from sync.preview import PreviewColumn, as_sheet_column, new_column_for, preview
from tests.unit.builders import a_field, record_id

STAGE = a_field(
    "StageName", SalesforceType.PICKLIST, label="Stage", picklist_values=("Open", "Won")
)
AMOUNT = a_field("Amount", SalesforceType.CURRENCY, label="Amount", precision=16, scale=2)
NAME = a_field("Name", label="Name", length=120)
NOTES = a_field("Notes__c", SalesforceType.TEXTAREA, label="Notes", length=32768)


def columns() -> list[PreviewColumn]:
    dropdown = SheetColumn(2, "Stage", ColumnType.PICKLIST, options=("Open",), validation=True)
    return [
        PreviewColumn(
            FieldMapping("Name", "Deal"), NAME, SheetColumn(1, "Deal", ColumnType.TEXT_NUMBER)
        ),
        PreviewColumn(FieldMapping("StageName", "Stage"), STAGE, dropdown),
        PreviewColumn(
            FieldMapping("Amount", "Amount", Direction.TO_SALESFORCE),
            AMOUNT,
            SheetColumn(3, "Amount", ColumnType.TEXT_NUMBER),
        ),
        PreviewColumn(
            FieldMapping("Notes__c", "Notes"),
            NOTES,
            SheetColumn(4, "Notes", ColumnType.TEXT_NUMBER),
        ),
    ]


def records(n: int) -> list[dict[str, object]]:
    return [
        {
            "Id": record_id(i),
            "Name": f"Deal {i}",
            "StageName": "Won" if i == 7 else "Open",
            "Amount": 1200.0,
            "Notes__c": "x" * 4001 if i == 3 else None,
        }
        for i in range(n)
    ]


def test_the_first_five_rows_show_as_the_sheet_would_show_them() -> None:
    result = preview(records(12), 12, columns(), existing_rows=0, linked_rows=0)
    assert result.matching == 12
    assert result.headers == ("Deal", "Stage", "Notes")  # Amount goes to Salesforce only
    assert len(result.sample) == 5
    assert result.sample[0] == ("Deal 0", "Open", "")
    assert result.sample[3][2].startswith("⚠")
    assert result.existing == "The sheet is empty: 12 rows will be added, one per record."


def test_every_failing_value_is_listed_with_its_record() -> None:
    result = preview(records(12), 12, columns(), existing_rows=0, linked_rows=0)
    assert result.failure_count == 2
    by_record = {f.record_id: f for f in result.failures}
    assert by_record[record_id(7)].column == "Stage"
    assert "Won" in by_record[record_id(7)].message
    assert by_record[record_id(3)].column == "Notes"
    assert result.can_save  # failing values are row errors, shown and allowed


def test_existing_rows_are_described() -> None:
    result = preview(records(2), 2, columns(), existing_rows=30, linked_rows=10)
    assert result.existing.startswith("The sheet has 30 rows. 10 already linked")
    assert "20 not linked to a record stay as they are" in result.existing


def test_nothing_mapped_blocks_saving() -> None:
    assert not preview(records(1), 1, [], existing_rows=0, linked_rows=0).can_save


def test_a_new_column_gets_the_matching_type() -> None:
    column = new_column_for(STAGE, "Stage")
    assert (column.type, column.options) == ("PICKLIST", ("Open", "Won"))
    assert new_column_for(AMOUNT, "Amount").type == "TEXT_NUMBER"
    assert new_column_for(a_field("Won", SalesforceType.BOOLEAN), "Won").type == "CHECKBOX"
    assert as_sheet_column(column, 0).type is ColumnType.PICKLIST
