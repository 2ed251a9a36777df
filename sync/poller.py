"""One tick of the engine: groups, leases, watermarks, backfills, plan, execute, record.

A group is one (Salesforce connection, object). Per tick a group costs ONE incremental
query (queryAll, so deletions come along with IsDeleted) however many workflows share it,
plus one listing of changed sheets per Smartsheet connection (sync/sheet_changes.py);
rows are read only when a sheet's version moved.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

from sync.audit import DEFAULT_RETENTION, AuditTrail, with_editors
from sync.budget import BudgetSpent
from sync.courtesy import no_courtesy
from sync.errors import (
    ApiAllowanceReached,
    AuthRevoked,
    ConfigurationError,
    InvalidQuery,
    NotFoundError,
    Resolution,
    SafetyStop,
    SyncbotError,
)
from sync.executor import Execution, Executor, Outcome, Prepared
from sync.layout import AUDIT_FIELDS, Layout, record_seen, row_seen, status_text
from sync.model import Workflow
from sync.pipeline import Pipeline, prefetched
from sync.planner import Limits, RecordSeen, Snapshot, plan
from sync.ports import Clock, ErrorReport, Notifier, SalesforcePort, SmartsheetPort
from sync.purges import PurgeWatch
from sync.setup import LayoutBuilder
from sync.sheet_changes import SheetChanges
from sync.soql import backfill_query, id_after, incremental_query, records_by_id_query, where_clause
from sync.store import group_state, ledger, repo, workflow_marks
from sync.store.group_state import IdleMark
from sync.store.locks import GroupLocks, group_locks
from sync.store.repo import Store
from sync.tick import (
    Failure,
    GroupOutcome,
    GroupRun,
    GroupStatus,
    TickReport,
    WorkflowRun,
    tick_log,
)

log = logging.getLogger(__name__)
BACKFILL_STEP = 500  # records per backfill step: Smartsheet adds at most 500 rows a call
ASIDE_EVERY = 100  # records converted between two chances to step aside for Slack
NO_LIMITS = Limits(max_delete_share=1.0, max_blank_share=1.0, floor=10**9)

Progress = Callable[[int, int, int], None]  # (workflow id, done, total)


class Connectors(Protocol):
    def salesforce(self, connection_id: int, stored: Any = None) -> SalesforcePort: ...

    def read_salesforce(self, session: Any, connection_id: int) -> Any:
        """What `salesforce` reads from the store, in the caller's unit (passed back to it
        as `stored`)."""
        ...

    def smartsheet(self, connection_id: int) -> SmartsheetPort: ...


@dataclass(frozen=True)
class EngineConfig:
    instance_id: str = "local"
    overlap: timedelta = timedelta(seconds=120)
    lease: timedelta = timedelta(minutes=5)
    limits: Limits = field(default_factory=Limits)
    # The schedule's interval in seconds, read at each group: a group runs at most once per
    # interval window (windows aligned on the epoch), however many instances tick.
    # None (sync-once, tests) runs every group on every tick.
    interval: Callable[[], float] | None = None
    audit_retention: timedelta = DEFAULT_RETENTION
    # Called between steps (a group, a backfill step, a batch of records): `serve` waits
    # there while Slack is being answered (sync/courtesy.py).
    step_aside: Callable[[], None] = no_courtesy

    def window_start(self, now: datetime) -> datetime | None:
        if self.interval is None:
            return None
        seconds = max(float(self.interval()), 1.0)
        epoch = now.timestamp()
        return now - timedelta(seconds=epoch % seconds)


class Syncer:
    """Runs ticks: finds the due groups, syncs each under its lock, reports per group."""

    def __init__(
        self,
        store: Store,
        connectors: Connectors,
        clock: Clock,
        notifier: Notifier | None = None,
        config: EngineConfig | None = None,
        progress: Progress | None = None,
        locks: GroupLocks | None = None,
    ) -> None:
        self.store = store
        self.locks = locks or group_locks(store.sessions.kw["bind"])
        self.connectors = connectors
        self.clock = clock
        self.notifier = notifier
        self.config = config or EngineConfig()
        self.progress = progress
        self.layouts = LayoutBuilder()
        self.purges = PurgeWatch(self.config.overlap)
        self.audit = AuditTrail(store, lambda: self.clock.now(), self.config.audit_retention)
        self._order = random.Random()  # an order of work, not a secret

    # -- entry points --------------------------------------------------------------
    def tick(self, only: Iterable[int] | None = None) -> TickReport:
        report = TickReport(
            sheet_changes=SheetChanges(self.clock, self.config.overlap, self._oldest_read)
        )
        self.audit.begin_tick()
        with self.store.unit() as session:
            active = repo.workflows(session, active_only=True)
        wanted = set(only) if only is not None else None
        groups: dict[tuple[int, str], list[Workflow]] = defaultdict(list)
        for wf in active:
            if wanted is None or wf.id in wanted:
                groups[(wf.salesforce_connection_id, wf.object_name)].append(wf)
        for (connection_id, object_name), members in self._in_turn(groups):
            outcome = GroupOutcome(connection_id, object_name)
            report.outcomes.append(outcome)
            group = GroupRun(connection_id, object_name, members, self.clock.now(), report, outcome)
            self._run_group(group)
            tick_log.info("%s", outcome.log_line())
        return report

    def _in_turn(
        self, groups: dict[tuple[int, str], list[Workflow]]
    ) -> list[tuple[tuple[int, str], list[Workflow]]]:
        """On a schedule shared by several instances, each takes the groups in an order
        of its own: in one order they met at the same group again and again, and each
        finished run cost two refused claims (bench/scale_out.py: 5,000 refusals for 2,800
        runs per instance). Any one order would also serve the same groups last whenever a
        pass overruns its interval. One-off ticks (`sync-once`, tests) keep the stored order."""
        ordered = list(groups.items())
        if self.config.interval is not None:
            self._order.shuffle(ordered)
        return ordered

    # -- one group -----------------------------------------------------------------
    def _run_group(self, group: GroupRun) -> None:
        self.config.step_aside()
        started = time.perf_counter()
        held = self.locks.hold(group.connection_id, group.object_name)
        try:
            if self._claim(group, locked=held is not None):
                self._run_claimed(group)
        finally:
            if held is not None:
                held.release()
            group.outcome.seconds = time.perf_counter() - started

    def _claim(self, group: GroupRun, *, locked: bool) -> bool:
        with self.store.unit() as session:
            claim = ledger.claim_group(
                session,
                group.connection_id,
                group.object_name,
                self.config.instance_id,
                group.now,
                self.config.lease,
                locked=locked if self.locks.dies_with_holder else None,
                due_after=self.config.window_start(group.now),
            )
            if isinstance(claim, ledger.NotDue):
                reason = f"already run this interval ({claim.last_run_at:%H:%M:%S} UTC)"
            elif isinstance(claim, ledger.Busy):
                until = f" until {claim.until:%Y-%m-%d %H:%M:%S} UTC" if claim.until else ""
                reason = f"held by {claim.owner}{until}"
            elif claim.skip_until and claim.skip_until > group.now:
                reason = f"waiting for the API allowance until {claim.skip_until:%H:%M:%S} UTC"
                ledger.release_group(  # nothing runs: hold no lease while waiting
                    session, group.connection_id, group.object_name, self.config.instance_id
                )
            else:
                _read_states(session, group)  # in the claim's unit: one unit of work fewer
                group.stored = self._stored_salesforce(session, group.connection_id)
                return True
        group.outcome.status, group.outcome.reason = GroupStatus.SKIPPED, reason
        return False

    def _stored_salesforce(self, session: Any, connection_id: int) -> Any:
        """The connection as stored, read with the claim; None when reading it fails here
        (a token that no longer decrypts): the group's run reads it again and fails there,
        reported as usual, not the claim."""
        try:
            return self.connectors.read_salesforce(session, connection_id)
        except SyncbotError:
            return None

    def _run_claimed(self, group: GroupRun) -> None:
        before = {i: _calls(c) for i, c in group.report.clients.items()}
        # Operators (and the scale-out test) read who ran which group in which window.
        log.info(
            "group %s/%s: run by %s in window %s",
            group.connection_id, group.object_name, self.config.instance_id,
            (self.config.window_start(group.now) or group.now).isoformat(),
        )  # fmt: skip
        try:
            self._sync_group_checked(group)
        except SyncbotError as exc:
            self._resolve(group, exc)
        except Exception as exc:  # a bug or a database outage must not stop the other groups
            log.exception("%s failed unexpectedly", group.subject)
            message = (
                f"unexpected {type(exc).__name__}; "
                "nothing after the failure was recorded, the next tick repeats it"
            )
            group.fail(Failure(group.subject, "unexpected", None, message))
        finally:
            self._count_calls(group, before)
            with self.store.unit() as session:  # one unit to close the run
                if group.synced:
                    group_state.mark_idle(session, group.idle)
                ledger.finish_group_run(
                    session,
                    group.connection_id,
                    group.object_name,
                    self.config.instance_id,
                    group.now,
                )
            log.info("group %s/%s: done", group.connection_id, group.object_name)

    def _count_calls(self, group: GroupRun, before: dict[int, int]) -> None:
        """API calls this group's run made (Smartsheet clients are shared by the groups of
        a tick: count what each added during this run)."""
        clients = group.report.clients
        group.outcome.api_calls = {
            "salesforce": _calls(group.sf) if group.sf is not None else 0,
            "smartsheet": sum(_calls(c) - before.get(i, 0) for i, c in clients.items()),
        }

    def _sync_group_checked(self, group: GroupRun) -> None:
        """If Salesforce refuses a field or object the cached describe still had (its
        field-level security changed, a field was deleted), describe afresh and try once
        more: the workflows that use it then fail alone, with the field's name."""
        try:
            return self._sync_group(group)
        except (NotFoundError, InvalidQuery) as exc:
            if exc.service != "salesforce":
                raise
            self.layouts.forget_connection(group.connection_id)
            group.states = None
            self._sync_group(group)

    def _sync_group(self, group: GroupRun) -> None:
        """Each workflow keeps its own watermark (committed with its links), so one that
        fails or was paused re-reads what it missed; the group's one query starts at the
        oldest of its members' watermarks."""
        sf = group.sf = self.connectors.salesforce(group.connection_id, group.stored)
        group.stored = None  # a second pass reads it afresh (its describe was refused)
        runs: dict[int, WorkflowRun] = {}
        for wf in group.members:
            try:
                ss = self._smartsheet(wf.smartsheet_connection_id, group)
                layout = self.layouts.build(wf, sf, ss, running=True)
                runs[wf.id] = WorkflowRun(group, layout, sf, ss)
            except SyncbotError as exc:
                self._resolve(group, exc, wf)
        raw: list[dict[str, Any]] = []
        if runs:
            if group.states is None:  # a second pass: the first may have moved them
                with self.store.unit() as session:
                    _read_states(session, group)
            marks = [group.state_of(i).watermark for i in runs]
            raw = self._fetch_changes(group, [r.layout for r in runs.values()], marks)
            key = (group.connection_id, group.object_name)
            raw += self.purges.missed(sf, key, group.object_name, raw, marks, group.now)
        for wf in group.members:
            run = runs.get(wf.id)
            if run is None or wf.smartsheet_connection_id in group.report.revoked:
                continue
            group.report.workflows += 1
            group.outcome.workflows += 1
            try:
                self._sync_workflow(run, raw)
                self.audit.apply_reverts(run.layout, run.sf, run.ss)  # after the sync
            except SyncbotError as exc:
                self._resolve(group, self._explain(run, exc), wf)
        group.synced = True  # its idle members are marked as the run closes

    def _explain(self, run: WorkflowRun, exc: SyncbotError) -> SyncbotError:
        """A sheet error may come from a column that was deleted or renamed since the
        columns were cached: read them afresh, and prefer the precise reason if there is one."""
        if exc.service != "smartsheet" or not isinstance(exc, NotFoundError | ConfigurationError):
            return exc
        self.layouts.forget_sheet(run.wf.smartsheet_connection_id, run.wf.sheet_id)
        try:
            self.layouts.build(run.wf, run.sf, run.ss, running=True)
        except SyncbotError as precise:
            return precise
        return exc

    def _smartsheet(self, connection_id: int, group: GroupRun) -> SmartsheetPort:
        """One client per connection per tick (building the SDK client is not free)."""
        clients = group.report.clients
        if connection_id not in clients:
            clients[connection_id] = self.connectors.smartsheet(connection_id)
        return clients[connection_id]

    # -- errors: one dispatch on the classification ---------------------------------
    def _resolve(self, group: GroupRun, exc: SyncbotError, wf: Workflow | None = None) -> None:
        """Do what the error's `Resolution` says. Raised inside one workflow, an error of
        the group's Salesforce connection or allowance goes up to the whole group."""
        if wf is not None and _concerns_group(exc):
            raise exc
        subject = f"workflow {wf.id}" if wf is not None else group.subject
        match exc.resolution:
            case Resolution.RETRY:
                group.fail(Failure(subject, exc.code, exc.resolution, str(exc)))
                log.warning("%s: transient error, retry next tick: %s", subject, exc.code)
            case Resolution.SKIP_GROUP:
                self._back_off(group, exc)
            case _ if isinstance(exc, AuthRevoked):
                revoked = wf.smartsheet_connection_id if wf is not None else group.connection_id
                self._connection_revoked(group, revoked, exc)
            case _:  # WORKFLOW (and ROW errors that escaped a row): pause and tell the owner
                for member in [wf] if wf is not None else group.members:
                    self._workflow_failed(group, member, exc)

    def _back_off(self, group: GroupRun, exc: SyncbotError) -> None:
        """The API allowance is used up: skip the group until it refills, tell each owner."""
        retry_after = exc.retry_after if isinstance(exc, ApiAllowanceReached) else None
        if retry_after is not None:
            with self.store.unit() as session:
                ledger.skip_group_until(
                    session, group.connection_id, group.object_name, group.now + retry_after
                )
        group.fail(Failure(group.subject, exc.code, exc.resolution, str(exc)))
        for wf in group.members:
            with self.store.unit() as session:
                reports = ledger.record_problems(
                    session,
                    wf.id,
                    [ledger.Problem("workflow", "", exc.code, str(exc))],
                    group.now,
                    scope="workflow",
                    keys_seen=set(),
                )
            self._notify(wf, reports)

    def _connection_revoked(self, group: GroupRun, connection_id: int, exc: SyncbotError) -> None:
        """Pause every active workflow that uses the connection, and say so once each."""
        group.report.revoked.add(connection_id)
        now = self.clock.now()
        with self.store.unit() as session:
            repo.mark_connection(session, connection_id, "revoked", str(exc), now)
            affected = [
                wf
                for wf in repo.workflows(session, active_only=True)
                if connection_id in (wf.salesforce_connection_id, wf.smartsheet_connection_id)
            ]
        for wf in affected:
            self._workflow_failed(group, wf, exc)

    def _fetch_changes(
        self, group: GroupRun, layouts: Iterable[Layout], marks: list[datetime | None]
    ) -> list[dict[str, Any]]:
        known = [mark for mark in marks if mark is not None]
        if not known:
            return []  # every member is new: their backfills bring the existing records
        fields: dict[str, None] = {}
        for layout in layouts:
            fields.update(dict.fromkeys(layout.query_fields))
        fields["IsDeleted"] = None
        since = min(known) - self.config.overlap
        soql = incremental_query(group.object_name, fields, since, parents=_parents(fields))
        records: list[dict[str, Any]] = []
        assert group.sf is not None  # the group's client is made before its changes are read
        for page in group.sf.query_pages(soql, include_deleted=True):
            records.extend(page.records)
        group.outcome.records_read += len(records)
        return records

    # -- one workflow --------------------------------------------------------------
    def _sync_workflow(self, run: WorkflowRun, raw: list[dict[str, Any]]) -> None:
        wf, layout, ss, now = run.wf, run.layout, run.ss, run.now
        state = run.group.state_of(wf.id)
        stored_version, rows_read_at = state.sheet_version, state.rows_read_at
        backfilled, cursor = state.backfilled, state.backfill_cursor
        accepted = state.allow_big_changes_once
        version, seen_at = self._sheet_version(
            wf, ss, stored_version, rows_read_at, now, run.group.report
        )
        rows = {}
        missing: frozenset[int] = frozenset()
        if version is None or version != stored_version:
            # never read, or read long ago: everything; else what changed since (with overlap)
            since = None if rows_read_at is None else rows_read_at - self.config.overlap
            read = ss.read_rows(wf.sheet_id, layout.column_ids, since)
            rows = {r.id: row_seen(r, layout) for r in read.rows}
            run.row_statuses = {r.id: status_text(r, layout) for r in read.rows}
            missing = self._missing_rows(
                ss, layout, read.total_row_count, self._moved(wf, rows), accepted
            )
            version, seen_at = read.version or version or 0, now
        if not backfilled:
            rows = self._backfill(run, rows, cursor)
        records = {}
        for item in raw:
            seen = record_seen(item, layout)
            records[seen.id] = seen
        if not (records or rows or missing or wf.id in run.group.busy) and version is not None:
            run.group.idle.append(IdleMark(wf.id, version, seen_at, now))
            return  # idle: nothing changed on either side (marked with the group's others)
        with self.store.unit() as session:
            pending = repo.pending_records(session, wf.id)
            if not (records or rows or missing or pending or repo.has_creating(session, wf.id)):
                workflow_marks.mark_synced(session, wf.id, version, now, seen_at)
                return  # idle: nothing changed on either side
            held = {r.record_id for r in rows.values() if r.record_id}
            links = repo.links(
                session,
                wf.id,
                record_ids=set(records) | held | set(pending),
                row_ids=set(rows) | missing,
                creating=True,
            )
            linked_total = len(repo.linked_rows(session, wf.id))
        records.update(self._unknown_records(run, rows, links, records, pending))
        snapshot = Snapshot(
            layout.rules,
            wf.options,
            tuple(links),
            records,
            rows,
            missing,
            linked_total=linked_total,
        )
        self._execute(run, snapshot, sheet_state=(version, seen_at))

    def _sheet_version(
        self,
        wf: Workflow,
        ss: SmartsheetPort,
        stored: int | None,
        read_at: datetime | None,
        now: datetime,
        report: TickReport,
    ) -> tuple[int | None, datetime]:
        """(version, seen up to): from the connection's one listing of changed sheets when
        it can vouch for this sheet, else from the sheet itself; None = never read, read it."""
        if stored is None:
            return None, now
        changes = report.sheet_changes
        if changes is not None:
            seen = changes.seen(wf.smartsheet_connection_id, ss, wf.sheet_id, stored, read_at)
            if seen is not None:
                return seen.version, min(now, seen.seen_at)
        return ss.sheet_version(wf.sheet_id), now

    def _oldest_read(self, smartsheet_connection_id: int) -> datetime | None:
        with self.store.unit() as session:
            return repo.oldest_sheet_read(session, smartsheet_connection_id)

    def _moved(self, wf: Workflow, rows: dict[int, Any]) -> bool:
        """Does a changed row carry an Id that another row is linked with? (A copy, or a
        row moved by copy, paste and delete: only a look at every row tells which.)"""
        held = {r.record_id: r.id for r in rows.values() if r.record_id}
        if not held:
            return False
        with self.store.unit() as session:
            links = repo.links(session, wf.id, record_ids=held)
        return any(link.row_id != held[link.record_id] for link in links if link.record_id)

    def _missing_rows(
        self,
        ss: SmartsheetPort,
        layout: Layout,
        total: int,
        force: bool = False,
        accepted: bool = False,
    ) -> frozenset[int]:
        with self.store.unit() as session:
            linked = repo.linked_rows(session, layout.workflow.id)
        if not linked:
            return frozenset()
        if total == 0 and accepted:
            return frozenset(linked)  # the owner confirmed the sheet was emptied on purpose
        if total == 0:
            raise SafetyStop(
                f"The sheet of “{layout.workflow.name}” is suddenly empty while {len(linked)} "
                "rows were linked. Nothing was changed; check the sheet, then resume the workflow."
            )
        if total >= len(linked) and not force:
            return frozenset()  # no linked row can be missing (cheap check via totalRowCount)
        present = {r.id for r in ss.read_rows(layout.workflow.sheet_id, [layout.id_column.id]).rows}
        return frozenset(linked - present)

    def _unknown_records(
        self,
        run: WorkflowRun,
        rows: dict[int, Any],
        links: Sequence[Any],
        records: dict[str, RecordSeen],
        pending: Sequence[str] = (),
    ) -> dict[str, RecordSeen]:
        """Records the tick needs but the group query did not bring: those whose Id a row
        carries without a link, and those whose last sheet write was refused."""
        layout = run.layout
        linked = {link.record_id for link in links if link.record_id}
        held = {r.record_id for r in rows.values() if r.record_id and r.record_id not in linked}
        wanted = sorted((held | set(pending)) - set(records))
        found: dict[str, RecordSeen] = {}
        for start in range(0, len(wanted), 200):
            soql = records_by_id_query(
                layout.workflow.object_name, layout.query_fields, wanted[start : start + 200]
            )
            for page in run.sf.query_pages(soql):
                for item in page.records:
                    seen = record_seen(item, layout)
                    found[seen.id] = seen
        run.group.outcome.records_read += len(found)
        return found

    def _backfill(self, run: WorkflowRun, rows: dict[int, Any], cursor: str) -> dict[int, Any]:
        """Copy every matching record, a page at a time, committing after each page, so a
        crash resumes after the last committed Id. Rows already holding an Id are linked."""
        wf, layout = run.wf, run.layout
        by_record = {r.record_id: r for r in rows.values() if r.record_id}
        where = where_clause(wf.filter, dict(layout.filter_fields)) if wf.filter.conditions else ""
        if cursor:
            where = f"({where}) AND {id_after(cursor)}" if where else id_after(cursor)
        with self.store.unit() as session:
            fresh = not cursor and not repo.has_links(session, wf.id)
        done = 0
        query = backfill_query(wf.object_name, layout.query_fields, where)
        step_aside = self.config.step_aside
        fetched = prefetched(_seen_pages(run, query, step_aside), "backfill")
        spent: BudgetSpent | None = None
        with closing(fetched), Pipeline[Execution]("backfill", 4, step_aside) as pages:
            for records, total in fetched:
                step_aside()
                page_rows = {
                    by_record[i].id: by_record.pop(i) for i in list(records) if i in by_record
                }
                links: list[Any] = []
                if not fresh:  # a first backfill has no links: pages hold disjoint records
                    with self.store.unit() as session:
                        links = repo.links(session, wf.id, record_ids=records)
                snapshot = Snapshot(layout.rules, wf.options, tuple(links), records, page_rows)
                done += len(records)
                run.group.outcome.records_read += len(records)
                # a first backfill's records have no stored status to keep
                statuses_of = set() if fresh else set(records)
                try:
                    executor, prepared = self._prepare(run, snapshot, record_ids=statuses_of)
                except BudgetSpent as exc:  # the steps before it are counted: send them
                    spent = exc
                    break
                pages.submit(
                    partial(executor.finish, prepared),
                    partial(
                        self._backfilled_page,
                        run,
                        snapshot,
                        max(records) if records else cursor,
                        (done, total),
                    ),
                )
        if spent is not None:
            raise spent  # the rest in a later tick, from the cursor the last step stored
        with self.store.unit() as session:
            workflow_marks.finish_backfill(session, wf.id)
        consumed = {r.id for r in rows.values()} - {r.id for r in by_record.values()}
        return {rid: r for rid, r in rows.items() if rid not in consumed or r.record_id is None}

    def _backfilled_page(
        self,
        run: WorkflowRun,
        snapshot: Snapshot,
        cursor: str,
        progress: tuple[int, int],
        execution: Execution,
    ) -> None:
        self._store_execution(run, snapshot, execution, cursor=cursor)
        if self.progress:
            self.progress(run.wf.id, *progress)

    def _execute(
        self,
        run: WorkflowRun,
        snapshot: Snapshot,
        *,
        sheet_state: tuple[int, datetime] | None = None,
    ) -> None:
        executor, prepared = self._prepare(run, snapshot)
        execution = executor.finish(prepared)
        self._store_execution(run, snapshot, execution, sheet_state=sheet_state)

    def _prepare(
        self, run: WorkflowRun, snapshot: Snapshot, record_ids: set[str] | None = None
    ) -> tuple[Executor, Prepared]:
        """Plan, and make the writes ready (new rows' intents are stored here, before any
        row goes out)."""
        wf, step_aside = run.wf, self.config.step_aside
        with self.store.unit() as session:
            statuses = repo.link_statuses(session, wf.id, record_ids)
            accepted = workflow_marks.changes_accepted(session, wf.id)
        # the owner resumed after a safety stop and accepted the changes: once, no limits
        the_plan = plan(snapshot, NO_LIMITS if accepted else self.config.limits)
        step_aside()

        def save_intents(outcomes: Sequence[Outcome]) -> None:
            step_aside()  # the rows are encoded: the intents' unit of work comes next
            self._save_intents(wf.id, outcomes)

        executor = Executor(
            run.layout, run.sf, run.ss, statuses, run.row_statuses, save_intents=save_intents
        )
        return executor, executor.prepare(the_plan)

    def _store_execution(
        self,
        run: WorkflowRun,
        snapshot: Snapshot,
        execution: Execution,
        *,
        sheet_state: tuple[int, datetime] | None = None,
        cursor: str | None = None,
    ) -> None:
        """Links, history, marks and errors of one execution, in one unit of work."""
        wf, now = run.wf, run.now
        with self.store.unit() as session:
            ledger.save_outcomes(session, wf.id, execution.outcomes, now)
            self.audit.record(session, run.layout, snapshot, execution, now)
            if sheet_state is not None:
                workflow_marks.mark_synced(session, wf.id, sheet_state[0], now, sheet_state[1])
            if cursor is not None:
                workflow_marks.save_backfill_cursor(session, wf.id, cursor)
            workflow_marks.clear_accepted_changes(session, wf.id)
            reports = self._record_row_errors(session, wf.id, execution, now)
            reports = with_editors(reports, snapshot, execution)
            ledger.record_run(session, wf.id, now, self.clock.now(), execution.stats)
        merged = run.group.report.executions.setdefault(wf.id, Execution())
        _merge_stats(merged, execution)
        run.group.outcome.add(execution)
        self._notify(wf, reports)

    def _save_intents(self, workflow_id: int, outcomes: Sequence[Outcome]) -> None:
        with self.store.unit() as session:
            ledger.save_outcomes(session, workflow_id, outcomes, self.clock.now())
        for out in outcomes:  # later saves find the link by what it is now
            out.before = (out.record_id, out.row_id)
            out.intended = out.intended or out.new

    # -- errors --------------------------------------------------------------------
    def _record_row_errors(
        self, session: Any, workflow_id: int, execution: Execution, now: datetime
    ) -> list[ErrorReport]:
        problems = [
            ledger.Problem("row", _key(o), "row_error", "; ".join(o.errors.values()))
            for o in execution.outcomes
            if o.errors and (not o.drop or o.record_id is None)  # a refused creation too
        ]
        seen = {_key(o) for o in execution.outcomes}
        seen |= {f"row:{o.row_id}" for o in execution.outcomes if o.row_id is not None}
        seen |= {f"row:{o.before[1]}" for o in execution.outcomes if o.before[1] is not None}
        return ledger.record_problems(
            session, workflow_id, problems, now, scope="row", keys_seen=seen
        )

    def _workflow_failed(self, group: GroupRun, wf: Workflow, exc: SyncbotError) -> None:
        group.fail(Failure(f"workflow {wf.id}", exc.code, exc.resolution, str(exc)))
        log.warning("workflow %s paused: %s", wf.id, exc.code)
        now = self.clock.now()
        with self.store.unit() as session:
            repo.pause_workflows(session, [wf.id], str(exc), now)
            reports = ledger.record_problems(
                session,
                wf.id,
                [ledger.Problem("workflow", "", exc.code, str(exc))],
                now,
                scope="workflow",
                keys_seen=set(),
            )
        self._notify(wf, reports)

    def _notify(self, wf: Workflow, reports: list[ErrorReport]) -> None:
        if reports and self.notifier is not None:
            try:
                self.notifier.notify(wf.team_id, wf.owner_id, reports)
            except Exception:  # a failed DM must not undo a sync that worked
                log.exception("could not notify the owner of workflow %s", wf.id)


