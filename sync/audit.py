"""The audit trail: every value the engine writes, who caused it, and reverts.

Recording: after each execution the values that went out (Execution.written) become log
lines in the same transaction as the links. "Who" costs no extra call: Salesforce's
LastModifiedById rides along in the group query, and the rows are read with
include=rowWriterInfo, which adds modifiedBy (the editor's e-mail).

Reverts: `AuditLog.request_revert` logs a pending revert; the workflow's next tick, after
its normal sync, writes the old value with the normal executor to every side the
mapping's direction lets syncbot write (a to_smartsheet field: only the sheet). The
newest edit wins: if the value changed again since the change being reverted, the
revert is refused (logged as failed with the reason) instead of undoing the later edit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from sync.changes import CREATED, DONE, FAILED, PENDING, ChangeEntry, NewChange, display
from sync.clock import SystemClock
from sync.errors import RevertRefused, UnknownChange
from sync.executor import TO_SMARTSHEET, Execution, Executor, Outcome, Written
from sync.layout import Layout
from sync.model import Canon
from sync.planner import Action, Link, LinkPlan, LinkState, Plan, Snapshot
from sync.ports import ErrorReport, SalesforcePort, SmartsheetPort
from sync.store import audit_store, ledger, repo
from sync.store.repo import Store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "DEFAULT_RETENTION",
    "AuditLog",
    "AuditTrail",
    "ChangeEntry",
    "RevertRefused",
    "UnknownChange",
    "changes_written",
    "plan_reverts",
    "with_editors",
]

DEFAULT_RETENTION = timedelta(days=90)
PURGE_EVERY = timedelta(hours=1)  # a retention of days needs no purge per tick

Now = Callable[[], datetime]


def _utcnow() -> datetime:
    return SystemClock().now()


class AuditLog:
    """What Slack and the CLI read and ask for (history, revert, purge)."""

    def __init__(self, store: Store, now: Now = _utcnow) -> None:
        self.store = store
        self.now = now

    def history(self, workflow_id: int, *, limit: int = 20, offset: int = 0) -> list[ChangeEntry]:
        """Newest first."""
        with self.store.unit() as session:
            return audit_store.history(session, workflow_id, limit, offset)

    def count(self, workflow_id: int) -> int:
        with self.store.unit() as session:
            return audit_store.count(session, workflow_id)

    def request_revert(
        self, change_id: int, *, requested_by: str, workflow_id: int | None = None
    ) -> ChangeEntry:
        """Log a revert of `change_id`; the workflow's next tick writes it. `workflow_id`,
        when given, must be the change's (a caller's way of saying "of this workflow")."""
        with self.store.unit() as session:
            found = audit_store.load(session, change_id)
            if found is None or workflow_id not in (None, found[1].workflow_id):
                raise UnknownChange(f"There is no change {change_id} in this history.")
            change = found[1]
            if change.field == CREATED:
                undo = (
                    "delete the row in the sheet"
                    if change.direction == TO_SMARTSHEET
                    else "delete the record in Salesforce"
                )
                raise RevertRefused(
                    f"Change {change_id} created a new {_created_what(change.direction)}, so "
                    f"there is no earlier value to put back; {undo} if it should not be there."
                )
            if change.state != DONE:
                raise RevertRefused(
                    f"Change {change_id} was not written ({change.state}), so there is "
                    "nothing to revert."
                )
            if audit_store.has_pending_revert(session, change_id):
                raise RevertRefused(
                    f"A revert of change {change_id} is already waiting for the next sync."
                )
            revert = replace(
                change,
                at=self.now(),
                before=change.after,
                after=change.before,
                caused_by=requested_by,
                revert_of=change_id,
                state=PENDING,
                note="",
            )
            return audit_store.add_one(session, revert)

    def purge(self, older_than: timedelta = DEFAULT_RETENTION) -> int:
        """Forget entries older than `older_than`; returns how many went."""
        with self.store.unit() as session:
            return audit_store.purge(session, self.now() - older_than)


class AuditTrail:
    """The engine's side: record what was written, purge now and then, write reverts."""

    def __init__(self, store: Store, now: Now, retention: timedelta = DEFAULT_RETENTION) -> None:
        self.store = store
        self.now = now
        self.retention = retention
        self._purged_at: datetime | None = None
        self._pending: set[int] = set()

    def begin_tick(self) -> None:
        """One cheap query per tick (which workflows have reverts waiting), and at most
        hourly a DELETE on the indexed timestamp."""
        now = self.now()
        with self.store.unit() as session:
            if self._purged_at is None or now - self._purged_at >= PURGE_EVERY:
                audit_store.purge(session, now - self.retention)
                self._purged_at = now
            self._pending = audit_store.workflows_with_pending(session)

    def record(
        self,
        session: Session,
        layout: Layout,
        snapshot: Snapshot,
        execution: Execution,
        now: datetime,
    ) -> None:
        audit_store.add(session, changes_written(layout, snapshot, execution, now))

    def apply_reverts(self, layout: Layout, sf: SalesforcePort, ss: SmartsheetPort) -> None:
        wf = layout.workflow
        if wf.id not in self._pending:
            return
        self._pending.discard(wf.id)
        with self.store.unit() as session:
            reverts = audit_store.pending(session, wf.id)
            links = repo.links(
                session,
                wf.id,
                record_ids={c.record_id for _, c in reverts if c.record_id},
                row_ids={c.row_id for _, c in reverts if c.row_id is not None},
            )
            statuses = repo.link_statuses(session, wf.id)
        batch = plan_reverts(layout, reverts, links)
        run = _RevertRun(Executor(layout, sf, ss, statuses, {}, save_intents=lambda _: None))
        run.execute(batch.plan)
        now = self.now()
        with self.store.unit() as session:
            for execution in run.executions:
                ledger.save_outcomes(session, wf.id, execution.outcomes, now)
            for change_id, why in batch.refused.items():
                audit_store.finish(session, change_id, FAILED, now, why)
            for change_id, target in batch.targets.items():
                _close(session, change_id, target, run, now)


