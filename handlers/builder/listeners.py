"""The builder's listeners: open (placeholder, then fill), one submission per step, the
buttons and menus of the summary, and the type-ahead answers. Each parses, calls the
BuilderService and renders with handlers/views/workflow_modal.py."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, BoltContext

from handlers.actor import actor_of
from handlers.builder import state as st
from handlers.builder.ids import NEW_COLUMN_VALUE, NEW_SHEET_VALUE, ActionId, BlockId, CallbackId
from handlers.builder.metadata import ViewState
from handlers.builder.placeholder import PlaceholderGate
from handlers.errors import user_message
from handlers.ids import ActionId as CommonAction
from handlers.views import builder_options as answers
from handlers.views import workflow_modal as views
from handlers.views.backfill import progress_message, summary_message
from sync.builder_service import BuilderService, NoConnection
from sync.draft import Draft, Preset, with_preset
from sync.draft_check import Finding, Place, check_filter_value, check_mapping, errors_by_place
from sync.errors import NotAllowed, SyncbotError
from sync.model import FieldMapping
from sync.services import SHEET_URL, Actor, Services

Body = dict[str, Any]
WebClient = Any  # slack_sdk's WebClient as Bolt injects it (handlers import no SDK)
log = logging.getLogger(__name__)
DRY_RUN_PROGRESS_SECONDS = 1.0  # at most one progress update of the dry run per second
BACKFILL_THREAD = "builder-backfill"  # the first sync's thread (named: tests wait for it)


class Builder:
    """Listeners bound to one BuilderService (built on first use: needs the connectors)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._service: BuilderService | None = None

    @property
    def service(self) -> BuilderService:
        if self._service is None:
            if self.services.connectors is None:
                raise NotAllowed("The workflow builder is not part of this installation.")
            self._service = BuilderService(self.services, self.services.connectors)
        return self._service

    # -- opening -----------------------------------------------------------------------
    def open(self, client: WebClient, trigger_id: str, actor: Actor, workflow_id: int = 0) -> None:
        """Placeholder inside the trigger window first; the slow part fills it."""
        opened = client.views_open(trigger_id=trigger_id, view=views.loading_view())
        view = opened["view"]
        self.fill(client, view["id"], view["hash"], actor, workflow_id)

    def create_button(self, ack: Ack, body: Body, client: WebClient, context: BoltContext) -> None:
        """The Create workflow buttons of App Home and `/sync list`."""
        ack()
        self.open(client, body["trigger_id"], actor_of(context))

    def fill(
        self, client: WebClient, view_id: str, hash_: str, actor: Actor, workflow_id: int
    ) -> None:
        """Reads what step 1 offers (and, editing, the fields and sheet) into the draft, so
        that type-ahead and validation never wait on Salesforce or Smartsheet."""
        try:
            if workflow_id:
                draft_id, draft = self.service.start_edit(actor, workflow_id)
            else:
                draft_id, draft = self.service.start(actor)
            draft = self.service.warm_start(actor, draft)
            if workflow_id:
                draft = self.service.warm_choice(actor, draft)
            self.service.keep(actor, draft_id, draft)
            view = self.what(actor, ViewState(draft_id), draft)
        except NoConnection:
            view = self._connect_first(actor, workflow_id)
        except Exception as exc:  # the placeholder's boundary: it must never stay on Loading
            view = views.failed_view(_told(exc), _retry(workflow_id))
        client.views_update(view_id=view_id, hash=hash_, view=view)

    def _connect_first(self, actor: Actor, workflow_id: int) -> dict[str, Any]:
        """The connect prompt's buttons for what is missing (fresh single-use links)."""
        urls = None
        with contextlib.suppress(NotAllowed):  # connecting from Slack not set up here
            urls = self.services.connect_urls(actor)
        return views.connect_first_view(_retry(workflow_id), self.service.missing(actor), urls)

    def retry(self, ack: Ack, body: Body, client: WebClient, context: BoltContext) -> None:
        ack()
        value = body["actions"][0].get("value", "")
        workflow_id = int(value.split(":")[1]) if value.startswith("edit:") else 0
        view = body["view"]
        self.fill(client, view["id"], view["hash"], actor_of(context), workflow_id)

    def what(self, actor: Actor, vs: ViewState, draft: Draft) -> dict[str, Any]:
        own = self.service.salesforce_connections(actor)
        connections = [(c.id, c.label or c.username or c.org_id) for c in own]
        if draft.editing and draft.salesforce_connection_id not in {c.id for c in own}:
            # an admin editing someone's workflow keeps its owner's connection
            connections.insert(0, (draft.salesforce_connection_id, "The owner's connection"))
        reason = draft.case_access or ""
        return views.what_view(vs, draft, connections, views.CaseAccess(not reason, reason))

    def connection_chosen(
        self, ack: Ack, body: Body, client: WebClient, context: BoltContext
    ) -> None:
        """Another of the caller's orgs: its objects and Case access are read after the ack."""
        ack()
        actor, vs = actor_of(context), _state(body)
        draft = _read_what(self.service.load(actor, vs.draft_id), st.values_of(body))
        picked = int(body["actions"][0]["selected_option"]["value"])
        try:
            draft = self.service.with_connection(actor, draft, picked)
            draft = self.service.warm_start(actor, draft)
            self.service.keep(actor, vs.draft_id, draft)
            page = self.what(actor, vs, draft)
        except Exception as exc:  # the view's boundary: it must never stay on Loading
            page = views.failed_view(_told(exc), _retry(draft.editing))
        view = body["view"]
        client.views_update(view_id=view["id"], hash=view["hash"], view=page)

    def object_chosen(self, ack: Ack, body: Body, context: BoltContext) -> None:
        """Warm the object's describe while the person fills in the rest of step 1."""
        ack()
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        with contextlib.suppress(SyncbotError):  # step 1's submit reads it again and says why
            self.service.prefetch(actor, draft, body["actions"][0]["selected_option"]["value"])

    # -- step 1 ------------------------------------------------------------------------
    def submit_what(self, ack: Ack, body: Body, client: WebClient, context: BoltContext) -> None:
        actor, vs = actor_of(context), _state(body)
        draft = _read_what(self.service.load(actor, vs.draft_id), st.values_of(body))
        findings = self.service.check_what(actor, draft)
        if not draft.object:
            findings.append(Finding(Place.OBJECT, "Pick the Salesforce object to sync."))
        elif draft.objects is not None and draft.object not in {o.name for o in draft.objects}:
            findings.append(Finding(Place.OBJECT, _unknown_object(draft.object)))
        if errors_by_place(findings):
            ack(response_action="errors", errors=errors_by_place(findings))
            return
        draft = self.service.with_free_sync_columns(actor, draft)
        self.service.keep(actor, vs.draft_id, draft)
        changes = self._consequences(actor, draft)
        if changes:
            ack(response_action="update", view=views.confirm_view(vs, changes))
            self._warm(actor, vs, draft)  # read while the person reads the confirmation
            return
        self._to_mappings(ack, client, body, actor, vs, draft)

    def _consequences(self, actor: Actor, draft: Draft) -> list[str]:
        if not draft.editing:
            return []
        labels = {
            c.id: c.label or c.username or c.org_id
            for c in self.service.salesforce_connections(actor)
        }
        return views.change_consequences(self.service.stored(actor, draft.editing), draft, labels)

    def submit_confirm(self, ack: Ack, body: Body, client: WebClient, context: BoltContext) -> None:
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        self._to_mappings(ack, client, body, actor, vs, draft)

    def _to_mappings(
        self, ack: Ack, client: WebClient, body: Body, actor: Actor, vs: ViewState, draft: Draft
    ) -> None:
        """The summary at once when the fields and sheet are read; else a placeholder, the
        reads after the ack, and the summary in its place."""
        if draft.catalog_ready and draft.sheet_ready:
            ack(response_action="update", view=self.mappings(vs, draft))
            return
        gate = _ack_with_placeholder(ack, client, body, views.loading_view(text=_reading(draft)))
        try:
            page = self.mappings(vs, self._warm(actor, vs, draft))
        except Exception as exc:  # the view's boundary: it must never stay on Loading
            page = views.failed_view(_told(exc), _retry(draft.editing))
        gate.update(page)

    def _warm(self, actor: Actor, vs: ViewState, draft: Draft) -> Draft:
        draft = self.service.warm_choice(actor, draft)
        self.service.keep(actor, vs.draft_id, draft)
        return draft

    # -- step 2 ------------------------------------------------------------------------
    def mappings(self, vs: ViewState, draft: Draft) -> dict[str, Any]:
        warnings = [f.message for f in self.service.check_mappings(draft) if not f.blocking]
        return views.mappings_view(vs, draft, draft.field_map(), list(dict.fromkeys(warnings)))

    def submit_mappings(self, ack: Ack, body: Body, context: BoltContext) -> None:
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        ticked = "auto" in st.checked(st.values_of(body), BlockId.MAPPINGS, ActionId.AUTO_MAP)
        if ticked and not vs.auto_mapped:  # ticked without the summary showing the pairs yet
            draft = auto_map(draft)
            self.service.keep(actor, vs.draft_id, draft)
        errors = errors_by_place(self.service.check_mappings(draft))
        if errors:
            ack(response_action="errors", errors=errors)
            return
        labels = {f.name: f.label for f in draft.catalog or ()}
        ack(response_action="update", view=views.filter_view(vs, draft, labels))

    def auto_map_chosen(
        self, ack: Ack, body: Body, client: WebClient, context: BoltContext
    ) -> None:
        """Auto-map ticked: the proposed pairs join the summary for review (pure, from the
        draft; Next applies it again, which adds nothing twice)."""
        ack()
        picked = [o["value"] for o in body["actions"][0].get("selected_options") or []]
        if "auto" not in picked:
            return
        actor, vs = actor_of(context), _state(body)
        draft = auto_map(self.service.load(actor, vs.draft_id))
        self.service.keep(actor, vs.draft_id, draft)
        view = body["view"]
        shown = self.mappings(replace(vs, auto_mapped=True), draft)
        client.views_update(view_id=view["id"], hash=view["hash"], view=shown)

    def open_add_mapping(self, ack: Ack, body: Body, client: WebClient) -> None:
        ack()
        vs = _state(body)
        client.views_push(trigger_id=body["trigger_id"], view=views.add_mapping_view(vs, None, []))

    def mapping_menu(self, ack: Ack, body: Body, client: WebClient, context: BoltContext) -> None:
        ack()
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        verb, index, *rest = body["actions"][0]["selected_option"]["value"].split(":")
        i = int(index)
        if verb == "edit":
            field = draft.field_named(draft.fields[i].field)
            columns = self.service.column_choices(draft, field) if field else []
            edit_vs = replace(vs, replacing=i)
            view = views.add_mapping_view(edit_vs, field, columns, draft.fields[i])
            client.views_push(trigger_id=body["trigger_id"], view=view)
            return
        draft = (
            draft.without_mapping(i)
            if verb == "remove"
            else draft.with_direction(i, st.as_direction(rest[0]))
        )
        self.service.keep(actor, vs.draft_id, draft)
        view = body["view"]
        client.views_update(view_id=view["id"], hash=view["hash"], view=self.mappings(vs, draft))

    def field_chosen(self, ack: Ack, body: Body, client: WebClient, context: BoltContext) -> None:
        """A field was picked in the add-mapping view: show its compatible columns."""
        ack()
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        field = draft.field_named(body["actions"][0]["selected_option"]["value"])
        columns = self.service.column_choices(draft, field) if field else []
        view = body["view"]
        mapping = draft.fields[vs.replacing] if vs.replacing is not None else None
        new = views.add_mapping_view(vs, field, columns, mapping)
        client.views_update(view_id=view["id"], hash=view["hash"], view=new)

    def submit_add_mapping(
        self, ack: Ack, body: Body, client: WebClient, context: BoltContext
    ) -> None:
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        values = st.values_of(body)
        name = st.picked(values, BlockId.FIELD, ActionId.FIELD)
        field = draft.field_named(name)
        chosen = st.picked(values, BlockId.COLUMN, ActionId.COLUMN)
        new_title = st.picked(values, BlockId.NEW_COLUMN, ActionId.NEW_COLUMN)
        title = (
            (new_title or (field.label if field else name))
            if chosen == NEW_COLUMN_VALUE
            else chosen
        )
        column = next((c for c in draft.columns if c.title == title), None)
        mapping = FieldMapping(field.name if field else name, title, st.direction(values))
        errors = errors_by_place(check_mapping(mapping, field, column, draft, vs.replacing))
        if not title:
            errors[Place.COLUMN] = "Pick a column, or “+ New column”."
        if errors:
            ack(response_action="errors", errors=errors)
            return
        draft = draft.with_mapping(mapping, replacing=vs.replacing)
        self.service.keep(actor, vs.draft_id, draft)
        ack()
        parent = body["view"].get("previous_view_id")
        if parent:
            summary = replace(vs, replacing=None)  # the summary's own state came along
            client.views_update(view_id=parent, view=self.mappings(summary, draft))

    # -- step 3 and the dry run ----------------------------------------------------------
    def submit_filter(self, ack: Ack, body: Body, client: WebClient, context: BoltContext) -> None:
        actor, vs = actor_of(context), _state(body)
        draft, findings = _read_filter(self.service.load(actor, vs.draft_id), st.values_of(body))
        errors = errors_by_place(findings + self.service.check_columns(actor, draft))
        if errors:
            ack(response_action="errors", errors=errors)
            return
        self.service.keep(actor, vs.draft_id, draft)
        # The dry run queries Salesforce and reads the sheet: it fills the view after the ack.
        placeholder = views.loading_view("Preview", views.DRY_RUN_STARTS)
        self._dry_run(_ack_with_placeholder(ack, client, body, placeholder), actor, vs, draft)

    def _dry_run(self, gate: PlaceholderGate, actor: Actor, vs: ViewState, draft: Draft) -> None:
        last = time.monotonic()

        def progress(checked: int, of: int) -> None:
            nonlocal last
            if time.monotonic() - last >= DRY_RUN_PROGRESS_SECONDS and checked < of:
                last = time.monotonic()
                gate.update(views.loading_view("Preview", views.dry_run_progress(checked, of)))

        try:
            page = views.preview_view(vs, draft, self.service.preview(actor, draft, progress))
        except Exception as exc:  # the placeholder's boundary: it must never stay on Loading
            page = views.failed_view(_told(exc), vs)
        gate.update(page)

    def submit_preview(self, ack: Ack, body: Body, client: WebClient, context: BoltContext) -> None:
        """Saving checks the workflow against both services (and may create the sheet):
        after the ack, with a placeholder, then what was saved."""
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        placeholder = views.loading_view(text="Saving the workflow…")
        gate = _ack_with_placeholder(ack, client, body, placeholder)
        try:
            workflow_id = self.service.save(actor, draft)
        except Exception as exc:  # the placeholder's boundary: it must never stay on Loading
            gate.update(views.failed_save_view(_told(exc)))
            return
        self.service.forget(vs.draft_id)
        gate.update(views.saved_view(draft))
        if not draft.editing:  # an edit takes effect on the next tick; a new one backfills now
            threading.Thread(
                target=self.backfill,
                args=(client, actor, workflow_id, draft.name),
                name=f"{BACKFILL_THREAD}-{workflow_id}",
                daemon=True,
            ).start()

    def backfill(self, client: WebClient, actor: Actor, workflow_id: int, name: str) -> None:
        """The first sync, off the request thread. A background thread has nobody to raise
        to, so any failure is told to the owner in the same message (with a reference)."""
        try:
            self._backfill(client, actor, workflow_id, name)
        except Exception as exc:  # the thread's boundary, like handlers.errors.reported
            text, ref = user_message(exc)
            if ref is not None:
                log.error(
                    "backfill of workflow %s failed (reference %s)", workflow_id, ref, exc_info=exc
                )
            with contextlib.suppress(Exception):  # best effort: the failure is logged above
                client.chat_postMessage(channel=actor.user, text=f"“{name}”: {text}")

    def _backfill(self, client: WebClient, actor: Actor, workflow_id: int, name: str) -> None:
        text, blocks = progress_message(name, 0, 0)
        # A user id as channel posts in the app's DM with them (no im:write scope needed).
        posted = client.chat_postMessage(channel=actor.user, text=text, blocks=blocks)
        where = {"channel": posted["channel"], "ts": posted["ts"]}

        def update(done: int, total: int) -> None:
            text, blocks = progress_message(name, done, total)
            client.chat_update(**where, text=text, blocks=blocks)

        hub = self.services.progress
        if hub is not None:
            hub.watch(workflow_id, update)
        try:
            result = self.services.run(actor, workflow_id)
        finally:
            if hub is not None:
                hub.forget(workflow_id)
        sheet = self.services.summary(actor, workflow_id).sheet_id
        text, blocks = summary_message(
            name,
            workflow_id,
            result.rows_created,
            result.row_errors,
            SHEET_URL.format(sheet_id=sheet),
        )
        client.chat_update(**where, text=text, blocks=blocks)

    # -- type-ahead: answered in the ack, from what the draft already holds ---------------
    def options(self, ack: Ack, body: Body, context: BoltContext) -> None:
        actor, vs = actor_of(context), _state(body)
        query = str(body.get("value", ""))
        action = body.get("action_id")
        draft = self.service.load(actor, vs.draft_id)
        if action == ActionId.SHEET:
            ack(**answers.sheet_options(self.service.sheets(draft, query), query))
        elif action == ActionId.OBJECT:
            ack(**answers.object_options(self.service.objects(draft, query)))
        elif action == ActionId.COLUMN:
            field = draft.field_named(st.picked(st.values_of(body), BlockId.FIELD, ActionId.FIELD))
            columns = self.service.column_choices(draft, field) if field else []
            ack(**answers.column_options(columns, query))
        else:  # FIELD and FILTER_FIELD
            ack(**answers.field_options(self.service.fields(draft, query)))


