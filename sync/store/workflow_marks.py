"""What the tick and the services write on a workflow's own row, by id: where its sync
stands (sheet version, watermark, backfill cursor), the one-time go-ahead after a safety
stop, and resuming. Callers hold the session; nothing here hands an ORM row out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.store.tables import SyncError, WorkflowRow


def _row(session: Session, workflow_id: int) -> WorkflowRow:
    row = session.get(WorkflowRow, workflow_id)
    if row is None:
        raise LookupError(f"there is no workflow {workflow_id}")
    return row


def mark_synced(
    session: Session, workflow_id: int, version: int, now: datetime, read_at: datetime
) -> None:
    """Both sides are accounted for: Salesforce up to the group's start (its query started
    after it), the sheet up to `read_at` (read then, or listed unchanged then)."""
    row = _row(session, workflow_id)
    row.sheet_version, row.rows_read_at, row.watermark = version, read_at, now


def save_backfill_cursor(session: Session, workflow_id: int, cursor: str) -> None:
    _row(session, workflow_id).backfill_cursor = cursor


def finish_backfill(session: Session, workflow_id: int) -> None:
    row = _row(session, workflow_id)
    row.backfilled, row.backfill_cursor = True, ""


def changes_accepted(session: Session, workflow_id: int) -> bool:
    """The owner resumed after a safety stop and accepted the held changes (once)."""
    return bool(_row(session, workflow_id).allow_big_changes_once)


def clear_accepted_changes(session: Session, workflow_id: int) -> None:
    _row(session, workflow_id).allow_big_changes_once = False


def resume(session: Session, workflow_id: int, now: datetime, *, accept_changes: bool) -> str:
    """Make the workflow active again and close its workflow-level problem; returns why it
    had been paused. `accept_changes` lets the next run go past the safety limits once."""
    row = _row(session, workflow_id)
    reason = row.paused_reason
    row.state, row.paused_reason, row.updated_at = "active", "", now
    row.allow_big_changes_once = accept_changes
    for problem in session.scalars(
        select(SyncError).where(
            SyncError.workflow_id == workflow_id,
            SyncError.scope == "workflow",
            SyncError.resolved_at.is_(None),
        )
    ):
        problem.resolved_at = now
    return reason


def require(session: Session, workflow_id: int) -> None:
    """A clear LookupError for an unknown id, before anything is written."""
    _row(session, workflow_id)


def id_named(session: Session, team_id: str, owner_id: str, name: str) -> int | None:
    """The id of the owner's workflow of that name in the workspace, if there is one."""
    found: int | None = session.scalars(
        select(WorkflowRow.id).where(
            WorkflowRow.team_id == team_id,
            WorkflowRow.owner_id == owner_id,
            WorkflowRow.name == name,
        )
    ).first()
    return found


def rename(session: Session, workflow_id: int, name: str) -> str:
    """Give the workflow a new name; returns the old one."""
    row = _row(session, workflow_id)
    old, row.name = row.name, name
    return old
