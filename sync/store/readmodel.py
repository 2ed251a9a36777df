"""Domain-typed reads and writes for the service layer: nothing outside sync/store/ sees an
ORM row. Functions take a session (the caller's unit of work) and never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.store import ledger
from sync.store.tables import RecordLink, Run, SyncError, WorkflowRow


@dataclass(frozen=True)
class WorkflowState:
    """What a list line or a detail view shows about a workflow besides its definition."""

    workflow_id: int
    active: bool
    paused_reason: str
    last_sync: datetime | None
    open_errors: int
    last_outcome: str  # "" before the first run


@dataclass(frozen=True)
class OpenError:
    scope: str  # row | workflow
    key: str
    code: str
    message: str
    since: datetime
    row_id: int | None = None  # the sheet row it concerns, when known (for a link to it)


def workflow_states(session: Session, workflow_ids: list[int]) -> dict[int, WorkflowState]:
    if not workflow_ids:
        return {}
    rows = session.scalars(select(WorkflowRow).where(WorkflowRow.id.in_(workflow_ids)))
    errors = dict(
        session.execute(
            select(SyncError.workflow_id, func.count())
            .where(SyncError.workflow_id.in_(workflow_ids), SyncError.resolved_at.is_(None))
            .group_by(SyncError.workflow_id)
        ).all()
    )
    return {row.id: _state(session, row, int(errors.get(row.id, 0))) for row in rows}


def _state(session: Session, row: WorkflowRow, errors: int) -> WorkflowState:
    run = session.scalars(
        select(Run).where(Run.workflow_id == row.id).order_by(Run.id.desc()).limit(1)
    ).first()
    return WorkflowState(
        workflow_id=row.id,
        active=row.state == "active",
        paused_reason=row.paused_reason,
        last_sync=run.finished_at if run else None,
        open_errors=errors,
        last_outcome=run.outcome if run else "",
    )


def open_errors(session: Session, workflow_id: int, limit: int = 50) -> list[OpenError]:
    """Newest first; a row error keyed by its record gets the linked row's id."""
    errors = ledger.open_errors(session, workflow_id, limit)
    record_ids = {e.key for e in errors if e.scope == "row" and not _row_key(e.key)}
    links = session.scalars(
        select(RecordLink).where(
            RecordLink.workflow_id == workflow_id, RecordLink.record_id.in_(record_ids)
        )
    )
    rows = {link.record_id: link.row_id for link in links}
    return [
        OpenError(
            e.scope, e.key, e.code, e.message, e.first_seen, _row_key(e.key) or rows.get(e.key)
        )
        for e in errors
    ]


def _row_key(key: str) -> int | None:
    """A row error of a row not linked to a record is keyed "row:<row id>"."""
    tail = key.removeprefix("row:")
    return int(tail) if tail != key and tail.isdigit() else None


def set_paused(session: Session, workflow_id: int, reason: str, now: datetime) -> None:
    row = session.get(WorkflowRow, workflow_id)
    if row is not None:
        row.state, row.paused_reason, row.updated_at = "paused", reason, now


def set_owner(
    session: Session, workflow_id: int, owner_id: str, sf: int, ss: int, now: datetime
) -> None:
    row = session.get(WorkflowRow, workflow_id)
    if row is not None:
        row.owner_id, row.updated_at = owner_id, now
        row.salesforce_connection_id, row.smartsheet_connection_id = sf, ss


def pause_team(session: Session, team_id: str, reason: str, now: datetime) -> list[int]:
    """Pause every active workflow of a workspace (kept, so a reinstall can resume them)."""
    paused = []
    for row in session.scalars(
        select(WorkflowRow).where(WorkflowRow.team_id == team_id, WorkflowRow.state == "active")
    ):
        row.state, row.paused_reason, row.updated_at = "paused", reason, now
        paused.append(row.id)
    return paused


def pause_using(session: Session, connection_id: int, reason: str, now: datetime) -> list[int]:
    """Pause the active workflows that use this connection (either side)."""
    paused = []
    for row in session.scalars(
        select(WorkflowRow).where(
            (WorkflowRow.salesforce_connection_id == connection_id)
            | (WorkflowRow.smartsheet_connection_id == connection_id),
            WorkflowRow.state == "active",
        )
    ):
        row.state, row.paused_reason, row.updated_at = "paused", reason, now
        paused.append(row.id)
    return paused