def auto_map(draft: Draft) -> Draft:
    """Pairs by name (label or API name equals the column title) for unmapped columns."""
    fields = draft.catalog or ()
    by_name = {f.label.lower(): f for f in fields} | {f.name.lower(): f for f in fields}
    taken = {m.column for m in draft.fields}
    for column in draft.columns:
        field = by_name.get(column.title.lower())
        if (
            field is None
            or column.title in taken
            or column.title in (draft.id_column, draft.status_column)
        ):
            continue
        mapping = FieldMapping(field.name, column.title, st.default_direction(field))
        if not errors_by_place(check_mapping(mapping, field, column, draft)):
            draft = draft.with_mapping(mapping)
    return draft


def _read_filter(draft: Draft, values: st.Values) -> tuple[Draft, list[Finding]]:
    """The draft with the submitted filter and options, and what is wrong with them."""
    rows = st.conditions(values)
    findings = [
        f
        for i, name, op, value in rows
        for f in check_filter_value(i, draft.field_named(name), op, value, draft.object)
    ]
    match_all = st.picked(values, BlockId.MATCH, ActionId.MATCH) != "any"
    draft = replace(
        draft,
        filter=st.to_filter(rows, match_all),
        options=st.to_options(values),
        id_column=st.picked(values, BlockId.ID_COLUMN, ActionId.ID_COLUMN) or draft.id_column,
        status_column=st.picked(values, BlockId.STATUS_COLUMN, ActionId.STATUS_COLUMN)
        or draft.status_column,
    )
    return draft, findings


