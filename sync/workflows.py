"""Workflow import/export and validation, shared by the CLI, the builder and the services."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sync.errors import ConfigurationError, SyncbotError
from sync.model import Workflow
from sync.poller import Connectors
from sync.ports import SalesforcePort, SmartsheetPort
from sync.setup import LayoutBuilder
from sync.store import repo, workflow_marks
from sync.store.repo import ConnectionInfo, ConnectionKind, Store
from sync.workflow_file import WorkflowFileError, WorkflowSpec

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def import_specs(
    store: Store,
    connectors: Connectors,
    specs: Sequence[WorkflowSpec],
    now: datetime,
    builder: LayoutBuilder | None = None,
) -> list[int]:
    """Validate every spec against both services with the owner's own tokens, then save
    them all (creating or updating by team + owner + name). All or nothing, and nothing
    touched before: the sheets get their Id and status columns on the first sync."""
    builder = builder or LayoutBuilder()
    problems: list[str] = []
    workflows: list[Workflow] = []
    clients = _Clients(connectors)  # one client per connection, not per workflow
    with store.unit() as session:  # one read transaction for every spec, not one each
        resolver = _Resolver(session)
        resolved = [_try(resolver.workflow, spec) for spec in specs]
    for index, (spec, wf) in enumerate(zip(specs, resolved, strict=True)):
        try:
            if isinstance(wf, SyncbotError):
                raise wf
            builder.check(  # set-up: a mapping that cannot work is refused, no side effect
                wf,
                clients.salesforce(wf.salesforce_connection_id),
                clients.smartsheet(wf.smartsheet_connection_id),
            )
            workflows.append(wf)
        except SyncbotError as exc:
            problems.append(f"workflows[{index}] ({spec.name}): {exc}")
    if problems:
        raise WorkflowFileError(problems)
    with store.unit() as session:
        return [repo.save_workflow(session, wf, now) for wf in workflows]


def _try(
    resolve: Callable[[WorkflowSpec], Workflow], spec: WorkflowSpec
) -> Workflow | SyncbotError:
    """The workflow, or why it cannot be resolved (reported with the spec's index)."""
    try:
        return resolve(spec)
    except SyncbotError as exc:
        return exc


class _Clients:
    """Connectors built once per connection for a whole import (the builder then fetches
    each describe once per connection and object, and each sheet's columns once)."""

    def __init__(self, connectors: Connectors) -> None:
        self._connectors = connectors
        self._salesforce: dict[int, SalesforcePort] = {}
        self._smartsheet: dict[int, SmartsheetPort] = {}

    def salesforce(self, connection_id: int) -> SalesforcePort:
        if connection_id not in self._salesforce:
            self._salesforce[connection_id] = self._connectors.salesforce(connection_id)
        return self._salesforce[connection_id]

    def smartsheet(self, connection_id: int) -> SmartsheetPort:
        if connection_id not in self._smartsheet:
            self._smartsheet[connection_id] = self._connectors.smartsheet(connection_id)
        return self._smartsheet[connection_id]


class _Resolver:
    """Specs to workflows inside one session; each owner's connections are looked up once
    per import (1,000 workflows of 10 owners: 20 lookups, not 2,000)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._found: dict[tuple[str, str, str, str], ConnectionInfo | None] = {}

    def connection(self, team: str, owner: str, kind: str, org: str = "") -> ConnectionInfo | None:
        key = (team, owner, kind, org)
        if key not in self._found:
            self._found[key] = repo.find_connection(
                self._session, team_id=team, owner_id=owner, kind=kind, org_id=org or None
            )
        return self._found[key]

    def workflow(self, spec: WorkflowSpec) -> Workflow:
        sf = self.connection(spec.team, spec.owner, ConnectionKind.SALESFORCE, spec.org)
        ss = self.connection(spec.team, spec.owner, ConnectionKind.SMARTSHEET)
        existing = workflow_marks.id_named(self._session, spec.team, spec.owner, spec.name)
        return _workflow(spec, sf, ss, existing)


def _workflow(
    spec: WorkflowSpec, sf: ConnectionInfo | None, ss: ConnectionInfo | None, existing: int | None
) -> Workflow:
    if sf is None:
        raise ConfigurationError(
            f"{spec.owner} has no Salesforce connection to org {spec.org} "
            "in this workspace; connect it first."
        )
    if ss is None:
        raise ConfigurationError(
            f"{spec.owner} has no Smartsheet connection in this workspace; connect it first."
        )
    return Workflow(
        id=existing or 0,
        name=spec.name,
        team_id=spec.team,
        owner_id=spec.owner,
        salesforce_connection_id=sf.id,
        smartsheet_connection_id=ss.id,
        object_name=spec.object,
        sheet_id=spec.sheet,
        fields=spec.fields,
        filter=spec.filter,
        options=spec.options,
        id_column=spec.id_column,
        status_column=spec.status_column,
        active=not spec.paused,
    )


def export_specs(store: Store, team_id: str | None = None) -> list[WorkflowSpec]:
    with store.unit() as session:
        specs = []
        for wf in repo.workflows(session, team_id=team_id):
            sf = repo.get_connection(session, wf.salesforce_connection_id)
            specs.append(
                WorkflowSpec(
                    name=wf.name,
                    team=wf.team_id,
                    owner=wf.owner_id,
                    org=sf.org_id if sf else "",
                    object=wf.object_name,
                    sheet=wf.sheet_id,
                    fields=wf.fields,
                    filter=wf.filter,
                    options=wf.options,
                    id_column=wf.id_column,
                    status_column=wf.status_column,
                    paused=not wf.active,
                )
            )
        return specs


def pause(store: Store, workflow_id: int, reason: str, now: datetime) -> None:
    with store.unit() as session:
        workflow_marks.require(session, workflow_id)  # a clear error for an unknown id
        repo.pause_workflows(session, [workflow_id], reason, now)


def resume(store: Store, workflow_id: int, now: datetime, *, accept_changes: bool = False) -> str:
    """Resume a paused workflow. After a safety stop the same plan would stop again;
    `accept_changes` lets its next run go ahead once. Returns why it had been paused."""
    with store.unit() as session:
        return workflow_marks.resume(session, workflow_id, now, accept_changes=accept_changes)
