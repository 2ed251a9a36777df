"""Checks of a builder draft before anything is saved (pure, no slow calls).

Every finding names the place it belongs to (`Place`: the Slack modal uses the same strings
as block ids, so `ack(response_action="errors")` can put each sentence under its input).
Errors block the step; warnings are shown and allowed. The inputs are what the modal
already fetched for its selects: the describe of the object, the sheet's columns and
access level, and which sheets other workflows own.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sync.convert import Compat, ConversionError, compatibility, from_cell
from sync.draft import Draft
from sync.model import Cell, ColumnType, Direction, FieldMapping, SalesforceField, SheetColumn
from sync.ports import SheetInfo

_TEXT_COLUMN = SheetColumn(0, "value", ColumnType.TEXT_NUMBER)
_NO_VALUE_OPS = {"is empty", "is not empty"}


class Place(StrEnum):
    OBJECT = "object"
    SHEET = "sheet"
    NEW_SHEET = "new_sheet"
    NAME = "name"
    MAPPINGS = "mappings"
    FIELD = "field"
    COLUMN = "column"
    DIRECTION = "direction"
    ID_COLUMN = "id_column"
    STATUS_COLUMN = "status_column"

    @staticmethod
    def filter_value(index: int) -> str:
        return f"filter_value_{index}"

    @staticmethod
    def filter_field(index: int) -> str:
        return f"filter_field_{index}"


@dataclass(frozen=True)
class Finding:
    place: str
    message: str
    blocking: bool = True


def errors_by_place(findings: Sequence[Finding]) -> dict[str, str]:
    """The blocking findings joined per place, as `response_action="errors"` wants them."""
    out: dict[str, str] = {}
    for f in findings:
        if f.blocking:
            out[f.place] = f"{out[f.place]} {f.message}" if f.place in out else f.message
    return out


def check_mapping(
    mapping: FieldMapping,
    field: SalesforceField | None,
    column: SheetColumn | None,
    draft: Draft,
    replacing: int | None = None,
) -> list[Finding]:
    """One mapping as the add-mapping view submits it. `column` None means "new column"."""
    if field is None:
        return [Finding(Place.FIELD, _invisible(mapping.field, draft.object))]
    others = [m for i, m in enumerate(draft.fields) if i != replacing]
    found: list[Finding] = []
    if any(m.column == mapping.column for m in others):
        found.append(Finding(Place.COLUMN, f"“{mapping.column}” is already mapped to a field."))
    if any(m.field.lower() == mapping.field.lower() for m in others):
        found.append(Finding(Place.FIELD, f"{field.label} is already mapped."))
    if mapping.direction.to_salesforce and not field.writable:
        found.append(Finding(Place.DIRECTION, _read_only(field)))
    if column is not None:
        found += _compat(field, column, mapping.direction)
    return found


def check_mappings(
    draft: Draft, fields: Mapping[str, SalesforceField | None], columns: Sequence[SheetColumn]
) -> list[Finding]:
    """All mappings of the draft together (summary step, and again before saving)."""
    if not draft.fields:
        return [Finding(Place.MAPPINGS, "Map at least one field to a column.")]
    titles = [m.column for m in draft.fields]
    repeated = sorted({t for t in titles if titles.count(t) > 1})
    found = [Finding(Place.MAPPINGS, f"Each column may be mapped once: {', '.join(repeated)}.")]
    found = found if repeated else []
    by_title = {c.title: c for c in columns}
    for mapping in draft.fields:
        field = fields.get(mapping.field)
        if field is None:
            found.append(Finding(Place.MAPPINGS, _invisible(mapping.field, draft.object)))
            continue
        if mapping.direction.to_salesforce and not field.writable:
            found.append(Finding(Place.MAPPINGS, _read_only(field)))
        column = by_title.get(mapping.column)
        if column is not None:
            found += [
                Finding(Place.MAPPINGS, f.message, f.blocking)
                for f in _compat(field, column, mapping.direction)
            ]
    return found


def check_sheet(draft: Draft, sheet: SheetInfo | None) -> list[Finding]:
    """Edit access (the Id and status columns are checked with the options, where they
    can be renamed: see check_sync_columns)."""
    if draft.creates_sheet:
        return []
    if not draft.sheet_id:  # the select is required: no sheet id means New sheet was picked
        return [Finding(Place.NEW_SHEET, "Name the new sheet, or pick an existing sheet.")]
    if sheet is None:
        return [Finding(Place.SHEET, "Pick a sheet, or choose New sheet and give it a name.")]
    if not sheet.editable:
        return [
            Finding(
                Place.SHEET,
                f"You can only view “{sheet.name}”; syncbot writes with your rights, so it "
                "needs Editor access. Ask the sheet's owner to share it with you as Editor.",
            )
        ]
    return []


def free_title(title: str, taken: Collection[str]) -> str:
    """`title`, or `title 2`, `title 3`... whichever no other workflow keeps in the sheet."""
    n, found = 1, title
    while found in taken:
        n += 1
        found = f"{title} {n}"
    return found


def check_sync_columns(draft: Draft, owners: Mapping[str, str]) -> list[Finding]:
    """The Id and status columns: named, different, not mapped, and neither kept by another
    workflow in the same sheet. `owners`: column title → name of the workflow keeping it."""
    id_col, status = draft.id_column.strip(), draft.status_column.strip()
    mapped = {m.column for m in draft.fields}
    found: list[Finding] = []
    if not id_col:
        found.append(Finding(Place.ID_COLUMN, "Name the column that keeps the record Id."))
    elif id_col in mapped:
        found.append(Finding(Place.ID_COLUMN, f"“{id_col}” is a mapped column; pick another."))
    elif id_col in owners:
        found.append(
            Finding(
                Place.ID_COLUMN,
                f"The workflow “{owners[id_col]}” already keeps “{id_col}” in this sheet.",
            )
        )
    if not status:
        found.append(Finding(Place.STATUS_COLUMN, "Name the column for sync errors."))
    elif status in mapped:
        found.append(Finding(Place.STATUS_COLUMN, f"“{status}” is a mapped column; pick another."))
    elif status == id_col:
        found.append(
            Finding(Place.STATUS_COLUMN, "The status column must differ from the Id column.")
        )
    elif status in owners:
        found.append(
            Finding(
                Place.STATUS_COLUMN,
                f"The workflow “{owners[status]}” already keeps “{status}” in this sheet.",
            )
        )
    return found


def check_filter_value(
    index: int, field: SalesforceField | None, op: str, value: str, object_name: str
) -> list[Finding]:
    """A typed filter value must parse as the field's type (a date for a date field...)."""
    if field is None:
        return [Finding(Place.filter_field(index), _invisible("that field", object_name))]
    if op in _NO_VALUE_OPS:
        return []
    if not value.strip():
        return [Finding(Place.filter_value(index), f"“{op}” needs a value.")]
    parts = [p.strip() for p in value.split(",")] if op in ("in", "not in") else [value]
    try:
        for part in parts:
            from_cell(Cell(value=part), field, _TEXT_COLUMN)
    except ConversionError as exc:
        return [Finding(Place.filter_value(index), str(exc))]
    return []


def check_name(draft: Draft, taken: Sequence[str]) -> list[Finding]:
    name = draft.name.strip()
    if not name:
        return [Finding(Place.NAME, "Give the workflow a name.")]
    if name in taken:
        return [Finding(Place.NAME, f"You already have a workflow called “{name}”.")]
    return []


def _compat(field: SalesforceField, column: SheetColumn, direction: Direction) -> list[Finding]:
    verdict = compatibility(field, column, direction)
    if verdict.level is Compat.OK:
        return []
    return [Finding(Place.COLUMN, verdict.reason, blocking=verdict.level is Compat.NO)]


def _invisible(name: str, object_name: str) -> str:
    return (
        f"{object_name} has no field “{name}” that you can see "
        "(it may not exist, or your Salesforce profile hides it)."
    )


def _read_only(field: SalesforceField) -> str:
    return f"{field.label} cannot be written by your Salesforce user; choose “to sheet” for it."
