"""What Slack and the CLI both call: an `Actor` in, dataclasses out, only syncbot's own
errors raised (`UnknownWorkflow` for an unknown *or foreign* id, `NotAllowed`).

Every query is scoped to the actor's workspace; a workflow of another team does not exist
for the caller, and neither does another user's unless the caller is an admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from sync.clock import SystemClock
from sync.errors import NotAllowed, UnknownWorkflow
from sync.model import FieldMapping, Workflow
from sync.poller import Connectors, Engine
from sync.ports import Clock
from sync.progress import ProgressHub
from sync.store import readmodel, repo
from sync.store.readmodel import OpenError
from sync.store.repo import ConnectionInfo, Store

SHEET_URL = "https://app.smartsheet.com/sheets/{sheet_id}"


@dataclass(frozen=True)
class Actor:
    """Who asks: the Slack workspace, the user, and whether they administer syncbot there."""

    team: str
    user: str
    is_admin: bool = False


@dataclass(frozen=True)
class WorkflowSummary:
    id: int
    name: str
    owner_id: str
    object_name: str
    sheet_id: int
    status: str  # active | paused | failing
    paused_reason: str
    last_sync: datetime | None
    open_errors: int

    @property
    def sheet_url(self) -> str:
        return SHEET_URL.format(sheet_id=self.sheet_id)


@dataclass(frozen=True)
class WorkflowDetail:
    summary: WorkflowSummary
    fields: tuple[FieldMapping, ...]
    salesforce: ConnectionInfo | None
    smartsheet: ConnectionInfo | None


@dataclass(frozen=True)
class RunResult:
    workflow_id: int
    rows_created: int
    rows_updated: int
    records_created: int
    records_updated: int
    row_errors: int
    failures: tuple[str, ...]
    skipped: bool  # another instance holds the group's lease


RunNow = Callable[[int], RunResult]


def _status(state: readmodel.WorkflowState | None) -> str:
    if state is None or state.active:
        return (
            "failing"
            if state and (state.open_errors or state.last_outcome == "failed")
            else "active"
        )
    return "paused"


class Services:
    """The service layer. `run_now` is wired by the composition root (it needs the engine)."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock | None = None,
        run_now: RunNow | None = None,
        default_poll_interval: int = 30,
        connectors: Connectors | None = None,
        progress: ProgressHub | None = None,
    ) -> None:
        self.store = store
        # The workflow builder (issue #7) lists objects, fields and sheets with the caller's
        # connections, and reports backfill progress through `progress` (wired to the engine).
        self.connectors = connectors
        self.progress = progress
        self.clock: Clock = clock or SystemClock()
        self._run_now = run_now
        self.default_poll_interval = default_poll_interval

    # -- reading ---------------------------------------------------------------------
    def list_workflows(self, actor: Actor, *, everyone: bool = False) -> list[WorkflowSummary]:
        if everyone and not actor.is_admin:
            raise NotAllowed("Only syncbot admins can list everyone's workflows.")
        with self.store.unit() as session:
            found = [
                wf
                for wf in repo.workflows(session, team_id=actor.team)
                if everyone or wf.owner_id == actor.user
            ]
            states = readmodel.workflow_states(session, [wf.id for wf in found])
        return [_summary(wf, states.get(wf.id)) for wf in found]

    def show(self, actor: Actor, workflow_id: int) -> WorkflowDetail:
        with self.store.unit() as session:
            wf = self._visible(session, actor, workflow_id)
            state = readmodel.workflow_states(session, [wf.id]).get(wf.id)
            sf = repo.get_connection(session, wf.salesforce_connection_id)
            ss = repo.get_connection(session, wf.smartsheet_connection_id)
        return WorkflowDetail(_summary(wf, state), wf.fields, sf, ss)

    def errors(self, actor: Actor, workflow_id: int, *, limit: int = 50) -> list[OpenError]:
        """Open row and workflow errors, newest first."""
        with self.store.unit() as session:
            self._visible(session, actor, workflow_id)
            return readmodel.open_errors(session, workflow_id, limit)

    def connections(self, actor: Actor) -> list[ConnectionInfo]:
        with self.store.unit() as session:
            return repo.list_connections(session, team_id=actor.team, owner_id=actor.user)

    # -- changing --------------------------------------------------------------------
    def pause(self, actor: Actor, workflow_id: int, reason: str = "") -> WorkflowSummary:
        with self.store.unit() as session:
            self._changeable(session, actor, workflow_id)
            readmodel.set_paused(
                session, workflow_id, reason or f"paused by <@{actor.user}>", self.clock.now()
            )
        return self.summary(actor, workflow_id)

    def resume(self, actor: Actor, workflow_id: int, *, accept_changes: bool = False) -> str:
        """Returns why it had been paused."""
        from sync.workflows import resume

        with self.store.unit() as session:
            self._changeable(session, actor, workflow_id)
        return resume(self.store, workflow_id, self.clock.now(), accept_changes=accept_changes)

    def delete(self, actor: Actor, workflow_id: int) -> WorkflowSummary:
        """The workflow and its bookkeeping go; rows and records stay where they are."""
        gone = self.summary(actor, workflow_id)
        with self.store.unit() as session:
            self._changeable(session, actor, workflow_id)
            repo.delete_workflow(session, workflow_id)
        return gone

    def run(self, actor: Actor, workflow_id: int) -> RunResult:
        with self.store.unit() as session:
            self._changeable(session, actor, workflow_id)
        if self._run_now is None:
            raise NotAllowed("Running now is not available in this set-up.")
        return self._run_now(workflow_id)

    def summary(self, actor: Actor, workflow_id: int) -> WorkflowSummary:
        return self.show(actor, workflow_id).summary

    # -- checks ----------------------------------------------------------------------
    def _visible(self, session: Session, actor: Actor, workflow_id: int) -> Workflow:
        found = [w for w in repo.workflows(session, team_id=actor.team) if w.id == workflow_id]
        if not found or not (actor.is_admin or found[0].owner_id == actor.user):
            raise UnknownWorkflow(workflow_id)
        return found[0]

    def _changeable(self, session: Session, actor: Actor, workflow_id: int) -> Workflow:
        # Visible already means owner or admin, the two who may change a workflow.
        return self._visible(session, actor, workflow_id)


def _summary(wf: Workflow, state: readmodel.WorkflowState | None) -> WorkflowSummary:
    return WorkflowSummary(
        id=wf.id,
        name=wf.name,
        owner_id=wf.owner_id,
        object_name=wf.object_name,
        sheet_id=wf.sheet_id,
        status=_status(state),
        paused_reason=state.paused_reason if state else "",
        last_sync=state.last_sync if state else None,
        open_errors=state.open_errors if state else 0,
    )


def engine_runner(engine: Engine) -> RunNow:
    """`run now` through the engine's normal tick, limited to the workflow's group (the
    database lease still applies: a group another instance holds is reported as skipped)."""

    def run(workflow_id: int) -> RunResult:
        report = engine.tick(only=[workflow_id])
        stats = report.executions[workflow_id].stats if workflow_id in report.executions else None
        return RunResult(
            workflow_id=workflow_id,
            rows_created=stats.rows_created if stats else 0,
            rows_updated=stats.rows_updated if stats else 0,
            records_created=stats.records_created if stats else 0,
            records_updated=stats.records_updated if stats else 0,
            row_errors=stats.row_errors if stats else 0,
            failures=tuple(report.failures),
            skipped=report.groups == 0 and report.skipped > 0,
        )

    return run