class _RevertRun:
    """Salesforce first: a value it refuses (a required field, a validation rule) is not
    put in the sheet either, so both sides keep agreeing."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor
        self.executions: list[Execution] = []
        self.sides: dict[int, dict[str, set[str]]] = {}  # id(plan) → direction → fields
        self.errors: dict[int, str] = {}  # id(plan) → why a write was refused

    def execute(self, plan: Plan) -> None:
        if not plan.links:
            return
        held = {id(p): _hold_back(p) for p in plan.links}
        first = self._run(plan, {id(p): p for p in plan.links})
        second, origin = Plan(), {}
        for p in plan.links:
            out = first.get(id(p))
            if held[id(p)] and out is not None and "to_salesforce" in self.sides.get(id(p), {}):
                again = _link_plan_after(out, held[id(p)])
                second.links.append(again)
                origin[id(again)] = p
        if second.links:
            self._run(second, origin)

    def _run(self, plan: Plan, origin: Mapping[int, LinkPlan]) -> dict[int, Outcome]:
        execution = self.executor.run(plan)
        self.executions.append(execution)
        for w in execution.written:
            sides = self.sides.setdefault(id(origin[id(w.plan)]), {})
            sides.setdefault(w.direction, set()).update(w.values)
        by_key = {o.before: o for o in execution.outcomes}
        outcomes = {}
        for p in plan.links:
            out = by_key.get((p.record_id, p.row_id))
            if out is not None:
                outcomes[id(origin[id(p)])] = out
                if out.errors:
                    self.errors[id(origin[id(p)])] = "; ".join(dict.fromkeys(out.errors.values()))
        return outcomes


def _hold_back(p: LinkPlan) -> dict[str, Canon]:
    """Sheet values that wait for Salesforce to accept the same value."""
    held = {name: v for name, v in p.to_sheet.items() if name in p.to_salesforce}
    for name in held:
        del p.to_sheet[name]
    return held


def _link_plan_after(out: Outcome, to_sheet: dict[str, Canon]) -> LinkPlan:
    return LinkPlan(
        record_id=out.record_id,
        row_id=out.row_id,
        before=dict(out.synced),
        after=dict(out.synced) | to_sheet,
        state=out.state,
        note=out.note,
        errors=dict(out.errors),
        to_sheet=dict(to_sheet),
    )


# -- recording (pure) --------------------------------------------------------------------
def changes_written(
    layout: Layout, snapshot: Snapshot, execution: Execution, now: datetime
) -> list[NewChange]:
    """One line per value that went out, with the value it replaced on that side and the
    person whose edit caused it (the other side's last editor); one line per row or
    record syncbot created, holding its values."""
    changes = []
    columns = {m.field.name: m.column.title for m in layout.mappings}
    for w in execution.written:
        p, out = w.plan, w.outcome
        line = partial(
            NewChange,
            workflow_id=layout.workflow.id,
            at=now,
            record_id=out.record_id,
            row_id=out.row_id,
            direction=w.direction,
            caused_by=_cause(snapshot, p, w.direction),
        )
        if _creates(p, w.direction):
            changes.append(line(field=CREATED, column="", before=None, after=_values(w, columns)))
            continue
        for name, after in w.values.items():
            before = _before(snapshot, p, name, w.direction)
            if not _same(before, after):
                changes.append(line(field=name, column=columns[name], before=before, after=after))
    return changes


def _created_what(direction: str) -> str:
    return "row" if direction == TO_SMARTSHEET else "record"


def _creates(p: LinkPlan, direction: str) -> bool:
    if direction == TO_SMARTSHEET:
        return p.action is Action.ADD_ROW
    return p.action is Action.CREATE_RECORD


def _values(w: Written, columns: Mapping[str, str]) -> tuple[str, ...]:
    """The new row's (or record's) values as the person reads them, empty ones left out."""
    return tuple(
        f"{columns[name]}: {text}"
        for name, value in w.values.items()
        if (text := display(value)) is not None
    )


def _before(snapshot: Snapshot, p: LinkPlan, name: str, direction: str) -> Canon:
    """What the written side held: the value read this tick, else the last synced one."""
    if direction == TO_SMARTSHEET:
        row = snapshot.rows.get(p.row_id) if p.row_id is not None else None
        if row is not None and name not in row.errors:
            return row.values.get(name)
    else:
        record = snapshot.records.get(p.record_id) if p.record_id else None
        if record is not None:
            return record.values.get(name)
    return p.before.get(name)


def _cause(snapshot: Snapshot, p: LinkPlan, direction: str) -> str | None:
    """A value written to the sheet came from Salesforce, and the other way round."""
    if direction == TO_SMARTSHEET:
        record = snapshot.records.get(p.record_id) if p.record_id else None
        return record.modified_by if record is not None else None
    row = snapshot.rows.get(p.row_id) if p.row_id is not None else None
    return row.modified_by if row is not None else None


def with_editors(
    reports: Sequence[ErrorReport], snapshot: Snapshot, execution: Execution
) -> list[ErrorReport]:
    """Row error reports get the e-mail of the row's last editor, when the row was read."""
    row_of: dict[str, int] = {}
    for out in execution.outcomes:
        for record_id in (out.record_id, out.before[0]):
            row_id = out.row_id if out.row_id is not None else out.before[1]
            if record_id and row_id is not None:
                row_of.setdefault(record_id, row_id)
    result = []
    for report in reports:
        row_id = _row_of_key(report.key, row_of) if report.scope == "row" else None
        row = snapshot.rows.get(row_id) if row_id is not None else None
        email = row.modified_by if row is not None else None
        result.append(replace(report, editor_email=email) if email else report)
    return result


