"""What the Slack workflow builder calls (issue #7): drafts, the lists behind its selects,
checks, the dry run, and saving through the same path as `syncbot workflows import`.

Everything runs with the caller's own connections: the objects, fields and sheets offered
are what their Salesforce profile and Smartsheet sharing let them see, and nobody else's
connections are ever offered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import chain
from typing import Any

from sync.convert import Compatibility, compatibility
from sync.draft import SERVICE_CLOUD_FIELDS, Draft, from_spec
from sync.draft_check import (
    Finding,
    Place,
    check_mappings,
    check_name,
    check_sheet,
    check_sync_columns,
    free_title,
)
from sync.errors import ConfigurationError, NotAllowed, SyncbotError, UnknownWorkflow
from sync.field_catalog import (
    DescribeCache,
    matching_fields,
    matching_objects,
    selectable_fields,
)
from sync.model import Direction, SalesforceField, SheetColumn
from sync.poller import Connectors
from sync.ports import (
    NewColumn,
    ObjectDescribe,
    ObjectInfo,
    QueryPage,
    SalesforcePort,
    SheetInfo,
    SmartsheetPort,
)
from sync.preview import Preview, PreviewColumn, as_sheet_column, new_column_for, preview
from sync.services import Actor, Services
from sync.soql import backfill_query, where_clause
from sync.store import drafts, repo, workflow_marks
from sync.store.repo import ConnectionInfo, ConnectionKind
from sync.workflow_file import WorkflowFileError
from sync.workflows import export_specs, import_specs

PREVIEW_CAP = 50_000  # records the dry run checks at most; the preview says so past it
NO_CASE_ACCESS = "your Salesforce user cannot read Cases (their profile or the org's edition)."
UNKNOWN_SHEET = "That sheet is not among the sheets you can open; pick it again from the list."


def _quiet(checked: int, of: int) -> None:
    """No progress to report."""


def _capped(
    pages: Iterable[QueryPage], total: int, progress: Callable[[int, int], None]
) -> Iterator[dict[str, Any]]:
    """The records of the pages, at most PREVIEW_CAP, telling progress after each page."""
    of, seen = min(total, PREVIEW_CAP), 0
    for page in pages:
        for record in page.records[: PREVIEW_CAP - seen]:
            seen += 1
            yield record
        progress(seen, of)
        if seen >= PREVIEW_CAP:
            return


class NoConnection(SyncbotError):
    """The caller has not connected Salesforce or Smartsheet yet: show the connect prompt."""

    code = "no_connection"


class BuilderService:
    def __init__(self, services: Services, connectors: Connectors) -> None:
        self.services = services
        self.store = services.store
        self.connectors = connectors
        self.cache = DescribeCache()
        self._hidden: set[tuple[int, str]] = set()

    # -- drafts ----------------------------------------------------------------------
    def start(self, actor: Actor) -> tuple[str, Draft]:
        sf = self.salesforce_connections(actor)
        if not sf or not self._smartsheet(actor):
            raise NoConnection("Connect Salesforce and Smartsheet first.")
        draft = Draft(team=actor.team, owner=actor.user, salesforce_connection_id=sf[0].id)
        return self._new_draft(replace(draft, org=sf[0].org_id)), draft

    def missing(self, actor: Actor) -> list[str]:
        """Which of "salesforce" and "smartsheet" the caller has not connected yet."""
        have = [bool(self.salesforce_connections(actor)), self._smartsheet(actor) is not None]
        return [kind for kind, ok in zip(("salesforce", "smartsheet"), have, strict=True) if not ok]

    def start_edit(self, actor: Actor, workflow_id: int) -> tuple[str, Draft]:
        summary = self.services.summary(actor, workflow_id)  # owner or admin, else unknown
        spec = next(
            s
            for s in export_specs(self.store, actor.team)
            if (s.owner, s.name) == (summary.owner_id, summary.name)
        )
        with self.store.unit() as session:
            wf = repo.workflow(session, workflow_id)
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
                    "This draft has expired: start creating the workflow again."
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

    def stored(self, actor: Actor, workflow_id: int) -> Draft:
        """The edited workflow as stored, for saying what an edit changes (owner or admin)."""
        self.services.summary(actor, workflow_id)  # refuses anyone else
        with self.store.unit() as session:
            wf = repo.workflow(session, workflow_id)
        return Draft(
            team=wf.team_id,
            owner=wf.owner_id,
            salesforce_connection_id=wf.salesforce_connection_id,
            object=wf.object_name,
            sheet_id=wf.sheet_id,
            editing=workflow_id,
        )

    def with_connection(self, actor: Actor, draft: Draft, connection_id: int) -> Draft:
        """The draft on another of the caller's Salesforce connections (org id with it);
        what was read of the old one is dropped, to be read again after the ack."""
        if connection_id == draft.salesforce_connection_id:
            return draft
        own = {c.id: c for c in self.salesforce_connections(actor)}
        if connection_id not in own:
            raise NotAllowed("That Salesforce connection is not yours.")
        return replace(
            draft,
            salesforce_connection_id=connection_id,
            org=own[connection_id].org_id,
            objects=None,
            catalog=None,
            case_access=None,
            case_hidden=(),
        )

    def _sf(self, actor: Actor, draft: Draft) -> SalesforcePort:
        allowed = {c.id for c in self.salesforce_connections(actor)}
        if draft.editing and actor.is_admin:  # an admin edits with the owner's connection
            with self.store.unit() as session:
                allowed.add(repo.workflow(session, draft.editing).salesforce_connection_id)
        if draft.salesforce_connection_id not in allowed:
            raise NotAllowed("That Salesforce connection is not yours.")
        return self.connectors.salesforce(draft.salesforce_connection_id)

    # -- warming: remote reads after an ack, kept in the draft ------------------------
    def warm_start(self, actor: Actor, draft: Draft) -> Draft:
        """What step 1 offers: the connection's objects, the caller's sheets, Case access.
        Type-ahead then answers from the draft, never waiting on a service."""
        sf = self._sf(actor, draft)
        objects = tuple(self.cache.objects(draft.salesforce_connection_id, sf))
        mine = self._smartsheet(actor)
        if mine is None and not draft.editing:
            raise NoConnection("Connect Smartsheet first.")
        # an admin editing without a Smartsheet connection of their own keeps the sheet
        sheets = self.connectors.smartsheet(mine.id).list_sheets() if mine else []
        draft = replace(draft, objects=objects, sheets=tuple(sheets))
        reason, hidden = self._case_access(actor, draft)
        return replace(draft, case_access=reason, case_hidden=hidden)

    def warm_choice(self, actor: Actor, draft: Draft) -> Draft:
        """The chosen object's fields (related ones included) and the chosen sheet."""
        if draft.object and not draft.catalog_ready:
            catalog = tuple(self._catalog(actor, draft, draft.object))
            draft = replace(draft, catalog=catalog, catalog_key=draft.wanted_catalog)
        if not draft.sheet_ready:
            draft = replace(draft, sheet=self.sheet(actor, draft))
        return draft

    def prefetch(self, actor: Actor, draft: Draft, object_name: str) -> None:
        """Warm the describe cache for an object just picked (before step 1 is submitted)."""
        self._catalog(actor, draft, object_name)

    def _catalog(self, actor: Actor, draft: Draft, object_name: str) -> list[SalesforceField]:
        own = self.describe(actor, draft, object_name)
        return selectable_fields(own, lambda name: self._parent(actor, draft, name))

    def describe(self, actor: Actor, draft: Draft, name: str = "") -> ObjectDescribe:
        sf = self._sf(actor, draft)
        return self.cache.describe(draft.salesforce_connection_id, sf, name or draft.object)

    def _parent(self, actor: Actor, draft: Draft, name: str) -> ObjectDescribe | None:
        key = (draft.salesforce_connection_id, name.lower())
        if key in self._hidden:
            return None
        try:
            return self.describe(actor, draft, name)
        except SyncbotError:  # an object the user's profile hides: its fields are not offered
            self._hidden.add(key)  # and is not asked for again
            return None

    def _case_access(self, actor: Actor, draft: Draft) -> tuple[str, tuple[str, ...]]:
        """Judged from the user's own describe of Case: the object must be queryable for
        them, and the preset keeps only the fields their field-level security shows."""
        if not any(o.name == "Case" for o in draft.objects or ()):
            return NO_CASE_ACCESS, ()
        try:
            visible = {f.name.lower() for f in self._catalog(actor, draft, "Case")}
        except SyncbotError:
            return NO_CASE_ACCESS, ()
        hidden = tuple(f for f, _, _ in SERVICE_CLOUD_FIELDS if f.lower() not in visible)
        if len(hidden) == len(SERVICE_CLOUD_FIELDS):
            return NO_CASE_ACCESS, ()
        return "", hidden

    # -- what the selects offer (from the draft only) -----------------------------------
    def objects(self, draft: Draft, query: str) -> list[ObjectInfo]:
        return matching_objects(draft.objects or (), query)

    def fields(self, draft: Draft, query: str = "") -> list[SalesforceField]:
        return matching_fields(draft.catalog or (), query)

    def sheets(self, draft: Draft, query: str = "") -> list[SheetInfo]:
        q = query.strip().lower()
        return [s for s in draft.sheets or () if s.editable and q in s.name.lower()]

    def sheet(self, actor: Actor, draft: Draft) -> SheetInfo:
        """The draft's sheet, read with the caller's token (an admin editing: the owner's)."""
        return self._smartsheet_of(actor, draft).sheet_info(draft.sheet_id)

    def _smartsheet_of(self, actor: Actor, draft: Draft) -> SmartsheetPort:
        connection = self._smartsheet(actor)
        connection_id = connection.id if connection else 0
        if draft.editing and actor.is_admin:
            with self.store.unit() as session:
                edited = repo.workflow(session, draft.editing)
                if edited.owner_id != actor.user:
                    connection_id = edited.smartsheet_connection_id
        if not connection_id:
            raise NoConnection("Connect Smartsheet first.")
        return self.connectors.smartsheet(connection_id)

    @staticmethod
    def column_choices(
        draft: Draft, field: SalesforceField
    ) -> list[tuple[SheetColumn, Compatibility]]:
        direction = Direction.BOTH if field.writable else Direction.TO_SMARTSHEET
        return [(c, compatibility(field, c, direction)) for c in draft.columns]

    # -- checks (the draft and the database only: they run inside Slack's 3 seconds) ---
    def check_what(self, actor: Actor, draft: Draft) -> list[Finding]:
        taken = [
            w.name
            for w in self.services.list_workflows(actor)
            if w.owner_id == actor.user and w.id != draft.editing
        ]
        found = check_name(draft, taken)
        listed = {s.id: s for s in draft.sheets or ()}
        if draft.sheet is not None:
            listed.setdefault(draft.sheet.id, draft.sheet)
        sheet = None if draft.creates_sheet or not draft.sheet_id else listed.get(draft.sheet_id)
        if draft.sheet_id and sheet is None:
            return [*found, Finding(Place.SHEET, UNKNOWN_SHEET)]
        return found + check_sheet(draft, sheet)

    def with_free_sync_columns(self, actor: Actor, draft: Draft) -> Draft:
        """Another workflow already keeps its Id or status column in the chosen sheet: this
        one proposes its own (shown, and editable, with the options)."""
        taken = self._sync_column_owners(actor, draft)
        return replace(
            draft,
            id_column=free_title(draft.id_column, taken),
            status_column=free_title(draft.status_column, taken),
        )

    def check_columns(self, actor: Actor, draft: Draft) -> list[Finding]:
        """The Id and status column names of the options step."""
        return check_sync_columns(draft, self._sync_column_owners(actor, draft))

    def _sync_column_owners(self, actor: Actor, draft: Draft) -> dict[str, str]:
        """Id and status column titles -> name of the other workflow keeping them in the
        draft's sheet."""
        if draft.creates_sheet or not draft.sheet_id:
            return {}
        with self.store.unit() as session:
            others = [
                w
                for w in repo.workflows(session, team_id=actor.team)
                if w.sheet_id == draft.sheet_id and w.id != draft.editing
            ]
        return {t: w.name for w in others for t in (w.id_column, w.status_column)}

    def check_mappings(self, draft: Draft) -> list[Finding]:
        return check_mappings(draft, draft.field_map(), draft.columns)

    # -- dry run and save ------------------------------------------------------------
    def preview(
        self, actor: Actor, draft: Draft, progress: Callable[[int, int], None] = _quiet
    ) -> Preview:
        """The dry run over every matching record (up to PREVIEW_CAP), page by page through
        the connector; `progress(checked, of)` after each page. Runs after the ack."""
        fields = draft.field_map()
        sf = self._sf(actor, draft)
        fresh = self._fresh_sheet(actor, draft)
        existing = {c.title: c for c in (fresh.columns if fresh else draft.columns)}
        columns = []
        for i, m in enumerate(draft.fields):
            field = fields.get(m.field)
            if field is None:
                continue
            column = existing.get(m.column) or as_sheet_column(new_column_for(field, m.column), i)
            columns.append(PreviewColumn(m, field, column))
        query = self._preview_query(draft, [c.field.name for c in columns])
        pages = sf.query_pages(query)
        first = next(pages, None)
        rows, linked = self._existing_rows(draft, fresh)
        if first is None:
            result = preview([], 0, columns, rows, linked)
        else:
            records = _capped(chain([first], pages), first.total_size, progress)
            result = preview(records, first.total_size, columns, rows, linked, cap=PREVIEW_CAP)
        return self._with_findings(result, draft, fresh)

    def _fresh_sheet(self, actor: Actor, draft: Draft) -> SheetInfo | None:
        """The chosen sheet read again (rows may have been added, columns retyped, sharing
        changed since step 1); None for a sheet still to be created."""
        if draft.creates_sheet or not draft.sheet_id:
            return None
        return self.sheet(actor, draft)

    def _with_findings(self, result: Preview, draft: Draft, fresh: SheetInfo | None) -> Preview:
        """The mappings checked once more against the sheet as it is now: errors keep
        Save from going ahead, warnings are shown and allowed."""
        columns = fresh.columns if fresh is not None else draft.columns
        # nothing mapped is already said by the preview itself
        found = check_mappings(draft, draft.field_map(), columns) if draft.fields else []
        if fresh is not None:
            found += check_sheet(draft, fresh)
        blocking = [f.message for f in found if f.blocking and f.message not in result.blocking]
        return replace(
            result,
            blocking=result.blocking + tuple(dict.fromkeys(blocking)),
            warnings=tuple(dict.fromkeys(f.message for f in found if not f.blocking)),
        )

    def _preview_query(self, draft: Draft, names: Sequence[str]) -> str:
        flt = {c.field: draft.field_named(c.field) for c in draft.filter.conditions}
        known = {k: v for k, v in flt.items() if v is not None}
        where = where_clause(draft.filter, known) if known else ""
        return backfill_query(draft.object, list(dict.fromkeys(["Id", *names])), where)

    def _existing_rows(self, draft: Draft, fresh: SheetInfo | None) -> tuple[int, int]:
        if fresh is None:
            return 0, 0
        rows = fresh.total_row_count
        if not draft.editing:
            return rows, 0
        with self.store.unit() as session:
            return rows, len(repo.linked_rows(session, draft.editing))

    def save(self, actor: Actor, draft: Draft) -> int:
        """Create the sheet if asked, then store the workflow as `workflows import` does."""
        if (draft.team, draft.owner) != (actor.team, actor.user) and not actor.is_admin:
            raise NotAllowed("Only the workflow's owner or an admin can save it.")
        if draft.creates_sheet:
            sheet_id = self._create_sheet(actor, draft)
        else:
            sheet_id = draft.sheet_id
            self._add_new_columns(actor, draft)
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
            return workflow_marks.rename(session, workflow_id, name)

    def _add_new_columns(self, actor: Actor, draft: Draft) -> None:
        """Mappings to "+ New column" of an existing sheet: the columns are added first, with
        the type that fits the field, since the import checks every mapped column exists.
        (The modal has checked the mappings; should the import still refuse, the added
        columns stay, empty.)"""
        present = {c.title for c in self.sheet(actor, draft).columns}
        fields = draft.field_map()
        missing = [
            new_column_for(f, m.column) if (f := fields.get(m.field)) else NewColumn(m.column)
            for m in draft.fields
            if m.column not in present
        ]
        if missing:
            self._smartsheet_of(actor, draft).add_columns(draft.sheet_id, missing)

    def _create_sheet(self, actor: Actor, draft: Draft) -> int:
        connection = self._smartsheet(actor)
        if connection is None:
            raise NoConnection("Connect Smartsheet first.")
        fields = draft.field_map()
        columns = [
            new_column_for(f, m.column) if (f := fields.get(m.field)) else NewColumn(m.column)
            for m in draft.fields
        ]
        ss = self.connectors.smartsheet(connection.id)
        return ss.create_sheet(draft.new_sheet_name.strip(), columns).id


__all__ = ["BuilderService", "NoConnection", "Place", "UnknownWorkflow"]
