"""The dry run shown before a workflow is saved (pure: records and columns in, Preview out).

It answers what the person asks before pressing Save: how many records match, what the
first rows will look like in the sheet, which values would fail (wrong type, a dropdown
option the column lacks, a text too long for a cell), and what happens to the rows already
in the sheet. Conversion uses the engine's own functions, so the preview fails exactly the
values the first sync would fail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sync.convert import ConversionError, from_salesforce, to_cell
from sync.convert_errors import shown
from sync.convert_kinds import Kind, kind_of
from sync.filters import lookup
from sync.model import CellWrite, ColumnType, FieldMapping, SalesforceField, SheetColumn
from sync.ports import NewColumn

SAMPLE_ROWS = 5
MAX_FAILURES_LISTED = 20  # the rest are counted; the modal has room for a few lines only

_NEW_COLUMN_TYPES = {
    Kind.BOOLEAN: ColumnType.CHECKBOX,
    Kind.DATE: ColumnType.DATE,
    Kind.PICKLIST: ColumnType.PICKLIST,
    Kind.MULTIPICKLIST: ColumnType.MULTI_PICKLIST,
}


@dataclass(frozen=True)
class PreviewColumn:
    mapping: FieldMapping
    field: SalesforceField
    column: SheetColumn  # for a column still to be created: new_column_for(...) as a SheetColumn


@dataclass(frozen=True)
class ValueFailure:
    record_id: str
    column: str
    message: str


@dataclass(frozen=True)
class Preview:
    matching: int
    headers: tuple[str, ...]
    sample: tuple[tuple[str, ...], ...]
    failures: tuple[ValueFailure, ...]  # the first MAX_FAILURES_LISTED
    failure_count: int
    existing: str  # one sentence on the rows already in the sheet
    blocking: tuple[str, ...] = ()  # reasons Save must not go ahead
    checked: int = 0  # records whose values were checked (all matching, up to the cap)
    warnings: tuple[str, ...] = ()  # caveats of the mappings: shown, Save allowed

    @property
    def capped(self) -> bool:
        return self.checked < self.matching

    @property
    def can_save(self) -> bool:
        return not self.blocking


def new_column_for(field: SalesforceField, title: str) -> NewColumn:
    """The column "New sheet" / "new column" creates for a field: the matching type."""
    kind = _NEW_COLUMN_TYPES.get(kind_of(field), ColumnType.TEXT_NUMBER)
    options = (
        field.picklist_values if kind in (ColumnType.PICKLIST, ColumnType.MULTI_PICKLIST) else ()
    )
    return NewColumn(title, kind.value, options)


def as_sheet_column(column: NewColumn, index: int) -> SheetColumn:
    return SheetColumn(-index - 1, column.title, ColumnType(column.type), options=column.options)


def preview(
    records: Iterable[Mapping[str, Any]],
    matching: int,
    columns: Sequence[PreviewColumn],
    existing_rows: int,
    linked_rows: int,
    cap: int | None = None,
) -> Preview:
    """`records`: every matching record, or the first `cap` of them."""
    shown_columns = [c for c in columns if c.mapping.direction.to_sheet]
    sample: list[tuple[str, ...]] = []
    failures: list[ValueFailure] = []
    count = checked = 0
    for record in records:
        if cap is not None and checked >= cap:
            break
        checked += 1
        cells = [_cell(record, c) for c in shown_columns]
        for c, cell in zip(shown_columns, cells, strict=True):
            if isinstance(cell, ConversionError):
                count += 1
                if len(failures) < MAX_FAILURES_LISTED:
                    failures.append(
                        ValueFailure(str(record.get("Id", "")), c.mapping.column, str(cell))
                    )
        if len(sample) < SAMPLE_ROWS:
            sample.append(tuple(_display(cell) for cell in cells))
    return Preview(
        matching=matching,
        headers=tuple(c.mapping.column for c in shown_columns),
        sample=tuple(sample),
        failures=tuple(failures),
        failure_count=count,
        existing=existing_rows_effect(matching, existing_rows, linked_rows),
        blocking=() if columns else ("Nothing is mapped yet.",),
        checked=checked,
    )


def existing_rows_effect(matching: int, existing_rows: int, linked_rows: int) -> str:
    if existing_rows == 0:
        return f"The sheet is empty: {matching:,} rows will be added, one per record."
    unlinked = existing_rows - linked_rows
    parts = [f"The sheet has {existing_rows:,} rows."]
    if linked_rows:
        parts.append(f"{linked_rows:,} already linked to records are kept and updated.")
    if unlinked:
        parts.append(
            f"{unlinked:,} not linked to a record stay as they are; syncbot adds its own "
            "rows for the matching records (it does not guess links by content)."
        )
    return " ".join(parts)


def _cell(record: Mapping[str, Any], column: PreviewColumn) -> CellWrite | ConversionError:
    try:
        canon = from_salesforce(lookup(record, column.field.name), column.field)
        return to_cell(canon, column.field, column.column)
    except ConversionError as exc:
        return exc


def _display(cell: CellWrite | ConversionError) -> str:
    if isinstance(cell, ConversionError):
        return "⚠ " + shown(cell.message)
    if cell.object_value is not None:
        values = cell.object_value.get("values") or cell.object_value.get("email") or ""
        return ", ".join(map(str, values)) if isinstance(values, list) else str(values)
    if cell.value is None:
        return ""
    if isinstance(cell.value, bool):
        return "☑" if cell.value else "☐"
    return str(cell.value)
