"""Add, update and delete rows the way the bulk row endpoints do.

Without ``allowPartialSuccess`` the first bad row fails the whole request (nothing is
written) and the error carries ``detail: {index[, rowId]}``; with it, good rows are
written and bad ones come back as BulkItemFailures. Every row of one add must use the
same location attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import errors
from .cells import WriteContext, build_cell
from .model import Cell, Column, IdSource, Row, Sheet

MAX_ROWS_PER_CALL = 500
_LOCATION_KEYS = ("toTop", "toBottom", "parentId", "siblingId", "above")
_VALID_LOCATIONS = [
    set(),
    {"toTop"},
    {"toBottom"},
    {"parentId"},
    {"parentId", "toBottom"},
    {"siblingId"},
    {"siblingId", "above"},
]


@dataclass
class RowWrite:
    """Everything one row operation needs: the sheet, who writes, when, and id source."""

    sheet: Sheet
    alias: str
    moment: datetime
    cells: WriteContext
    ids: IdSource


@dataclass
class BulkOutcome:
    rows: list[Row] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)


def as_row_list(body: Any) -> list[Any]:
    """The endpoints take one Row object or an array of them."""
    rows = body if isinstance(body, list) else [body]
    if len(rows) > MAX_ROWS_PER_CALL:
        raise errors.too_many_items("rows")
    return rows


# -- add --------------------------------------------------------------------------------
def add_rows(job: RowWrite, raws: list[Any], partial: bool) -> BulkOutcome:
    location = _common_location(raws)
    index, parent = _insert_point(job.sheet, location)
    outcome = BulkOutcome()
    for position, raw in enumerate(raws):
        try:
            outcome.rows.append(_new_row(job, raw, parent))
        except errors.ApiError as exc:
            if not partial:
                raise exc.with_detail({"index": position}) from None
            outcome.failures.append({"index": position, "error": exc.item_error()})
    for row in outcome.rows:
        _assign_auto_numbers(job.sheet, row)
    job.sheet.rows[index:index] = outcome.rows
    return outcome


def _common_location(raws: list[Any]) -> dict[str, Any]:
    locations = [_location(raw) for raw in raws]
    if any(location != locations[0] for location in locations):
        raise errors.mixed_row_locations()
    return locations[0] if locations else {}


def _location(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise errors.unparsable("each row must be a JSON object")
    return {key: raw[key] for key in _LOCATION_KEYS if raw.get(key) not in (None, False)}


def _new_row(job: RowWrite, raw: dict[str, Any], parent: int | None) -> Row:
    if raw.get("id") is not None:
        raise errors.attribute_not_allowed("row.id")
    if raw.get("locked") is True and not job.cells.may_edit_locked:
        raise errors.not_authorized()  # only Owner and Admins lock rows
    cells = _build_cells(job, raw.get("cells"))
    return Row(
        id=job.ids.next(),
        created_at=job.moment,
        modified_at=job.moment,
        created_by=job.alias,
        modified_by=job.alias,
        cells=cells,
        parent_id=parent,
        expanded=raw.get("expanded", True) is not False,
        locked=raw.get("locked") is True,
    )


def _build_cells(job: RowWrite, raw_cells: Any) -> dict[int, Cell]:
    if raw_cells is None:
        return {}
    if not isinstance(raw_cells, list):
        raise errors.unparsable("row.cells must be an array")
    built: dict[int, Cell] = {}
    for raw in raw_cells:
        column = _target_column(job.sheet, raw)
        if column.id in built:
            raise errors.duplicate_column_id(column.id)
        built[column.id] = build_cell(column, raw, job.cells)
    return built


def _target_column(sheet: Sheet, raw: Any) -> Column:
    if not isinstance(raw, dict):
        raise errors.unparsable("each cell must be a JSON object")
    column_id = raw.get("columnId")
    if column_id is None:
        raise errors.missing_attribute("cell.columnId")
    column = sheet.column(column_id) if isinstance(column_id, int) else None
    if column is None:
        raise errors.invalid_column_id(column_id)
    return column


def _assign_auto_numbers(sheet: Sheet, row: Row) -> None:
    for column in sheet.columns:
        if column.system_column_type == "AUTO_NUMBER":
            sheet.auto_number += 1
            row.cells[column.id] = Cell(value=auto_number(column, sheet.auto_number))


def auto_number(column: Column, number: int) -> str:
    spec = column.auto_number_format or {}
    digits = str(number).rjust(len(spec.get("fill", "")), "0")
    return f"{spec.get('prefix', '')}{digits}{spec.get('suffix', '')}"


# -- placement --------------------------------------------------------------------------
def _insert_point(sheet: Sheet, location: dict[str, Any]) -> tuple[int, int | None]:
    """Where a block of rows goes (index into sheet.rows) and under which parent."""
    if set(location) not in _VALID_LOCATIONS:
        raise errors.invalid_row_location()
    if location.get("toTop"):
        return 0, None
    if "parentId" in location:
        parent = _index_of(sheet, location["parentId"], errors.invalid_parent_id)
        end = subtree_end(sheet, parent) if location.get("toBottom") else parent + 1
        return end, sheet.rows[parent].id
    if "siblingId" in location:
        sibling = _index_of(sheet, location["siblingId"], errors.invalid_sibling_id)
        parent_id = sheet.rows[sibling].parent_id
        return (sibling if location.get("above") else subtree_end(sheet, sibling)), parent_id
    return len(sheet.rows), None


def _index_of(sheet: Sheet, row_id: Any, error: Any) -> int:
    if not isinstance(row_id, int) or sheet.row(row_id) is None:
        raise error(row_id)
    return sheet.row_index(row_id)


def subtree_end(sheet: Sheet, index: int) -> int:
    """Index just past the row at ``index`` and all its descendants (they follow it)."""
    family = {sheet.rows[index].id}
    end = index + 1
    while end < len(sheet.rows) and sheet.rows[end].parent_id in family:
        family.add(sheet.rows[end].id)
        end += 1
    return end


def _move(sheet: Sheet, row: Row, location: dict[str, Any]) -> None:
    start = sheet.row_index(row.id)
    end = subtree_end(sheet, start)
    block = sheet.rows[start:end]
    target = location.get("parentId", location.get("siblingId"))
    if target in {r.id for r in block}:
        raise errors.invalid_row_location()
    del sheet.rows[start:end]
    index, parent = _insert_point(sheet, location)
    row.parent_id = parent
    sheet.rows[index:index] = block


# -- update -----------------------------------------------------------------------------
@dataclass
class _Change:
    row: Row
    cells: dict[int, Cell]
    location: dict[str, Any]
    raw: dict[str, Any]


def update_rows(job: RowWrite, raws: list[Any], partial: bool) -> BulkOutcome:
    outcome = BulkOutcome()
    changes: list[_Change] = []
    for position, raw in enumerate(raws):
        try:
            change = _prepare_update(job, raw)
            if partial:
                _apply(job, change)
            changes.append(change)
        except errors.ApiError as exc:
            row_id = raw.get("id") if isinstance(raw, dict) else None
            if not partial:
                detail = {"index": position, **({"rowId": row_id} if row_id else {})}
                raise exc.with_detail(detail) from None
            failure = {"index": position, "error": exc.item_error()}
            outcome.failures.append({**failure, **({"rowId": row_id} if row_id else {})})
    if not partial:
        for change in changes:
            _apply(job, change)
    outcome.rows = [change.row for change in changes]
    return outcome


def _prepare_update(job: RowWrite, raw: Any) -> _Change:
    location = _location(raw)
    row_id = raw.get("id")
    if row_id is None:
        raise errors.missing_attribute("row.id")
    row = job.sheet.row(row_id) if isinstance(row_id, int) else None
    if row is None:
        raise errors.not_found()
    if not job.cells.may_edit_locked:
        if "locked" in raw:
            raise errors.not_authorized()  # only Owner and Admins lock or unlock
        if row.locked:
            raise errors.locked_row()
    if location and set(location) not in _VALID_LOCATIONS:
        raise errors.invalid_row_location()
    return _Change(row, _build_cells(job, raw.get("cells")), location, raw)


def _apply(job: RowWrite, change: _Change) -> None:
    if change.location:
        _move(job.sheet, change.row, change.location)
    row = change.row
    row.cells.update(change.cells)
    if "expanded" in change.raw:
        row.expanded = change.raw["expanded"] is not False
    if "locked" in change.raw:
        row.locked = change.raw["locked"] is True
    row.modified_at = job.moment
    row.modified_by = job.alias


# -- delete -----------------------------------------------------------------------------
def delete_rows(
    sheet: Sheet, ids: list[int], ignore_missing: bool, may_edit_locked: bool = True
) -> list[int]:
    """Deleting a parent deletes its children too; returns every deleted id. An Editor
    cannot delete a locked row or a row with a locked child (1092)."""
    present = [row_id for row_id in ids if sheet.row(row_id) is not None]
    if len(present) != len(ids) and not ignore_missing:
        raise errors.not_found()
    doomed: set[int] = set()
    for row_id in present:
        start = sheet.row_index(row_id)
        doomed.update(r.id for r in sheet.rows[start : subtree_end(sheet, start)])
    deleted = [r.id for r in sheet.rows if r.id in doomed]
    if not may_edit_locked and any(r.locked for r in sheet.rows if r.id in doomed):
        raise errors.locked_row_delete()
    sheet.rows = [r for r in sheet.rows if r.id not in doomed]
    sheet.discussions = [d for d in sheet.discussions if d.row_id not in doomed]
    return deleted