def _told(exc: Exception) -> str:
    """What the modal says of a failure; one of ours is its own sentence, anything else
    is logged and named by a reference (as handlers.errors does for other listeners)."""
    text, ref = user_message(exc)
    if ref is not None:
        log.error("builder step failed (reference %s)", ref, exc_info=exc)
    return text


def _ack_with_placeholder(
    ack: Ack, client: WebClient, body: Body, placeholder: dict[str, Any]
) -> PlaceholderGate:
    """Answer the submission with `placeholder`; what replaces it goes through the gate."""
    ack(response_action="update", view=placeholder)
    submitted = body["view"]
    return PlaceholderGate(client, submitted["id"], submitted.get("hash", ""), placeholder)


def _reading(draft: Draft) -> str:
    if draft.creates_sheet or not draft.sheet_id:
        return f"Reading the fields of {draft.object}…"
    return f"Reading the fields of {draft.object} and the sheet's columns…"


def _unknown_object(name: str) -> str:
    return (
        f"{name} is not among the objects your Salesforce user can query; pick one from the list."
    )


def _state(body: Body) -> ViewState:
    return ViewState.load(body.get("view", {}).get("private_metadata", ""))


def _retry(workflow_id: int) -> ViewState:
    return ViewState(f"edit:{workflow_id}" if workflow_id else "create")


