"""The per-workflow state a group needs, read and written in one go per group.

An idle tick of a thousand workflows used to cost a few database round trips and a commit
per workflow; here the group reads every member's state in one query, learns in one more
which members have refused writes to retry or creations in flight, and marks all of its
idle members synced in one UPDATE (and the few whose sheet version moved) and one commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from sync.planner import LinkState
from sync.store.tables import RecordLink, WorkflowRow


@dataclass(frozen=True)
class WorkflowState:
    sheet_version: int | None
    rows_read_at: datetime | None
    watermark: datetime | None
    backfilled: bool
    backfill_cursor: str
    allow_big_changes_once: bool


@dataclass(frozen=True)
class IdleMark:
    """An idle member is accounted for: its sheet up to `read_at`, Salesforce up to `now`."""

    workflow_id: int
    sheet_version: int
    read_at: datetime
    now: datetime


def workflow_states(session: Session, ids: Iterable[int]) -> dict[int, WorkflowState]:
    rows = session.execute(
        select(
            WorkflowRow.id,
            WorkflowRow.sheet_version,
            WorkflowRow.rows_read_at,
            WorkflowRow.watermark,
            WorkflowRow.backfilled,
            WorkflowRow.backfill_cursor,
            WorkflowRow.allow_big_changes_once,
        ).where(WorkflowRow.id.in_(list(ids)))
    )
    return {row[0]: WorkflowState(*row[1:]) for row in rows}


def busy_workflows(session: Session, ids: Iterable[int]) -> set[int]:
    """Members with records whose sheet write was refused (fetched again each tick) or
    links in creation: they are never idle, whatever the two sides say."""
    found = session.scalars(
        select(RecordLink.workflow_id)
        .where(
            RecordLink.workflow_id.in_(list(ids)),
            or_(
                RecordLink.pending.is_(True) & RecordLink.record_id.is_not(None),
                RecordLink.state == LinkState.CREATING.value,
            ),
        )
        .distinct()
    )
    return set(found)


def mark_idle(session: Session, marks: Sequence[IdleMark]) -> None:
    """One UPDATE per distinct (read_at, now), which an idle group shares: its members'
    versions rarely move while idle, and only those that did are written one by one."""
    if not marks:
        return
    by_moment: dict[tuple[datetime, datetime], list[int]] = defaultdict(list)
    for m in marks:
        by_moment[(m.read_at, m.now)].append(m.workflow_id)
    for (read_at, now), ids in by_moment.items():
        session.execute(
            update(WorkflowRow)
            .where(WorkflowRow.id.in_(ids))
            .values(rows_read_at=read_at, watermark=now)
            .execution_options(synchronize_session=False)
        )
    rows = session.execute(
        select(WorkflowRow.id, WorkflowRow.sheet_version).where(
            WorkflowRow.id.in_([m.workflow_id for m in marks])
        )
    )
    stored: dict[int, int | None] = {row.id: row.sheet_version for row in rows}
    moved = [m for m in marks if stored.get(m.workflow_id) != m.sheet_version]
    if moved:
        session.execute(
            update(WorkflowRow),
            [{"id": m.workflow_id, "sheet_version": m.sheet_version} for m in moved],
        )
