"""bulk.insert_rows stores what a Core insert would, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, select

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