def _row_of_key(key: str, row_of: Mapping[str, int]) -> int | None:
    if key.startswith("row:"):
        tail = key[4:]
        return int(tail) if tail.isdigit() else None
    return row_of.get(key)


# -- reverts (pure planning) ---------------------------------------------------------------
@dataclass(frozen=True)
class RevertTarget:
    plan: LinkPlan
    change: NewChange


@dataclass
class RevertBatch:
    plan: Plan = field(default_factory=Plan)
    targets: dict[int, RevertTarget] = field(default_factory=dict)  # revert id → its write
    refused: dict[int, str] = field(default_factory=dict)  # revert id → why not


def plan_reverts(
    layout: Layout, reverts: Sequence[tuple[int, NewChange]], links: Sequence[Link]
) -> RevertBatch:
    """Turn pending reverts into link plans the executor runs like any other: the old
    value goes to each side the mapping lets syncbot write."""
    batch = RevertBatch()
    by_key: dict[tuple[str | None, int | None], LinkPlan] = {}
    for change_id, change in reverts:
        link = _link_of(change, links)
        why = _refusal(layout, change, link)
        if why or link is None:
            batch.refused[change_id] = why
            continue
        key = (link.record_id, link.row_id)
        if key not in by_key:
            by_key[key] = _link_plan(link)
            batch.plan.links.append(by_key[key])
        p = by_key[key]
        for earlier_id, earlier in list(batch.targets.items()):
            if earlier.plan is p and earlier.change.field == change.field:
                del batch.targets[earlier_id]
                batch.refused[earlier_id] = "A later revert of the same value replaced this one."
        rule = layout.mapping(change.field).rule
        if rule.to_sheet and link.row_id is not None:
            p.to_sheet[change.field] = change.after
        if rule.to_salesforce and link.record_id:
            p.to_salesforce[change.field] = change.after
        p.after[change.field] = change.after
        batch.targets[change_id] = RevertTarget(p, change)
    return batch


