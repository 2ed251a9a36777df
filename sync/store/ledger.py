"""What a tick writes down: links after execution, group watermarks and leases, errors
(deduplicated, with first/last seen) and runs. Callers commit."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, case, delete, null, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.executor import Outcome, Stats
from sync.ports import ErrorReport
from sync.store import bulk
from sync.store.tables import GroupState, RecordLink, Run, SyncError, WorkflowRow


# -- links -----------------------------------------------------------------------------
def save_outcomes(
    session: Session, workflow_id: int, outcomes: Iterable[Outcome], now: datetime
) -> None:
    outcomes = list(outcomes)
    fresh = [o for o in outcomes if o.new and not o.drop]
    if fresh:  # a backfill adds thousands at once: one multi-row INSERT, no ORM objects
        _drop_intents(session, workflow_id, [o.record_id for o in fresh if o.intended])
        values = [_link_values(workflow_id, o, now) for o in fresh]
        bulk.insert_rows(session, cast(Table, RecordLink.__table__), LINK_COLUMNS, values)
    outcomes = [o for o in outcomes if not o.new]
    by_record, by_row = _existing_links(session, workflow_id, outcomes)
    for out in outcomes:
        record_id, row_id = out.before
        row = by_record.get(record_id) if record_id else None
        if row is None and row_id is not None:
            row = by_row.get(row_id)
        if out.drop:
            if row is not None:
                session.delete(row)
            continue
        if row is None:
            row = RecordLink(workflow_id=workflow_id)
            session.add(row)
        row.record_id, row.row_id = out.record_id, out.row_id
        row.synced_json = _synced_json(out)
        row.errors_json = _errors_json(out.errors)
        row.pending = out.pending
        row.state, row.note, row.status, row.updated_at = out.state.value, out.note, out.status, now
    session.flush()


def _synced_json(out: Outcome) -> str:
    if out.synced_text is not None and out.synced_text[0] == out.synced:
        return out.synced_text[1]
    text = json.dumps(out.synced, sort_keys=True)
    out.synced_text = (dict(out.synced), text)
    return text


def _errors_json(errors: dict[str, str]) -> str:
    return json.dumps(errors, sort_keys=True) if errors else "{}"  # most links: no error


def _drop_intents(session: Session, workflow_id: int, record_ids: list[str | None]) -> None:
    """Links stored as write-ahead intents this run are replaced whole (cheaper than
    updating thousands of ORM objects after a backfill page)."""
    for chunk in _chunks(sorted(i for i in record_ids if i), 500):
        session.execute(
            delete(RecordLink).where(
                RecordLink.workflow_id == workflow_id, RecordLink.record_id.in_(chunk)
            )
        )


LINK_COLUMNS = (  # in the table's order, so values go to the driver as they are
    "workflow_id",
    "record_id",
    "row_id",
    "synced_json",
    "state",
    "note",
    "status",
    "errors_json",
    "pending",
    "updated_at",
)


def _link_values(workflow_id: int, out: Outcome, now: datetime) -> tuple[Any, ...]:
    return (
        workflow_id,
        out.record_id,
        out.row_id,
        _synced_json(out),
        out.state.value,
        out.note,
        out.status,
        _errors_json(out.errors),
        out.pending,
        now,
    )


def _existing_links(
    session: Session,
    workflow_id: int,
    outcomes: list[Outcome],
) -> tuple[dict[str, RecordLink], dict[int, RecordLink]]:
    """One query for the links these outcomes touch (a backfill page touches thousands)."""
    records = {o.before[0] for o in outcomes if o.before[0]}
    rows = {o.before[1] for o in outcomes if o.before[1] is not None}
    found: list[RecordLink] = []
    for chunk in _chunks(sorted(records), 500):
        found += session.scalars(
            select(RecordLink).where(
                RecordLink.workflow_id == workflow_id, RecordLink.record_id.in_(chunk)
            )
        )
    for chunk in _chunks(sorted(rows), 500):
        found += session.scalars(
            select(RecordLink).where(
                RecordLink.workflow_id == workflow_id, RecordLink.row_id.in_(chunk)
            )
        )
    by_record = {link.record_id: link for link in found if link.record_id}
    by_row = {link.row_id: link for link in found if link.row_id is not None}
    return by_record, by_row


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def clear_links(session: Session, workflow_id: int) -> None:
    session.execute(delete(RecordLink).where(RecordLink.workflow_id == workflow_id))


# -- groups: watermark and lease -------------------------------------------------------
@dataclass(frozen=True)
class Busy:
    """Another instance holds the group: who, and until when its lease runs (None: it is
    claiming the group this very moment)."""

    owner: str
    until: datetime | None


@dataclass(frozen=True)
class NotDue:
    """The group already ran in this interval window (on some instance)."""

    last_run_at: datetime


@dataclass(frozen=True)
class Claimed:
    """The lease is ours; `skip_until` says whether the group is waiting for the API
    allowance (then the caller leaves it alone this tick)."""

    skip_until: datetime | None


def claim_group(
    session: Session,
    connection_id: int,
    object_name: str,
    owner: str,
    now: datetime,
    lease: timedelta,
    *,
    locked: bool | None = None,
    due_after: datetime | None = None,
) -> Claimed | Busy | NotDue:
    """Take the group's lease unless another live holder has it.

    `locked` tells what the group's lock (sync.store.locks) said: True, the caller holds
    it, so any lease left is a dead holder's and is taken over at once; False, someone
    else holds it, so the group is busy until its lease expires (the bound for a holder
    that is alive but hung); None, there is no lock, only the lease. On PostgreSQL the row
    is locked with SKIP LOCKED, so two instances never claim the same group at once.
    With `due_after`, a group that already ran at or after it is not due: several
    instances ticking on one schedule then run each group once per interval."""
    query = select(GroupState).where(
        GroupState.connection_id == connection_id, GroupState.object_name == object_name
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    state = session.scalars(query).one_or_none()
    if state is None:
        if _exists(session, connection_id, object_name):
            return Busy("another instance", None)  # claiming it right now
        if locked is False:
            return Busy("another instance", None)  # has the lock, is claiming the lease
        created = _create_group_state(session, connection_id, object_name)
        if created is None:
            return Busy("another instance", None)  # created it a moment ago
        state = created
    elif not locked and _lease_live(state, owner, now, locked is False):
        return Busy(state.lease_owner or "another instance", state.lease_expires_at)
    elif due_after is not None and state.last_run_at and state.last_run_at >= due_after:
        return NotDue(state.last_run_at)
    state.lease_owner, state.lease_expires_at = owner, now + lease
    session.flush()
    return Claimed(state.skip_until)


def _create_group_state(
    session: Session, connection_id: int, object_name: str
) -> GroupState | None:
    """Two instances may see a new group at once; the unique key lets one of them win
    (in a savepoint, so the loser's transaction goes on)."""
    state = GroupState(connection_id=connection_id, object_name=object_name)
    try:
        with session.begin_nested():
            session.add(state)
    except IntegrityError:
        return None
    return state


def _lease_live(state: GroupState, owner: str, now: datetime, lock_taken: bool) -> bool:
    if lock_taken and state.lease_owner is None:
        return True  # the lock's holder is about to write its lease
    if not lock_taken and state.lease_owner in (None, owner):
        return False
    return state.lease_expires_at is not None and state.lease_expires_at > now


def _exists(session: Session, connection_id: int, object_name: str) -> bool:
    found = session.execute(
        select(GroupState.id).where(
            GroupState.connection_id == connection_id, GroupState.object_name == object_name
        )
    )
    return found.first() is not None


def release_group(session: Session, connection_id: int, object_name: str, owner: str) -> None:
    state = _group_state(session, connection_id, object_name)
    if state is not None and state.lease_owner == owner:
        state.lease_owner, state.lease_expires_at = None, None


def _group_state(session: Session, connection_id: int, object_name: str) -> GroupState | None:
    return session.scalars(
        select(GroupState).where(
            GroupState.connection_id == connection_id,
            GroupState.object_name == object_name,
        )
    ).one_or_none()


def finish_group_run(
    session: Session, connection_id: int, object_name: str, owner: str, at: datetime
) -> None:
    """The group ran in the window of `at` and its lease (if still ours) is given back,
    in one statement (an idle group's run is a handful of them, 200 groups a pass)."""
    ours = GroupState.lease_owner == owner
    session.execute(
        update(GroupState)
        .where(GroupState.connection_id == connection_id, GroupState.object_name == object_name)
        .values(
            last_run_at=at,
            lease_owner=case((ours, null()), else_=GroupState.lease_owner),
            lease_expires_at=case((ours, null()), else_=GroupState.lease_expires_at),
        )
        .execution_options(synchronize_session=False)
    )


def skip_group_until(
    session: Session, connection_id: int, object_name: str, until: datetime
) -> None:
    """The API allowance is used up: claims wait until it refills."""
    state = _group_state(session, connection_id, object_name)
    if state is not None:
        state.skip_until = until


# -- errors ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    scope: str  # "row" | "workflow"
    key: str
    code: str
    message: str


def record_problems(
    session: Session,
    workflow_id: int,
    problems: Sequence[Problem],
    now: datetime,
    *,
    scope: str,
    keys_seen: set[str] | None = None,
) -> list[ErrorReport]:
    """Upsert the current problems of one scope; resolve those of `keys_seen` that are gone.

    Returns the reports worth a DM: new problems, changed messages, and resolutions.
    `keys_seen` None means "every key of this scope was checked" (a full view)."""
    workflow = session.get(WorkflowRow, workflow_id)
    if workflow is None:
        raise LookupError(f"there is no workflow {workflow_id}")
    open_rows = {
        e.key: e
        for e in session.scalars(
            select(SyncError).where(
                SyncError.workflow_id == workflow.id,
                SyncError.scope == scope,
                SyncError.resolved_at.is_(None),
            )
        )
    }
    reports: list[ErrorReport] = []
    current = {p.key: p for p in problems}
    for key, problem in current.items():
        existing = open_rows.get(key)
        if existing is not None and existing.message == problem.message:
            existing.last_seen = now
            continue
        if existing is not None:
            existing.resolved_at = now
        session.add(
            SyncError(
                workflow_id=workflow.id,
                scope=scope,
                key=key,
                code=problem.code,
                message=problem.message,
                first_seen=now,
                last_seen=now,
                notified_at=now,
            )
        )
        reports.append(_report(workflow, scope, key, problem.code, problem.message))
    for key, existing in open_rows.items():
        if key in current or (keys_seen is not None and key not in keys_seen):
            continue
        existing.resolved_at = now
        reports.append(_report(workflow, scope, key, existing.code, existing.message, True))
    session.flush()
    return reports


def _report(
    workflow: WorkflowRow, scope: str, key: str, code: str, message: str, resolved: bool = False
) -> ErrorReport:
    return ErrorReport(
        workflow_id=workflow.id,
        workflow_name=workflow.name,
        scope=scope,
        key=key,
        code=code,
        message=message,
        resolved=resolved,
    )


def open_errors(session: Session, workflow_id: int, limit: int = 50) -> list[SyncError]:
    return list(
        session.scalars(
            select(SyncError)
            .where(
                SyncError.workflow_id == workflow_id,
                SyncError.resolved_at.is_(None),
            )
            # newest first: when it began (an old error seen again this tick stays below)
            .order_by(SyncError.first_seen.desc(), SyncError.id.desc())
            .limit(limit)
        )
    )


# -- runs ------------------------------------------------------------------------------
_RUN_COUNTS = (
    "rows_created",
    "rows_updated",
    "rows_deleted",
    "records_created",
    "records_updated",
    "row_errors",
)


def record_run(
    session: Session, workflow_id: int, started_at: datetime, finished_at: datetime, stats: Stats
) -> None:
    """One line of the workflow's run history; a run that changed nothing leaves none."""
    counts = {name: getattr(stats, name) for name in _RUN_COUNTS}
    if not any(counts.values()):
        return
    outcome = "partial" if stats.row_errors else "ok"
    session.add(Run(workflow_id=workflow_id, started_at=started_at, finished_at=finished_at,
                    outcome=outcome, **counts))  # fmt: skip
    session.flush()


def last_group_runs(session: Session) -> dict[int, datetime]:
    """Active workflow id -> when its group last ran (on any instance): the sync lag's base."""
    query = (
        select(WorkflowRow.id, GroupState.last_run_at)
        .join(
            GroupState,
            (GroupState.connection_id == WorkflowRow.salesforce_connection_id)
            & (GroupState.object_name == WorkflowRow.object_name),
        )
        .where(WorkflowRow.state == "active", GroupState.last_run_at.is_not(None))
    )
    return {workflow_id: at for workflow_id, at in session.execute(query) if at is not None}