def _read_what(draft: Draft, values: st.Values) -> Draft:
    """Step 1's inputs (the connection is switched by its own action, with its org)."""
    preset = st.picked(values, BlockId.PRESET, ActionId.PRESET) or Preset.SALESFORCE
    sheet = st.picked(values, BlockId.SHEET, ActionId.SHEET)
    draft = replace(
        draft,
        object=st.picked(values, BlockId.OBJECT, ActionId.OBJECT) or draft.object,
        sheet_id=0 if sheet == NEW_SHEET_VALUE else int(sheet or draft.sheet_id),
        new_sheet_name=_typed(values, BlockId.NEW_SHEET, ActionId.NEW_SHEET, draft.new_sheet_name),
        name=_typed(values, BlockId.NAME, ActionId.NAME, draft.name),
    )
    if preset == Preset.SERVICE_CLOUD and draft.case_access:  # not offered: Case is hidden
        preset = Preset.SALESFORCE
    if preset == Preset.SERVICE_CLOUD and draft.preset != preset and not draft.fields:
        return with_preset(draft, preset)
    return replace(draft, preset=preset)


def _typed(values: st.Values, block: str, action: str, kept: str) -> str:
    """The text typed, or what the draft holds when the input is not in the state: a
    block action (the connection switch) carries only the inputs the person touched."""
    if action not in values.get(block, {}):
        return kept
    return st.picked(values, block, action)