def _link_of(change: NewChange, links: Sequence[Link]) -> Link | None:
    for link in links:
        if change.record_id and link.record_id == change.record_id:
            return link
    for link in links:
        if change.row_id is not None and link.row_id == change.row_id:
            return link
    return None


def _refusal(layout: Layout, change: NewChange, link: Link | None) -> str:
    if link is None or link.state is not LinkState.LINKED:
        return "The record and row are no longer linked, so the value cannot be put back."
    if not any(m.field.name == change.field for m in layout.mappings):
        return f"“{change.column}” is no longer mapped in this workflow."
    now = link.synced.get(change.field)
    if not _same(now, change.before):
        return (
            f"“{change.column}” changed again since (now “{display(now) or 'empty'}”); "
            "the newer edit stays. Revert that change instead."
        )
    return ""


def _link_plan(link: Link) -> LinkPlan:
    return LinkPlan(
        record_id=link.record_id,
        row_id=link.row_id,
        before=link.synced,
        after=dict(link.synced),
        state=link.state,
        note=link.note,
        errors=dict(link.errors),  # standing row errors stay as they are
    )


def _close(
    session: Session, change_id: int, target: RevertTarget, run: _RevertRun, now: datetime
) -> None:
    """The pending entry becomes the line of its own side; a second side written gets its
    own line (revert_of the same change)."""
    change = target.change
    sides = {
        side
        for side, fields in run.sides.get(id(target.plan), {}).items()
        if change.field in fields
    }
    if change.direction in sides:
        audit_store.finish(session, change_id, DONE, now)
    else:
        why = run.errors.get(id(target.plan)) or "Nothing could be written."
        audit_store.finish(session, change_id, FAILED, now, why)
    for side in sorted(sides - {change.direction}):
        extra = replace(change, at=now, direction=side, state=DONE, note="")
        audit_store.add_one(session, extra)


def _same(a: object, b: object) -> bool:
    """Canonical equality that does not mind JSON's lists for tuples."""
    if a is None or b is None:
        return a is b  # a new row's empty side: the commonest case in a backfill
    if type(a) is type(b) and not isinstance(a, list | tuple):
        return a == b  # the common case, without serialising (True == 1 stays apart)
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
