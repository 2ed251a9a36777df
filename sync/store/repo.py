"""Repositories: ORM rows in, engine dataclasses out. They never commit; the caller's
unit of work (`Store.unit()`) does, so one tick's bookkeeping lands all at once."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from sync.errors import ConfigurationError
from sync.model import (
    Condition,
    ConflictPolicy,
    Direction,
    FieldMapping,
    Filter,
    OnRecordDeleted,
    Workflow,
    WorkflowOptions,
)
from sync.planner import Link, LinkState
from sync.store.secrets import TokenCipher
from sync.store.tables import Connection, MappingRow, RecordLink, WorkflowRow


class ConnectionKind:
    SALESFORCE = "salesforce"
    SMARTSHEET = "smartsheet"


@dataclass(frozen=True)
class ConnectionInfo:
    """A connection without its secrets (what lists and messages may show)."""

    id: int
    team_id: str
    owner_id: str
    kind: str
    label: str
    org_id: str
    username: str
    instance_url: str
    login_url: str
    status: str


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str | None


class Store:
    def __init__(self, sessions: sessionmaker[Session], cipher: TokenCipher) -> None:
        self.sessions = sessions
        self.cipher = cipher

    @contextmanager
    def unit(self) -> Iterator[Session]:
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


# -- connections ---------------------------------------------------------------------
def add_connection(
    session: Session,
    cipher: TokenCipher,
    *,
    team_id: str,
    owner_id: str,
    kind: str,
    access_token: str,
    refresh_token: str | None,
    now: datetime,
    org_id: str = "",
    external_user_id: str = "",
    username: str = "",
    instance_url: str = "",
    login_url: str = "",
    label: str = "",
) -> int:
    """Insert or refresh (same team, owner, service, org and user) a connection."""
    row = session.scalars(
        select(Connection).where(
            Connection.team_id == team_id,
            Connection.owner_id == owner_id,
            Connection.kind == kind,
            Connection.org_id == org_id,
            Connection.external_user_id == external_user_id,
        )
    ).one_or_none()
    if row is None:
        row = Connection(
            team_id=team_id,
            owner_id=owner_id,
            kind=kind,
            org_id=org_id,
            external_user_id=external_user_id,
            created_at=now,
        )
        session.add(row)
    row.label = label or username or kind
    row.username = username
    row.instance_url = instance_url
    row.login_url = login_url
    row.access_token = cipher.encrypt(access_token)
    row.refresh_token = cipher.encrypt(refresh_token) if refresh_token else None
    row.status = "active"
    row.status_reason = ""
    row.updated_at = now
    session.flush()
    return row.id


def connection_info(row: Connection) -> ConnectionInfo:
    return ConnectionInfo(
        id=row.id,
        team_id=row.team_id,
        owner_id=row.owner_id,
        kind=row.kind,
        label=row.label,
        org_id=row.org_id,
        username=row.username,
        instance_url=row.instance_url,
        login_url=row.login_url,
        status=row.status,
    )


def list_connections(
    session: Session, team_id: str | None = None, owner_id: str | None = None
) -> list[ConnectionInfo]:
    query = select(Connection).order_by(Connection.id)
    if team_id:
        query = query.where(Connection.team_id == team_id)
    if owner_id:
        query = query.where(Connection.owner_id == owner_id)
    return [connection_info(row) for row in session.scalars(query)]


def get_connection(session: Session, connection_id: int) -> ConnectionInfo | None:
    row = session.get(Connection, connection_id)
    return connection_info(row) if row else None


def tokens(session: Session, cipher: TokenCipher, connection_id: int) -> Tokens:
    row = session.get(Connection, connection_id)
    if row is None:
        raise LookupError(f"connection {connection_id} does not exist")
    return _tokens_of(row, cipher)


def connection_with_tokens(
    session: Session, cipher: TokenCipher, connection_id: int
) -> tuple[ConnectionInfo, Tokens] | None:
    """Both from one read (the session forgets a row nobody holds: `get_connection` then
    `tokens` read it twice)."""
    row = session.get(Connection, connection_id)
    return (connection_info(row), _tokens_of(row, cipher)) if row else None


def _tokens_of(row: Connection, cipher: TokenCipher) -> Tokens:
    refresh = cipher.decrypt(row.refresh_token) if row.refresh_token else None
    return Tokens(cipher.decrypt(row.access_token), refresh)


def save_tokens(
    session: Session,
    cipher: TokenCipher,
    connection_id: int,
    access_token: str,
    refresh_token: str | None,
    now: datetime,
    instance_url: str | None = None,
) -> None:
    row = session.get(Connection, connection_id)
    if row is None:
        return
    row.access_token = cipher.encrypt(access_token)
    if refresh_token:
        row.refresh_token = cipher.encrypt(refresh_token)
    if instance_url:
        row.instance_url = instance_url
    row.updated_at = now


def mark_connection(
    session: Session, connection_id: int, status: str, reason: str, now: datetime
) -> None:
    row = session.get(Connection, connection_id)
    if row is not None:
        row.status, row.status_reason, row.updated_at = status, reason, now


def find_connection(
    session: Session, *, team_id: str, owner_id: str, kind: str, org_id: str | None = None
) -> ConnectionInfo | None:
    query = select(Connection).where(
        Connection.team_id == team_id, Connection.owner_id == owner_id, Connection.kind == kind
    )
    query = query.order_by(Connection.id.desc())
    if org_id:
        row = session.scalars(query.where(Connection.org_id.in_(_org_forms(org_id)))).first()
        if row is None:  # a connection whose org could not be told stands in for any org
            row = session.scalars(query.where(Connection.org_id == "")).first()
    else:
        row = session.scalars(query).first()
    return connection_info(row) if row else None


def _org_forms(org_id: str) -> list[str]:
    """Org ids may be written with 15 or 18 characters."""
    return [org_id, org_id[:15]] if len(org_id) == 18 else [org_id]


# -- workflows -----------------------------------------------------------------------
def to_workflow(row: WorkflowRow) -> Workflow:
    flt = json.loads(row.filter_json or "{}")
    return Workflow(
        id=row.id,
        name=row.name,
        team_id=row.team_id,
        owner_id=row.owner_id,
        salesforce_connection_id=row.salesforce_connection_id,
        smartsheet_connection_id=row.smartsheet_connection_id,
        object_name=row.object_name,
        sheet_id=row.sheet_id,
        fields=tuple(FieldMapping(m.field, m.column, Direction(m.direction)) for m in row.mappings),
        filter=filter_from_json(flt),
        options=WorkflowOptions(
            create_records_from_rows=row.create_records_from_rows,
            on_record_deleted=OnRecordDeleted(row.on_record_deleted),
            conflicts=ConflictPolicy(row.conflicts),
        ),
        id_column=row.id_column,
        status_column=row.status_column,
        active=row.state == "active",
    )


def filter_from_json(data: dict[str, Any]) -> Filter:
    if not data:
        return Filter()
    key = "all" if "all" in data else "any"
    conditions = tuple(Condition(c["field"], c["op"], c.get("value")) for c in data.get(key, []))
    return Filter(conditions=conditions, match_all=key == "all")


def filter_to_json(flt: Filter) -> dict[str, Any]:
    if not flt.conditions:
        return {}
    items = [{"field": c.field, "op": c.op, "value": c.value} for c in flt.conditions]
    return {"all" if flt.match_all else "any": items}


def save_workflow(session: Session, wf: Workflow, now: datetime) -> int:
    """Create or update. A changed object or sheet starts over (links dropped); a changed
    filter or field list backfills again, so records that now belong get their rows."""
    taken = sheet_taken_by(session, wf)
    if taken is not None:
        raise ConfigurationError(
            f"Sheet {wf.sheet_id} already keeps the links of workflow “{taken.name}” in its "
            f"“{taken.id_column}” and “{taken.status_column}” columns. Use another sheet, or "
            "give this workflow its own Id and status columns."
        )
    row = session.get(WorkflowRow, wf.id) if wf.id else None
    if row is None:
        row = WorkflowRow(created_at=now)
        session.add(row)
    else:
        before = to_workflow(row)
        # another Salesforce connection (org) has other record ids: its links mean nothing
        before_target = (before.salesforce_connection_id, before.object_name, before.sheet_id)
        if before_target != (wf.salesforce_connection_id, wf.object_name, wf.sheet_id):
            session.execute(delete(RecordLink).where(RecordLink.workflow_id == row.id))
            row.watermark = None
        if (*before_target, before.filter, before.fields) != (
            wf.salesforce_connection_id,
            wf.object_name,
            wf.sheet_id,
            wf.filter,
            wf.fields,
        ):
            row.backfilled, row.backfill_cursor = False, ""
            row.sheet_version, row.rows_read_at = None, None
        # mappings are replaced: delete the old rows first (unique workflow + column)
        row.mappings.clear()
        session.flush()
    row.name, row.team_id, row.owner_id = wf.name, wf.team_id, wf.owner_id
    row.salesforce_connection_id = wf.salesforce_connection_id
    row.smartsheet_connection_id = wf.smartsheet_connection_id
    row.object_name, row.sheet_id = wf.object_name, wf.sheet_id
    row.filter_json = json.dumps(filter_to_json(wf.filter))
    row.create_records_from_rows = wf.options.create_records_from_rows
    row.on_record_deleted = wf.options.on_record_deleted.value
    row.conflicts = wf.options.conflicts.value
    row.id_column, row.status_column = wf.id_column, wf.status_column
    row.state = "active" if wf.active else "paused"
    row.mappings.extend(
        MappingRow(position=i, field=m.field, column=m.column, direction=m.direction.value)
        for i, m in enumerate(wf.fields)
    )
    row.updated_at = now
    session.flush()
    return row.id


def delete_workflow(session: Session, workflow_id: int) -> None:
    """The workflow and everything it kept (links, errors, runs, mappings) go."""
    row = session.get(WorkflowRow, workflow_id)
    if row is not None:
        session.delete(row)
        session.flush()


def sheet_taken_by(session: Session, wf: Workflow) -> Workflow | None:
    """Another workflow that already keeps its links in the same Id column of this sheet."""
    # only the workflows on this sheet: an import of N workflows must not read N² rows
    same_sheet = select(WorkflowRow).where(
        WorkflowRow.sheet_id == wf.sheet_id, WorkflowRow.id != wf.id
    )
    for row in session.scalars(same_sheet.order_by(WorkflowRow.id)):
        if row.id_column == wf.id_column or row.status_column == wf.status_column:
            return to_workflow(row)
    return None


def workflows(
    session: Session,
    *,
    team_id: str | None = None,
    active_only: bool = False,
    connection_id: int | None = None,
) -> list[Workflow]:
    # the mappings in one more query, not one lazy load per workflow (a tick reads them all)
    query = select(WorkflowRow).options(selectinload(WorkflowRow.mappings)).order_by(WorkflowRow.id)
    if team_id:
        query = query.where(WorkflowRow.team_id == team_id)
    if active_only:
        query = query.where(WorkflowRow.state == "active")
    if connection_id:
        query = query.where(WorkflowRow.salesforce_connection_id == connection_id)
    return [to_workflow(row) for row in session.scalars(query)]


def oldest_sheet_read(session: Session, smartsheet_connection_id: int) -> datetime | None:
    """The earliest moment up to which the active workflows of a Smartsheet connection
    have seen their sheets (those that never read theirs read it whole anyway)."""
    query = select(func.min(WorkflowRow.rows_read_at)).where(
        WorkflowRow.state == "active",
        WorkflowRow.smartsheet_connection_id == smartsheet_connection_id,
        WorkflowRow.sheet_version.is_not(None),
    )
    oldest: datetime | None = session.scalar(query)
    return oldest


def workflow_row(session: Session, workflow_id: int) -> WorkflowRow:
    row = session.get(WorkflowRow, workflow_id)
    if row is None:
        raise LookupError(f"there is no workflow {workflow_id}")
    return row


def workflow(session: Session, workflow_id: int) -> Workflow:
    """The workflow as the engine sees it; a LookupError for an unknown id."""
    return to_workflow(workflow_row(session, workflow_id))


def pause_workflows(session: Session, ids: Sequence[int], reason: str, now: datetime) -> None:
    for row in session.scalars(select(WorkflowRow).where(WorkflowRow.id.in_(ids))):
        row.state, row.paused_reason, row.updated_at = "paused", reason, now


# -- links ---------------------------------------------------------------------------
def links(
    session: Session,
    workflow_id: int,
    *,
    record_ids: Iterable[str] | None = None,
    row_ids: Iterable[int] | None = None,
    creating: bool = False,
) -> list[Link]:
    """The workflow's links; narrowed to the given records/rows (and, with `creating`, the
    links of records being created from rows) when any narrowing is asked for. A tick
    needs only the links its changes touch, so idle work does not grow with the sheet."""
    query = select(RecordLink).where(RecordLink.workflow_id == workflow_id)
    if record_ids is None and row_ids is None and not creating:
        return [_link(r) for r in session.scalars(query)]
    found: dict[int, RecordLink] = {}
    wanted_records = sorted(set(record_ids or ()))
    for start in range(0, len(wanted_records), 500):
        chunk = wanted_records[start : start + 500]
        found.update(
            (r.id, r) for r in session.scalars(query.where(RecordLink.record_id.in_(chunk)))
        )
    wanted_rows = sorted(set(row_ids or ()))
    for start in range(0, len(wanted_rows), 500):
        rows = wanted_rows[start : start + 500]
        found.update((r.id, r) for r in session.scalars(query.where(RecordLink.row_id.in_(rows))))
    if creating:
        for r in session.scalars(query.where(RecordLink.state == LinkState.CREATING.value)):
            found[r.id] = r
    return [_link(r) for r in found.values()]


def rows_of(session: Session, workflow_id: int, record_ids: Iterable[str]) -> dict[str, int]:
    """The sheet row each of these records is linked to (the ones that have one)."""
    wanted = [i for i in record_ids if i and not i.startswith("row:")]
    if not wanted:
        return {}
    found = links(session, workflow_id, record_ids=wanted)
    return {k.record_id: k.row_id for k in found if k.record_id and k.row_id is not None}


def linked_rows(session: Session, workflow_id: int) -> set[int]:
    rows = session.scalars(
        select(RecordLink.row_id).where(
            RecordLink.workflow_id == workflow_id, RecordLink.row_id.is_not(None)
        )
    )
    return {r for r in rows if r is not None}


def pending_records(session: Session, workflow_id: int, limit: int = 200) -> list[str]:
    """Records whose last sheet write was refused: fetched again until it goes through."""
    ids = session.scalars(
        select(RecordLink.record_id)
        .where(
            RecordLink.workflow_id == workflow_id,
            RecordLink.pending.is_(True),
            RecordLink.record_id.is_not(None),
        )
        .limit(limit)
    )
    return [i for i in ids if i]


def has_links(session: Session, workflow_id: int) -> bool:
    found = session.execute(select(RecordLink.id).where(RecordLink.workflow_id == workflow_id))
    return found.first() is not None


def has_creating(session: Session, workflow_id: int) -> bool:
    found = session.execute(
        select(RecordLink.id).where(
            RecordLink.workflow_id == workflow_id, RecordLink.state == LinkState.CREATING.value
        )
    )
    return found.first() is not None


def _link(row: RecordLink) -> Link:
    return Link(
        record_id=row.record_id,
        row_id=row.row_id,
        synced=json.loads(row.synced_json),
        state=LinkState(row.state),
        note=row.note,
        errors=json.loads(row.errors_json or "{}"),
    )


def link_statuses(
    session: Session, workflow_id: int, record_ids: set[str] | None = None
) -> dict[tuple[str | None, int | None], str]:
    """Stored status per link key; with `record_ids`, only those records' links (a
    backfill page needs its 2,000, not every link made before it)."""
    query = select(RecordLink.record_id, RecordLink.row_id, RecordLink.status).where(
        RecordLink.workflow_id == workflow_id
    )
    if record_ids is None:
        return {(r, w): s for r, w, s in session.execute(query)}
    found: dict[tuple[str | None, int | None], str] = {}
    wanted = sorted(record_ids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(query.where(RecordLink.record_id.in_(chunk)))
        found.update({(r, w): s for r, w, s in rows})
    return found
