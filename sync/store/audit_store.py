"""The change log: what syncbot wrote, newest first, and reverts waiting for a tick.
Domain types in and out (sync.changes); callers commit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from sync.changes import DONE, PENDING, ChangeEntry, NewChange, display
from sync.model import Canon
from sync.store import bulk
from sync.store.tables import ChangeRow

COLUMNS = (
    "workflow_id",
    "at",
    "record_id",
    "row_id",
    "field",
    "column",
    "before_json",
    "after_json",
    "direction",
    "caused_by",
    "revert_of",
    "state",
    "note",
)


def add(session: Session, changes: Sequence[NewChange]) -> None:
    """One executemany of tuples (a backfill page logs thousands of values at once)."""
    rows = [_row(c) for c in changes]
    bulk.insert_rows(session, cast(Table, ChangeRow.__table__), COLUMNS, rows)


def add_one(session: Session, change: NewChange) -> ChangeEntry:
    row = ChangeRow(**_values(change))
    session.add(row)
    session.flush()
    return entry(row)


def history(session: Session, workflow_id: int, limit: int, offset: int) -> list[ChangeEntry]:
    rows = session.scalars(
        select(ChangeRow)
        .where(ChangeRow.workflow_id == workflow_id)
        .order_by(ChangeRow.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [entry(r) for r in rows]


def count(session: Session, workflow_id: int) -> int:
    found = session.scalar(
        select(func.count()).select_from(ChangeRow).where(ChangeRow.workflow_id == workflow_id)
    )
    return int(found or 0)


def load(session: Session, change_id: int) -> tuple[ChangeEntry, NewChange] | None:
    """An entry as shown, with its canonical values (what a revert writes back)."""
    row = session.get(ChangeRow, change_id)
    return None if row is None else (entry(row), _change(row))


def has_pending_revert(session: Session, change_id: int) -> bool:
    found = session.execute(
        select(ChangeRow.id).where(ChangeRow.revert_of == change_id, ChangeRow.state == PENDING)
    )
    return found.first() is not None


def workflows_with_pending(session: Session) -> set[int]:
    """One indexed query per tick tells which workflows have reverts to write."""
    found = session.scalars(
        select(ChangeRow.workflow_id).where(ChangeRow.state == PENDING).distinct()
    )
    return set(found)


def pending(session: Session, workflow_id: int) -> list[tuple[int, NewChange]]:
    """The workflow's reverts waiting to be written, oldest first, by id."""
    rows = session.scalars(
        select(ChangeRow)
        .where(ChangeRow.workflow_id == workflow_id, ChangeRow.state == PENDING)
        .order_by(ChangeRow.id)
    )
    return [(r.id, _change(r)) for r in rows]


def finish(session: Session, change_id: int, state: str, at: datetime, note: str = "") -> None:
    row = session.get(ChangeRow, change_id)
    if row is not None:
        row.state, row.at, row.note = state, at, note


def purge(session: Session, before: datetime) -> int:
    """Drop entries older than `before`; a revert still waiting to be written stays."""
    result: Any = session.execute(
        delete(ChangeRow).where(ChangeRow.at < before, ChangeRow.state != PENDING)
    )
    return int(result.rowcount or 0)


def value(raw: str) -> Canon:
    """JSON hands lists back; canonical multi-values are tuples."""
    loaded = json.loads(raw)
    return tuple(loaded) if isinstance(loaded, list) else loaded


def entry(row: ChangeRow) -> ChangeEntry:
    return ChangeEntry(
        id=row.id,
        at=row.at,
        workflow_id=row.workflow_id,
        record_id=row.record_id,
        row_id=row.row_id,
        field=row.field,
        column=row.column,
        before=display(value(row.before_json)),
        after=display(value(row.after_json)),
        direction=row.direction,
        caused_by=row.caused_by,
        revert_of=row.revert_of,
        state=row.state or DONE,
        note=row.note or "",
    )


def _change(row: ChangeRow) -> NewChange:
    return NewChange(
        workflow_id=row.workflow_id,
        at=row.at,
        record_id=row.record_id,
        row_id=row.row_id,
        field=row.field,
        column=row.column,
        before=value(row.before_json),
        after=value(row.after_json),
        direction=row.direction,
        caused_by=row.caused_by,
        revert_of=row.revert_of,
        state=row.state,
        note=row.note,
    )


def _values(change: NewChange) -> dict[str, Any]:
    return dict(zip(COLUMNS, _row(change), strict=True))


def _json(value: Canon) -> str:
    return "null" if value is None else json.dumps(value)  # a created line has no before


def _row(change: NewChange) -> tuple[Any, ...]:
    """The change's values in COLUMNS order."""
    return (
        change.workflow_id,
        change.at,
        change.record_id,
        change.row_id,
        change.field,
        change.column,
        _json(change.before),
        _json(change.after),
        change.direction,
        change.caused_by,
        change.revert_of,
        change.state,
        change.note,
    )
