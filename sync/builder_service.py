"""What the Slack workflow builder calls (issue #7): drafts, the lists behind its selects,
checks, the dry run, and saving through the same path as `syncbot workflows import`.

Everything runs with the caller's own connections: the objects, fields and sheets offered
are what their Salesforce profile and Smartsheet sharing let them see, and nobody else's
connections are ever offered.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from itertools import chain, islice

from sync.convert import Compatibility, compatibility
from sync.draft import Draft, from_spec
from sync.draft_check import Finding, Place, check_mappings, check_name, check_sheet
from sync.errors import ConfigurationError, NotAllowed, SyncbotError, UnknownWorkflow
from sync.field_catalog import DescribeCache, matching_fields, matching_objects, selectable_fields
from sync.model import Direction, SalesforceField, SheetColumn, Workflow
from sync.poller import Connectors
from sync.ports import NewColumn, ObjectDescribe, ObjectInfo, SalesforcePort, SheetInfo
from sync.preview import Preview, PreviewColumn, as_sheet_column, new_column_for, preview
from sync.services import Actor, Services
from sync.soql import backfill_query, where_clause
from sync.store import drafts, repo
from sync.store.repo import ConnectionInfo, ConnectionKind
from sync.workflow_file import WorkflowFileError
from sync.workflows import export_specs, import_specs

SHEET_MEMO_SECONDS = 10.0  # sheet columns and field lists, within one modal step
PREVIEW_RECORDS = 2000  # records read for the dry run; the count comes from the query


class NoConnection(SyncbotError):
    """The caller has not connected Salesforce or Smartsheet yet: show the connect prompt."""

    code = "no_connection"


class BuilderService:
    def __init__(self, services: Services, connectors: Connectors) -> None:
        self.services = services
        self.store = services.store
        self.connectors = connectors
        self.cache = DescribeCache()
        self._sheets: dict[tuple[int, int], tuple[float, SheetInfo]] = {}
        self._hidden: set[tuple[int, str]] = set()
        self._fields: dict[tuple[int, str], tuple[float, list[SalesforceField]]] = {}

    # -- drafts ----------------------------------------------------------------------
    def start(self, actor: Actor) -> tuple[str, Draft]:
        sf = self.salesforce_connections(actor)
        if not sf or not self._smartsheet(actor):
            raise NoConnection("Connect Salesforce and Smartsheet first.")
        draft = Draft(team=actor.team, owner=actor.user, salesforce_connection_id=sf[0].id)
        return self._new_draft(replace(draft, org=sf[0].org_id)), draft

    def start_edit(self, actor: Actor, workflow_id: int) -> tuple[str, Draft]:
        summary = self.services.summary(actor, workflow_id)  # owner or admin, else unknown
        spec = next(
            s
            for s in export_specs(self.store, actor.team)
            if (s.owner, s.name) == (summary.owner_id, summary.name)
        )
        with self.store.unit() as session:
            wf = repo.to_workflow(repo.workflow_row(session, workflow_id))
        # The draft is the editor's (an admin may edit someone's workflow); saving gives the
        # workflow back to its owner.
        draft = replace(from_spec(spec, wf.salesforce_connection_id, workflow_id), owner=actor.user)
        return self._new_draft(draft), draft

    def _new_draft(self, draft: Draft) -> str:
        with self.store.unit() as session:
            drafts.drop_stale_drafts(session, self.services.clock.now())
            return drafts.create_draft(session, draft, self.services.clock.now())

    def load(self, actor: Actor, draft_id: str) -> Draft:
        with self.store.unit() as session:
            try:
                return drafts.load_draft(session, draft_id, actor.team, actor.user)
            except drafts.DraftNotFound:
                raise ConfigurationError(
                    "This draft has expired. Start again with /sync create."
                ) from None

    def forget(self, draft_id: str) -> None:
        with self.store.unit() as session:
            drafts.drop_draft(session, draft_id)

    def keep(self, actor: Actor, draft_id: str, draft: Draft) -> None:
        if (draft.team, draft.owner) != (actor.team, actor.user):
            raise NotAllowed("Only the person who opened this builder can change it.")
        with self.store.unit() as session:
            drafts.save_draft(session, draft_id, draft, self.services.clock.now())

    # -- what the selects offer ------------------------------------------------------
    def salesforce_connections(self, actor: Actor) -> list[ConnectionInfo]:
        return [
            c
            for c in self.services.connections(actor)
            if c.kind == ConnectionKind.SALESFORCE and c.owner_id == actor.user
        ]

    def _smartsheet(self, actor: Actor) -> ConnectionInfo | None:
        return next(
            (
                c
                for c in self.services.connections(actor)
                if c.kind == ConnectionKind.SMARTSHEET and c.owner_id == actor.user
            ),
            None,
        )

    def _sf(self, actor: Actor, draft: Draft) -> SalesforcePort:
        allowed = {c.id for c in self.salesforce_connections(actor)}
        if draft.editing and actor.is_admin:  # an admin edits with the owner's connection
            with self.store.unit() as session:
                row = repo.workflow_row(session, draft.editing)
                allowed.add(row.salesforce_connection_id)
        if draft.salesforce_connection_id not in allowed:
            raise NotAllowed("That Salesforce connection is not yours.")
        return self.connectors.salesforce(draft.salesforce_connection_id)

    def objects(self, actor: Actor, draft: Draft, query: str) -> list[ObjectInfo]:
        found = self.cache.objects(draft.salesforce_connection_id, self._sf(actor, draft))
        return matching_objects(found, query)

    def describe(self, actor: Actor, draft: Draft, name: str = "") -> ObjectDescribe:
        sf = self._sf(actor, draft)
        return self.cache.describe(draft.salesforce_connection_id, sf, name or draft.object)

    def fields(self, actor: Actor, draft: Draft, query: str = "") -> list[SalesforceField]:
        own = self.describe(actor, draft)  # checks the connection is the caller's
        key = (draft.salesforce_connection_id, draft.object.lower())
        cached = self._fields.get(key)
        if cached and time.monotonic() - cached[0] < SHEET_MEMO_SECONDS:
            return matching_fields(cached[1], query)
        every = selectable_fields(own, lambda name: self._parent(actor, draft, name))
        self._fields[key] = (time.monotonic(), every)
        return matching_fields(every, query)

    def _parent(self, actor: Actor, draft: Draft, name: str) -> ObjectDescribe | None:
        key = (draft.salesforce_connection_id, name.lower())
        if key in self._hidden:
            return None
        try:
            return self.describe(actor, draft, name)
        except SyncbotError:  # an object the user's profile hides: its fields are not offered
            self._hidden.add(key)  # and is not asked for again on every keystroke
            return None

    def field_map(self, actor: Actor, draft: Draft) -> dict[str, SalesforceField | None]:
        every = {f.name.lower(): f for f in self.fields(actor, draft)}
        return {m.field: every.get(m.field.lower()) for m in draft.fields}

    def case_access(self, actor: Actor, draft: Draft) -> str:
        """ "" when the Service Cloud preset may be offered, else why not."""
        names = {o.name for o in self.objects(actor, draft, "")}
        if "Case" not in names:
            return "your Salesforce profile or org gives you no access to Cases."
        return ""

    def sheets(self, actor: Actor, query: str = "") -> list[SheetInfo]:
        connection = self._smartsheet(actor)
        if connection is None:
            raise NoConnection("Connect Smartsheet first.")
        q = query.strip().lower()
        found = self.connectors.smartsheet(connection.id).list_sheets()
        return [s for s in found if s.editable and q in s.name.lower()]

    def sheet(self, actor: Actor, draft: Draft) -> SheetInfo:
        """The draft's sheet, read with the caller's token (an admin editing: the owner's)."""
        connection = self._smartsheet(actor)
        connection_id = connection.id if connection else 0
        if draft.editing and actor.is_admin:
            with self.store.unit() as session:
                row = repo.workflow_row(session, draft.editing)
                if row.owner_id != actor.user:
                    connection_id = row.smartsheet_connection_id
        if not connection_id:
            raise NoConnection("Connect Smartsheet first.")
        # One modal step asks for the columns several times (checks, auto-map, preview);
        # a short memo keeps each step to one read of the sheet, within Slack's 3 seconds.
        key = (connection_id, draft.sheet_id)
        cached = self._sheets.get(key)
        if cached and time.monotonic() - cached[0] < SHEET_MEMO_SECONDS:
            return cached[1]
        info = self.connectors.smartsheet(connection_id).sheet_info(draft.sheet_id)
        self._sheets[key] = (time.monotonic(), info)
        return info

    def columns(self, actor: Actor, draft: Draft) -> tuple[SheetColumn, ...]:
        if draft.creates_sheet or not draft.sheet_id:
            return ()
        return self.sheet(actor, draft).columns

    def column_choices(
        self, actor: Actor, draft: Draft, field: SalesforceField
    ) -> list[tuple[SheetColumn, Compatibility]]:
        direction = Direction.BOTH if field.writable else Direction.TO_SMARTSHEET
        return [(c, compatibility(field, c, direction)) for c in self.columns(actor, draft)]

    # -- checks ------------------------------------------------------------------------
    def check_what(self, actor: Actor, draft: Draft) -> list[Finding]:
        taken = [
            w.name
            for w in self.services.list_workflows(actor)
            if w.owner_id == actor.user and w.id != draft.editing
        ]
        found = check_name(draft, taken)
        sheet = None if draft.creates_sheet or not draft.sheet_id else self.sheet(actor, draft)
        owners = {w.sheet_id: w.name for w in self._team_workflows(actor) if w.id != draft.editing}
        return found + check_sheet(draft, sheet, owners, "Salesforce Id")

    def _team_workflows(self, actor: Actor) -> list[Workflow]:
        with self.store.unit() as session:
            return list(repo.workflows(session, team_id=actor.team))

    def check_mappings(self, actor: Actor, draft: Draft) -> list[Finding]:
        return check_mappings(draft, self.field_map(actor, draft), self.columns(actor, draft))

    # -- dry run and save ------------------------------------------------------------
    def preview(self, actor: Actor, draft: Draft) -> Preview:
        fields = self.field_map(actor, draft)
        existing = {c.title: c for c in self.columns(actor, draft)}
        columns = []
        for i, m in enumerate(draft.fields):
            field = fields.get(m.field)
            if field is None:
                continue
            column = existing.get(m.column) or as_sheet_column(new_column_for(field, m.column), i)
            columns.append(PreviewColumn(m, field, column))
        sf = self._sf(actor, draft)
        query = self._preview_query(actor, draft, [c.field.name for c in columns])
        pages = sf.query_pages(query)
        first = next(pages, None)
        if first is None:
            return preview([], 0, columns, *self._existing_rows(actor, draft))
        # Pages are fetched lazily: the dry run reads at most PREVIEW_RECORDS records.
        every = chain(first.records, chain.from_iterable(p.records for p in pages))
        sample = list(islice(every, PREVIEW_RECORDS))
        matching = first.total_size
        rows, linked = self._existing_rows(actor, draft)
        return preview(sample, matching, columns, rows, linked)

    def _preview_query(self, actor: Actor, draft: Draft, names: Sequence[str]) -> str:
        describe = self.describe(actor, draft)
        flt = {c.field: describe.field_named(c.field) for c in draft.filter.conditions}
        known = {k: v for k, v in flt.items() if v is not None}
        where = where_clause(draft.filter, known) if known else ""
        return backfill_query(draft.object, list(dict.fromkeys(["Id", *names])), where)

    def _existing_rows(self, actor: Actor, draft: Draft) -> tuple[int, int]:
        if draft.creates_sheet or not draft.sheet_id:
            return 0, 0
        rows = self.sheet(actor, draft).total_row_count
        if not draft.editing:
            return rows, 0
        with self.store.unit() as session:
            return rows, len(repo.linked_rows(session, draft.editing))

    def save(self, actor: Actor, draft: Draft) -> int:
        """Create the sheet if asked, then store the workflow as `workflows import` does."""
        if (draft.team, draft.owner) != (actor.team, actor.user) and not actor.is_admin:
            raise NotAllowed("Only the workflow's owner or an admin can save it.")
        sheet_id = self._create_sheet(actor, draft) if draft.creates_sheet else draft.sheet_id
        spec = draft.to_spec(sheet_id)
        if draft.editing:  # an admin editing keeps the workflow with its owner
            owner = self.services.summary(actor, draft.editing).owner_id
            spec = replace(spec, owner=owner)
        renamed_from = self._rename(draft.editing, spec.name) if draft.editing else None
        try:
            ids = import_specs(self.store, self.connectors, [spec], self.services.clock.now())
        except WorkflowFileError as exc:
            if renamed_from is not None:
                self._rename(draft.editing, renamed_from)
            message = "; ".join(p.split(": ", 1)[-1] for p in exc.problems)
            raise ConfigurationError(message) from None
        self.services.workflow_changed(actor, ids[0])  # the owner's App Home shows it
        return ids[0]

    def _rename(self, workflow_id: int, name: str) -> str:
        """import matches workflows by owner + name; an edit that renames keeps the same
        workflow (and its links) by renaming it first. Returns the old name."""
        with self.store.unit() as session:
            row = repo.workflow_row(session, workflow_id)
            old, row.name = row.name, name
        return old

    def _create_sheet(self, actor: Actor, draft: Draft) -> int:
        connection = self._smartsheet(actor)
        if connection is None:
            raise NoConnection("Connect Smartsheet first.")
        fields = self.field_map(actor, draft)
        columns = [
            new_column_for(f, m.column) if (f := fields.get(m.field)) else NewColumn(m.column)
            for m in draft.fields
        ]
        ss = self.connectors.smartsheet(connection.id)
        return ss.create_sheet(draft.new_sheet_name.strip(), columns).id


__all__ = ["BuilderService", "NoConnection", "Place", "UnknownWorkflow"]