def _read_states(session: Any, group: GroupRun) -> None:
    """The members' watermarks and marks, and which of them have work in flight."""
    ids = [wf.id for wf in group.members]
    group.states = group_state.workflow_states(session, ids)
    group.busy = group_state.busy_workflows(session, ids)


def _seen_pages(
    run: WorkflowRun, soql: str, step_aside: Callable[[], None] = no_courtesy
) -> Iterator[tuple[dict[str, RecordSeen], int]]:
    """The query's records converted (on the fetching thread), in steps of BACKFILL_STEP
    (each step one row add: the first goes out after 500 records, not a page of 2,000),
    with the query's total. Steps aside before each page and every ASIDE_EVERY records."""
    step_aside()
    for page in run.sf.query_pages(soql):
        for start in range(0, max(len(page.records), 1), BACKFILL_STEP):  # an empty page too
            records = {}
            for n, item in enumerate(page.records[start : start + BACKFILL_STEP], 1):
                seen = record_seen(item, run.layout)
                records[seen.id] = seen
                if n % ASIDE_EVERY == 0:
                    step_aside()
            yield records, page.total_size
        step_aside()  # before the next page's request


def _key(outcome: Outcome) -> str:
    return outcome.record_id or f"row:{outcome.row_id}"


def _parents(fields: Iterable[str]) -> list[str]:
    """Relationship paths of related fields: `Account.Owner.Email` → Account, Account.Owner.
    A renamed parent changes what the sheet shows without touching the record itself."""
    paths: dict[str, None] = {}
    for name in fields:
        if name in AUDIT_FIELDS:
            continue  # the editor's User record changing (a login) is no change of the record
        parts = name.split(".")[:-1]
        for depth in range(1, len(parts) + 1):
            paths[".".join(parts[:depth])] = None
    return list(paths)


def _concerns_group(exc: SyncbotError) -> bool:
    """The allowance and the Salesforce connection are shared by every workflow of a group."""
    return exc.resolution is Resolution.SKIP_GROUP or (
        isinstance(exc, AuthRevoked) and exc.service != "smartsheet"
    )


def _calls(client: object) -> int:
    """Calls a connector made so far (the real connectors count them; fakes may not)."""
    return int(getattr(client, "calls", 0))


def _merge_stats(into: Execution, more: Execution) -> None:
    """Counts only: a report that kept every page's outcomes would hold a whole backfill."""
    for name in vars(into.stats):
        setattr(into.stats, name, getattr(into.stats, name) + getattr(more.stats, name))
