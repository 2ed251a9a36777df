"""bulk.insert_rows stores what a Core insert would, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, insert, select, text

from sync.store import bulk
from sync.store.repo import Store
from sync.store.tables import ChangeRow
from tests.store.test_audit_store import a_workflow

TABLE = cast(Table, ChangeRow.__table__)


def test_rows_in_any_column_order_come_back_with_their_values(store: Store) -> None:
    workflow = a_workflow(store)
    at = datetime(2026, 12, 4, 9, 30, 15, 123456, tzinfo=UTC)
    later = datetime(2026, 12, 4, 9, 31, tzinfo=UTC)
    # not the table's order: a positional driver gets them reordered
    columns = ("note", "at", "workflow_id", "field", "column", "direction", "state", "row_id")
    rows = [
        ("first", at, workflow, "Name", "Deal", "to_smartsheet", "done", 2**40),
        ("second", at, workflow, "Amount", "Amount", "to_salesforce", "done", None),
        ("third", later, workflow, "*", "", "to_smartsheet", "done", 7),
    ]
    with store.unit() as session:
        bulk.insert_rows(session, TABLE, columns, rows)
        bulk.insert_rows(session, TABLE, columns, [])
    with store.unit() as session:
        stored = session.scalars(select(ChangeRow).order_by(ChangeRow.id)).all()
        got = [(r.note, r.at, r.workflow_id, r.field, r.row_id, r.before_json) for r in stored]
    assert got == [
        ("first", at, workflow, "Name", 2**40, "null"),  # before_json: the column's default
        ("second", at, workflow, "Amount", None, "null"),
        ("third", later, workflow, "*", 7, "null"),
    ]


def test_nothing_is_stored_when_the_unit_of_work_fails(store: Store) -> None:
    workflow = a_workflow(store)
    columns = ("workflow_id", "at", "field", "column", "direction", "state")
    row = (workflow, datetime.now(UTC), "Name", "Deal", "to_smartsheet", "done")
    try:
        with store.unit() as session:
            bulk.insert_rows(session, TABLE, columns, [row])
            raise RuntimeError("crash before commit")
    except RuntimeError:
        pass
    with store.unit() as session:
        assert session.scalars(select(ChangeRow)).all() == []


def test_values_are_stored_exactly_as_a_core_insert_stores_them(store: Store) -> None:
    """Same bytes in the database, so SQL comparisons (a purge's `at < cutoff`, ordering)
    treat rows of both paths alike: on SQLite a time is text, and a whole second written
    by sqlite3's own adapter would lack the ".000000" SQLAlchemy writes."""
    workflow = a_workflow(store)
    at = datetime(2026, 12, 4, 9, 31, tzinfo=UTC)  # a whole second
    values = {"workflow_id": workflow, "at": at, "field": "Name", "column": "Deal"}
    values |= {"direction": "to_smartsheet", "state": "done", "note": "core"}
    with store.unit() as session:
        session.execute(insert(TABLE), [values])
        row = tuple(values.values())[:-1]
        bulk.insert_rows(session, TABLE, tuple(values), [(*row, "bulk")])
    with store.unit() as session:
        stored = session.execute(
            text("SELECT note, at, before_json, caused_by, revert_of FROM change_log ORDER BY id")
        ).all()
    assert [row[0] for row in stored] == ["core", "bulk"]
    assert stored[0][1:] == stored[1][1:]  # the time, the defaults and the NULLs alike
