"""The change log in the database (SQLite, and PostgreSQL with TEST_DATABASE_URL): order,
paging, exact values for reverts, retention that spares reverts still to be written."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from sync.audit import AuditLog, RevertRefused, UnknownChange
from sync.changes import PENDING, NewChange
from sync.model import Direction, FieldMapping, Workflow
from sync.store import audit_store, repo
from sync.store.repo import ConnectionKind, Store

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def a_workflow(store: Store) -> int:
    with store.unit() as session:
        ids = [
            repo.add_connection(
                session,
                store.cipher,
                team_id="T1",
                owner_id="U1",
                kind=kind,
                access_token="secret",
                refresh_token=None,
                org_id="00D000000000001" if kind == ConnectionKind.SALESFORCE else "",
                now=T0,
            )
            for kind in (ConnectionKind.SALESFORCE, ConnectionKind.SMARTSHEET)
        ]
        wf = Workflow(
            id=0,
            name="wf",
            team_id="T1",
            owner_id="U1",
            salesforce_connection_id=ids[0],
            smartsheet_connection_id=ids[1],
            object_name="Opportunity",
            sheet_id=1,
            fields=(FieldMapping("Amount", "Amount", Direction.BOTH),),
        )
        return repo.save_workflow(session, wf, T0)


def change(wf: int, at: datetime, before: object, after: object, **kw: object) -> NewChange:
    return NewChange(
        workflow_id=wf,
        at=at,
        record_id="006000000000001AAA",
        row_id=7,
        field="Amount",
        column="Amount",
        before=before,  # type: ignore[arg-type]
        after=after,  # type: ignore[arg-type]
        direction="to_smartsheet",
        caused_by="005000000000001AAA",
        **kw,  # type: ignore[arg-type]
    )


def test_history_is_newest_first_with_display_values(store: Store) -> None:
    wf = a_workflow(store)
    with store.unit() as session:
        audit_store.add(
            session,
            [
                change(wf, T0, None, 1000.0),
                change(wf, T0 + timedelta(minutes=1), 1000.0, 2500.5),
                change(wf, T0 + timedelta(minutes=2), ("a", "b"), True),
            ],
        )
    log = AuditLog(store, now=lambda: T0)
    shown = log.history(wf)
    assert [(e.before, e.after) for e in shown] == [
        ("a, b", "true"),
        ("1000", "2500.5"),
        (None, "1000"),
    ]
    assert [e.after for e in log.history(wf, limit=1, offset=1)] == ["2500.5"]
    assert log.count(wf) == 3
    assert log.count(wf + 1) == 0


def test_a_revert_request_carries_the_exact_old_value_and_is_refused_twice(
    store: Store,
) -> None:
    wf = a_workflow(store)
    with store.unit() as session:
        audit_store.add(session, [change(wf, T0, ("x", "y"), ("z",))])
    log = AuditLog(store, now=lambda: T0 + timedelta(hours=1))
    original = log.history(wf)[0]
    revert = log.request_revert(original.id, requested_by="U9", workflow_id=wf)
    assert (revert.state, revert.revert_of, revert.caused_by) == (PENDING, original.id, "U9")
    with store.unit() as session:
        [(pending_id, pending)] = audit_store.pending(session, wf)
        assert audit_store.workflows_with_pending(session) == {wf}
    assert pending_id == revert.id
    assert (pending.before, pending.after) == (("z",), ("x", "y"))  # tuples, not lists
    with pytest.raises(RevertRefused):
        log.request_revert(original.id, requested_by="U9")
    with pytest.raises(RevertRefused):
        log.request_revert(revert.id, requested_by="U9")  # not written yet
    with pytest.raises(UnknownChange):
        log.request_revert(original.id, requested_by="U9", workflow_id=wf + 1)


def test_purge_drops_old_lines_but_keeps_reverts_waiting(store: Store) -> None:
    wf = a_workflow(store)
    with store.unit() as session:
        audit_store.add(
            session,
            [
                change(wf, T0, 1.0, 2.0),
                change(wf, T0, 2.0, 1.0, state=PENDING, revert_of=1),
                change(wf, T0 + timedelta(days=80), 2.0, 3.0),
            ],
        )
    assert AuditLog(store, now=lambda: T0 + timedelta(days=89)).purge() == 0
    assert AuditLog(store, now=lambda: T0 + timedelta(days=91)).purge() == 1
    left = AuditLog(store).history(wf)
    assert sorted(e.after for e in left) == ["1", "3"]


def test_a_deleted_workflow_takes_its_history_along(store: Store) -> None:
    wf = a_workflow(store)
    with store.unit() as session:
        audit_store.add(session, [replace(change(wf, T0, 1.0, 2.0))])
    with store.unit() as session:
        repo.delete_workflow(session, wf)
    with store.unit() as session:
        assert audit_store.count(session, wf) == 0