def register(app: App, services: Services) -> Builder:
    builder = Builder(services)
    for callback, handler in (
        (CallbackId.WHAT, builder.submit_what),
        (CallbackId.CONFIRM, builder.submit_confirm),
        (CallbackId.MAPPINGS, builder.submit_mappings),
        (CallbackId.FILTER, builder.submit_filter),
        (CallbackId.ADD_MAPPING, builder.submit_add_mapping),
        (CallbackId.PREVIEW, builder.submit_preview),
    ):
        app.view(callback)(handler)
    app.action(ActionId.ADD_MAPPING)(builder.open_add_mapping)
    app.action(ActionId.MAPPING_MENU)(builder.mapping_menu)
    app.action(ActionId.AUTO_MAP)(builder.auto_map_chosen)
    app.action(ActionId.FIELD)(builder.field_chosen)
    app.action(ActionId.RETRY)(builder.retry)
    app.action(CommonAction.CREATE_WORKFLOW)(builder.create_button)
    app.action(ActionId.CONNECTION)(builder.connection_chosen)
    app.action(ActionId.OBJECT)(builder.object_chosen)
    app.action(ActionId.PRESET)(lambda ack: ack())  # read on submit: state kept, no update
    for select in (
        ActionId.OBJECT,
        ActionId.FIELD,
        ActionId.FILTER_FIELD,
        ActionId.SHEET,
        ActionId.COLUMN,
    ):
        app.options(select)(builder.options)
    return builder
