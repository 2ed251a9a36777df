"""One tick of the engine: groups, leases, watermarks, backfills, plan, execute, record.

A group is one (Salesforce connection, object). Per tick a group costs ONE incremental
query (queryAll, so deletions come along with IsDeleted) however many workflows share it,
plus one version check per sheet; rows are read only when a sheet's version moved.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sync.audit import DEFAULT_RETENTION, AuditTrail, with_editors
from sync.errors import (
    ApiAllowanceReached,
    AuthRevoked,
    ConfigurationError,
    InvalidQuery,
    NotFoundError,
    SafetyStop,
    SyncbotError,
    TransientError,
)
from sync.executor import Execution, Executor, Outcome
from sync.layout import Layout, record_seen, row_seen, status_text
from sync.model import Workflow
from sync.planner import Limits, RecordSeen, Snapshot, plan
from sync.ports import Clock, ErrorReport, Notifier, SalesforcePort, SmartsheetPort
from sync.setup import LayoutBuilder
from sync.soql import backfill_query, id_after, incremental_query, records_by_id_query, where_clause
from sync.store import ledger, repo
from sync.store.locks import GroupLocks, group_locks
from sync.store.repo import Store
from sync.store.tables import WorkflowRow

log = logging.getLogger(__name__)
NO_LIMITS = Limits(max_delete_share=1.0, max_blank_share=1.0, floor=10**9)

Progress = Callable[[int, int, int], None]  # (workflow id, done, total)


class Connectors(Protocol):
    def salesforce(self, connection_id: int) -> SalesforcePort: ...

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

    def window_start(self, now: datetime) -> datetime | None:
        if self.interval is None:
            return None
        seconds = max(float(self.interval()), 1.0)
        epoch = now.timestamp()
        return now - timedelta(seconds=epoch % seconds)


@dataclass
class TickReport:
    groups: int = 0
    skipped: int = 0
    workflows: int = 0
    failures: list[str] = field(default_factory=list)
    skips: list[str] = field(default_factory=list)  # skipped groups: who holds them, why
    revoked: set[int] = field(default_factory=set)  # connections found revoked this tick
    clients: dict[int, SmartsheetPort] = field(default_factory=dict, repr=False)
    executions: dict[int, Execution] = field(default_factory=dict)


class Engine:
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
        self.audit = AuditTrail(store, lambda: self.clock.now(), self.config.audit_retention)

    # -- entry points --------------------------------------------------------------
    def tick(self, only: Iterable[int] | None = None) -> TickReport:
        report = TickReport()
        self.audit.begin_tick()
        with self.store.unit() as session:
            active = repo.workflows(session, active_only=True)
        wanted = set(only) if only is not None else None
        groups: dict[tuple[int, str], list[Workflow]] = defaultdict(list)
        for wf in active:
            if wanted is None or wf.id in wanted:
                groups[(wf.salesforce_connection_id, wf.object_name)].append(wf)
        for (connection_id, object_name), members in groups.items():
            self._run_group(connection_id, object_name, members, report)
        return report

    # -- one group -----------------------------------------------------------------
    def _run_group(
        self, connection_id: int, object_name: str, members: list[Workflow], report: TickReport
    ) -> None:
        now = self.clock.now()
        held = self.locks.hold(connection_id, object_name)
        try:
            if self._claim(connection_id, object_name, held is not None, now, report):
                self._run_claimed(connection_id, object_name, members, now, report)
        finally:
            if held is not None:
                held.release()

    def _claim(
        self, connection_id: int, object_name: str, locked: bool, now: datetime, report: TickReport
    ) -> bool:
        with self.store.unit() as session:
            claim = ledger.claim_group(
                session,
                connection_id,
                object_name,
                self.config.instance_id,
                now,
                self.config.lease,
                locked=locked if self.locks.dies_with_holder else None,
                due_after=self.config.window_start(now),
            )
            if isinstance(claim, ledger.NotDue):
                reason = f"already run this interval ({claim.last_run_at:%H:%M:%S} UTC)"
            elif isinstance(claim, ledger.Busy):
                until = f" until {claim.until:%Y-%m-%d %H:%M:%S} UTC" if claim.until else ""
                reason = f"held by {claim.owner}{until}"
            elif claim.skip_until and claim.skip_until > now:
                reason = f"waiting for the API allowance until {claim.skip_until:%H:%M:%S} UTC"
            else:
                return True
        report.skipped += 1
        report.skips.append(f"group {connection_id}/{object_name}: {reason}")
        return False

    def _run_claimed(
        self,
        connection_id: int,
        object_name: str,
        members: list[Workflow],
        now: datetime,
        report: TickReport,
    ) -> None:
        report.groups += 1
        # Operators (and the scale-out test) read who ran which group in which window.
        log.info(
            "group %s/%s: run by %s in window %s",
            connection_id, object_name, self.config.instance_id,
            (self.config.window_start(now) or now).isoformat(),
        )  # fmt: skip
        try:
            self._sync_group_checked(connection_id, object_name, members, now, report)
        except SyncbotError as exc:
            self._group_failed(connection_id, object_name, members, exc, report)
        except Exception as exc:  # a bug or a database outage must not stop the other groups
            log.exception("group %s/%s failed unexpectedly", connection_id, object_name)
            report.failures.append(
                f"group {connection_id}/{object_name}: unexpected {type(exc).__name__}; "
                "nothing after the failure was recorded, the next tick repeats it"
            )
        finally:
            with self.store.unit() as session:
                state = ledger.group_state(session, connection_id, object_name)
                if state is not None:
                    state.last_run_at = now
                ledger.release_group(session, connection_id, object_name, self.config.instance_id)
            log.info("group %s/%s: done", connection_id, object_name)

    def _sync_group_checked(
        self,
        connection_id: int,
        object_name: str,
        members: list[Workflow],
        now: datetime,
        report: TickReport,
    ) -> None:
        """If Salesforce refuses a field or object the cached describe still had (its
        field-level security changed, a field was deleted), describe afresh and try once
        more: the workflows that use it then fail alone, with the field's name."""
        try:
            return self._sync_group(connection_id, object_name, members, now, report)
        except (NotFoundError, InvalidQuery) as exc:
            if exc.service != "salesforce":
                raise
            self.layouts.forget_connection(connection_id)
            self._sync_group(connection_id, object_name, members, now, report)

    def _sync_group(
        self,
        connection_id: int,
        object_name: str,
        members: list[Workflow],
        now: datetime,
        report: TickReport,
    ) -> None:
        """Each workflow keeps its own watermark (committed with its links), so one that
        fails or was paused re-reads what it missed; the group's one query starts at the
        oldest of its members' watermarks."""
        sf = self.connectors.salesforce(connection_id)
        layouts: dict[int, Layout] = {}
        sheets: dict[int, SmartsheetPort] = {}
        for wf in members:
            try:
                sheets[wf.id] = self._smartsheet(wf.smartsheet_connection_id, report)
                layouts[wf.id] = self.layouts.build(wf, sf, sheets[wf.id])
            except SyncbotError as exc:
                self._member_failed(wf, exc, report)
        raw: list[dict[str, Any]] = []
        if layouts:
            with self.store.unit() as session:
                marks = [repo.workflow_row(session, i).watermark for i in layouts]
            raw = self._fetch_changes(sf, object_name, layouts.values(), marks)
        for wf in members:
            if wf.id not in layouts or wf.smartsheet_connection_id in report.revoked:
                continue
            report.workflows += 1
            try:
                self._sync_workflow(layouts[wf.id], sf, sheets[wf.id], raw, now, report)
                self.audit.apply_reverts(layouts[wf.id], sf, sheets[wf.id])  # after the sync
            except SyncbotError as exc:
                self._member_failed(wf, self._explain(wf, sf, sheets[wf.id], exc), report)

    def _explain(
        self, wf: Workflow, sf: SalesforcePort, ss: SmartsheetPort, exc: SyncbotError
    ) -> SyncbotError:
        """A sheet error may come from a column that was deleted or renamed since the
        columns were cached: read them afresh, and prefer the precise reason if there is one."""
        if exc.service != "smartsheet" or not isinstance(exc, NotFoundError | ConfigurationError):
            return exc
        self.layouts.forget_sheet(wf.smartsheet_connection_id, wf.sheet_id)
        try:
            self.layouts.build(wf, sf, ss)
        except SyncbotError as precise:
            return precise
        return exc

    def _smartsheet(self, connection_id: int, report: TickReport) -> SmartsheetPort:
        """One client per connection per tick (building the SDK client is not free)."""
        if connection_id not in report.clients:
            report.clients[connection_id] = self.connectors.smartsheet(connection_id)
        return report.clients[connection_id]

    def _member_failed(self, wf: Workflow, exc: SyncbotError, report: TickReport) -> None:
        """One workflow of a group failed. Errors of the Salesforce connection or its
        allowance concern the whole group and go up; the rest stay with the workflow."""
        if isinstance(exc, ApiAllowanceReached):
            raise exc
        if isinstance(exc, AuthRevoked):
            if exc.service != "smartsheet":
                raise exc
            self._connection_revoked(wf.smartsheet_connection_id, exc, report)
        elif isinstance(exc, TransientError):
            report.failures.append(f"workflow {wf.id}: {exc}")
            log.warning("workflow %s: transient error, retry next tick: %s", wf.id, exc.code)
        else:
            self._workflow_failed(wf, exc, report)

    def _connection_revoked(
        self, connection_id: int, exc: SyncbotError, report: TickReport
    ) -> None:
        """Pause every active workflow that uses the connection, and say so once each."""
        report.revoked.add(connection_id)
        now = self.clock.now()
        with self.store.unit() as session:
            repo.mark_connection(session, connection_id, "revoked", str(exc), now)
            affected = [
                wf
                for wf in repo.workflows(session, active_only=True)
                if connection_id in (wf.salesforce_connection_id, wf.smartsheet_connection_id)
            ]
        for wf in affected:
            self._workflow_failed(wf, exc, report)

    def _fetch_changes(
        self,
        sf: SalesforcePort,
        object_name: str,
        layouts: Iterable[Layout],
        marks: list[datetime | None],
    ) -> list[dict[str, Any]]:
        known = [mark for mark in marks if mark is not None]
        if not known:
            return []  # every member is new: their backfills bring the existing records
        fields: dict[str, None] = {}
        for layout in layouts:
            fields.update(dict.fromkeys(layout.query_fields))
        fields["IsDeleted"] = None
        since = min(known) - self.config.overlap
        soql = incremental_query(object_name, fields, since, parents=_parents(fields))
        records: list[dict[str, Any]] = []
        for page in sf.query_pages(soql, include_deleted=True):
            records.extend(page.records)
        return records

    # -- one workflow --------------------------------------------------------------
    def _sync_workflow(
        self,
        layout: Layout,
        sf: SalesforcePort,
        ss: SmartsheetPort,
        raw: list[dict[str, Any]],
        now: datetime,
        report: TickReport,
    ) -> None:
        wf = layout.workflow
        with self.store.unit() as session:
            row = repo.workflow_row(session, wf.id)
            stored_version, rows_read_at = row.sheet_version, row.rows_read_at
            backfilled, cursor = row.backfilled, row.backfill_cursor
            accepted = row.allow_big_changes_once
        version = ss.sheet_version(wf.sheet_id)
        rows = {}
        row_statuses: dict[int, str] = {}
        missing: frozenset[int] = frozenset()
        if stored_version is None or version != stored_version:
            # never read, or read long ago: everything; else what changed since (with overlap)
            since = None if rows_read_at is None else rows_read_at - self.config.overlap
            read = ss.read_rows(wf.sheet_id, layout.column_ids, since)
            rows = {r.id: row_seen(r, layout) for r in read.rows}
            row_statuses = {r.id: status_text(r, layout) for r in read.rows}
            missing = self._missing_rows(
                ss, layout, read.total_row_count, self._moved(wf, rows), accepted
            )
            version = read.version or version
        if not backfilled:
            rows = self._backfill(layout, sf, ss, rows, row_statuses, cursor, now, report)
        records = {}
        for item in raw:
            seen = record_seen(item, layout)
            records[seen.id] = seen
        with self.store.unit() as session:
            pending = repo.pending_records(session, wf.id)
            if not (records or rows or missing or pending or repo.has_creating(session, wf.id)):
                _mark_synced(repo.workflow_row(session, wf.id), version, now)
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
        records.update(self._unknown_records(layout, sf, rows, links, records, pending))
        snapshot = Snapshot(
            layout.rules,
            wf.options,
            tuple(links),
            records,
            rows,
            missing,
            linked_total=linked_total,
        )
        self._execute(
            layout, sf, ss, snapshot, row_statuses, report, now, sheet_state=(version, now)
        )

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
        layout: Layout,
        sf: SalesforcePort,
        rows: dict[int, Any],
        links: Sequence[Any],
        records: dict[str, RecordSeen],
        pending: Sequence[str] = (),
    ) -> dict[str, RecordSeen]:
        """Records the tick needs but the group query did not bring: those whose Id a row
        carries without a link, and those whose last sheet write was refused."""
        linked = {link.record_id for link in links if link.record_id}
        held = {r.record_id for r in rows.values() if r.record_id and r.record_id not in linked}
        wanted = sorted((held | set(pending)) - set(records))
        found: dict[str, RecordSeen] = {}
        for start in range(0, len(wanted), 200):
            soql = records_by_id_query(
                layout.workflow.object_name, layout.query_fields, wanted[start : start + 200]
            )
            for page in sf.query_pages(soql):
                for item in page.records:
                    seen = record_seen(item, layout)
                    found[seen.id] = seen
        return found

    def _backfill(
        self,
        layout: Layout,
        sf: SalesforcePort,
        ss: SmartsheetPort,
        rows: dict[int, Any],
        row_statuses: dict[int, str],
        cursor: str,
        now: datetime,
        report: TickReport,
    ) -> dict[int, Any]:
        """Copy every matching record, a page at a time, committing after each page, so a
        crash resumes after the last committed Id. Rows already holding an Id are linked."""
        wf = layout.workflow
        by_record = {r.record_id: r for r in rows.values() if r.record_id}
        where = where_clause(wf.filter, dict(layout.filter_fields)) if wf.filter.conditions else ""
        if cursor:
            where = f"({where}) AND {id_after(cursor)}" if where else id_after(cursor)
        with self.store.unit() as session:
            fresh = not cursor and not repo.has_links(session, wf.id)
        done = 0
        for page in sf.query_pages(backfill_query(wf.object_name, layout.query_fields, where)):
            records = {}
            for item in page.records:
                seen = record_seen(item, layout)
                records[seen.id] = seen
            page_rows = {by_record[i].id: by_record.pop(i) for i in list(records) if i in by_record}
            links: list[Any] = []
            if not fresh:  # a first backfill has no links: pages hold disjoint records
                with self.store.unit() as session:
                    links = repo.links(session, wf.id, record_ids=records)
            snapshot = Snapshot(layout.rules, wf.options, tuple(links), records, page_rows)
            last_id = max(records) if records else cursor
            self._execute(layout, sf, ss, snapshot, row_statuses, report, now, cursor=last_id)
            done += len(page.records)
            if self.progress:
                self.progress(wf.id, done, page.total_size)
        with self.store.unit() as session:
            row = repo.workflow_row(session, wf.id)
            row.backfilled, row.backfill_cursor = True, ""
        consumed = {r.id for r in rows.values()} - {r.id for r in by_record.values()}
        return {rid: r for rid, r in rows.items() if rid not in consumed or r.record_id is None}

    def _execute(
        self,
        layout: Layout,
        sf: SalesforcePort,
        ss: SmartsheetPort,
        snapshot: Snapshot,
        row_statuses: dict[int, str],
        report: TickReport,
        now: datetime,
        *,
        sheet_state: tuple[int, datetime] | None = None,
        cursor: str | None = None,
    ) -> None:
        wf = layout.workflow
        with self.store.unit() as session:
            statuses = repo.link_statuses(session, wf.id)
            accepted = repo.workflow_row(session, wf.id).allow_big_changes_once
        # the owner resumed after a safety stop and accepted the changes: once, no limits
        the_plan = plan(snapshot, NO_LIMITS if accepted else self.config.limits)
        executor = Executor(
            layout,
            sf,
            ss,
            statuses,
            row_statuses,
            save_intents=lambda outs: self._save_intents(wf.id, outs),
        )
        execution = executor.run(the_plan)
        with self.store.unit() as session:
            ledger.save_outcomes(session, wf.id, execution.outcomes, now)
            self.audit.record(session, layout, snapshot, execution, now)
            row = repo.workflow_row(session, wf.id)
            if sheet_state is not None:
                _mark_synced(row, sheet_state[0], now)
            if cursor is not None:
                row.backfill_cursor = cursor
            row.allow_big_changes_once = False
            reports = self._record_row_errors(session, row, execution, now)
            reports = with_editors(reports, snapshot, execution)
            self._record_run(session, wf.id, execution, now)
        merged = report.executions.setdefault(wf.id, Execution())
        _merge_stats(merged, execution)
        self._notify(wf, reports)

    def _save_intents(self, workflow_id: int, outcomes: Sequence[Outcome]) -> None:
        with self.store.unit() as session:
            ledger.save_outcomes(session, workflow_id, outcomes, self.clock.now())
        for out in outcomes:  # later saves find the link by what it is now
            out.before = (out.record_id, out.row_id)
            out.intended = out.intended or out.new

    # -- errors --------------------------------------------------------------------
    def _record_row_errors(
        self, session: Any, row: WorkflowRow, execution: Execution, now: datetime
    ) -> list[ErrorReport]:
        problems = [
            ledger.Problem("row", _key(o), "row_error", "; ".join(o.errors.values()))
            for o in execution.outcomes
            if o.errors and (not o.drop or o.record_id is None)  # a refused creation too
        ]
        seen = {_key(o) for o in execution.outcomes}
        seen |= {f"row:{o.row_id}" for o in execution.outcomes if o.row_id is not None}
        seen |= {f"row:{o.before[1]}" for o in execution.outcomes if o.before[1] is not None}
        return ledger.record_problems(session, row, problems, now, scope="row", keys_seen=seen)

    def _record_run(
        self, session: Any, workflow_id: int, execution: Execution, now: datetime
    ) -> None:
        stats = execution.stats
        if not (
            stats.rows_created
            or stats.rows_updated
            or stats.rows_deleted
            or stats.records_created
            or stats.records_updated
            or stats.row_errors
        ):
            return  # idle ticks leave no trace
        run = ledger.start_run(session, workflow_id, now)
        run.finished_at = self.clock.now()
        run.rows_created, run.rows_updated = stats.rows_created, stats.rows_updated
        run.rows_deleted, run.records_created = stats.rows_deleted, stats.records_created
        run.records_updated, run.row_errors = stats.records_updated, stats.row_errors
        run.outcome = "partial" if stats.row_errors else "ok"

    def _workflow_failed(self, wf: Workflow, exc: SyncbotError, report: TickReport) -> None:
        report.failures.append(f"workflow {wf.id}: {exc}")
        log.warning("workflow %s paused: %s", wf.id, exc.code)
        now = self.clock.now()
        with self.store.unit() as session:
            repo.pause_workflows(session, [wf.id], str(exc), now)
            row = repo.workflow_row(session, wf.id)
            reports = ledger.record_problems(
                session,
                row,
                [ledger.Problem("workflow", "", exc.code, str(exc))],
                now,
                scope="workflow",
                keys_seen=set(),
            )
        self._notify(wf, reports)

    def _group_failed(
        self,
        connection_id: int,
        object_name: str,
        members: list[Workflow],
        exc: SyncbotError,
        report: TickReport,
    ) -> None:
        now = self.clock.now()
        if isinstance(exc, ApiAllowanceReached):
            with self.store.unit() as session:
                state = ledger.group_state(session, connection_id, object_name)
                if state is not None:
                    state.skip_until = now + exc.retry_after
            report.failures.append(f"group {connection_id}/{object_name}: {exc}")
            for wf in members:
                with self.store.unit() as session:
                    reports = ledger.record_problems(
                        session,
                        repo.workflow_row(session, wf.id),
                        [ledger.Problem("workflow", "", exc.code, str(exc))],
                        now,
                        scope="workflow",
                        keys_seen=set(),
                    )
                self._notify(wf, reports)
            return
        if isinstance(exc, TransientError):
            report.failures.append(f"group {connection_id}/{object_name}: {exc}")
            return
        if isinstance(exc, AuthRevoked):
            self._connection_revoked(connection_id, exc, report)
            return
        for wf in members:
            self._workflow_failed(wf, exc, report)

    def _notify(self, wf: Workflow, reports: list[ErrorReport]) -> None:
        if reports and self.notifier is not None:
            try:
                self.notifier.notify(wf.team_id, wf.owner_id, reports)
            except Exception:  # a failed DM must not undo a sync that worked
                log.exception("could not notify the owner of workflow %s", wf.id)


def _key(outcome: Outcome) -> str:
    return outcome.record_id or f"row:{outcome.row_id}"


def _mark_synced(row: WorkflowRow, version: int, now: datetime) -> None:
    """Both sides are accounted for up to the tick start: the sheet (read, or its version
    unchanged) and Salesforce (the group query started after it)."""
    row.sheet_version, row.rows_read_at, row.watermark = version, now, now


def _parents(fields: Iterable[str]) -> list[str]:
    """Relationship paths of related fields: `Account.Owner.Email` → Account, Account.Owner.
    A renamed parent changes what the sheet shows without touching the record itself."""
    paths: dict[str, None] = {}
    for name in fields:
        parts = name.split(".")[:-1]
        for depth in range(1, len(parts) + 1):
            paths[".".join(parts[:depth])] = None
    return list(paths)


def _merge_stats(into: Execution, more: Execution) -> None:
    for name in vars(into.stats):
        setattr(into.stats, name, getattr(into.stats, name) + getattr(more.stats, name))
    into.outcomes.extend(more.outcomes)
