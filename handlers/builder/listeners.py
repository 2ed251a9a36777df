"""The builder's listeners: open (placeholder, then fill), one submission per step, the
buttons and menus of the summary, and the type-ahead answers. Each parses, calls the
BuilderService and renders with handlers/views/workflow_modal.py."""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, BoltContext

from handlers.actor import actor_of
from handlers.builder import state as st
from handlers.builder.ids import NEW_COLUMN_VALUE, NEW_SHEET_VALUE, ActionId, BlockId, CallbackId
from handlers.builder.metadata import ViewState
from handlers.errors import user_message
from handlers.ids import ActionId as CommonAction
from handlers.views import builder_options as answers
from handlers.views import workflow_modal as views
from handlers.views.backfill import progress_message, summary_message
from sync.builder_service import BuilderService, NoConnection
from sync.draft import Draft, Preset, with_preset
from sync.draft_check import Finding, Place, check_filter_value, check_mapping, errors_by_place
from sync.errors import NotAllowed, SyncbotError
from sync.model import FieldMapping, SalesforceField
from sync.services import SHEET_URL, Actor, Services

Body = dict[str, Any]
WebClient = Any  # slack_sdk's WebClient as Bolt injects it (handlers import no SDK)
log = logging.getLogger(__name__)


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
        try:
            if workflow_id:
                draft_id, draft = self.service.start_edit(actor, workflow_id)
            else:
                draft_id, draft = self.service.start(actor)
            view = self.what(actor, ViewState(draft_id), draft)
        except NoConnection:
            view = views.failed_view(
                "Connect Salesforce and Smartsheet first: `/sync connect`.", _retry(workflow_id)
            )
        except SyncbotError as exc:
            view = views.failed_view(exc.message, _retry(workflow_id))
        client.views_update(view_id=view_id, hash=hash_, view=view)

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
        why_not = self.service.case_access(actor, draft)
        return views.what_view(vs, draft, connections, views.CaseAccess(not why_not, why_not))

    # -- step 1 ------------------------------------------------------------------------
    def submit_what(self, ack: Ack, body: Body, context: BoltContext) -> None:
        actor, vs = actor_of(context), _state(body)
        before = self.service.load(actor, vs.draft_id)
        draft = _read_what(before, st.values_of(body))
        findings = self.service.check_what(actor, draft)
        if not draft.object:
            findings.append(Finding(Place.OBJECT, "Pick the Salesforce object to sync."))
        if errors_by_place(findings):
            ack(response_action="errors", errors=errors_by_place(findings))
            return
        self.service.keep(actor, vs.draft_id, draft)
        changes = self._consequences(actor, draft)
        if changes:
            ack(response_action="update", view=views.confirm_view(vs, changes))
            return
        ack(response_action="update", view=self.mappings(actor, vs, draft))

    def _consequences(self, actor: Actor, draft: Draft) -> list[str]:
        if not draft.editing:
            return []
        stored = self.services.summary(actor, draft.editing)
        before = replace(
            draft, object=stored.object_name, sheet_id=stored.sheet_id, new_sheet_name=""
        )
        return views.change_consequences(before, draft)

    def submit_confirm(self, ack: Ack, body: Body, context: BoltContext) -> None:
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        ack(response_action="update", view=self.mappings(actor, vs, draft))

    # -- step 2 ------------------------------------------------------------------------
    def mappings(self, actor: Actor, vs: ViewState, draft: Draft) -> dict[str, Any]:
        return views.mappings_view(vs, draft, self.service.field_map(actor, draft))

    def submit_mappings(self, ack: Ack, body: Body, context: BoltContext) -> None:
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        if "auto" in st.checked(st.values_of(body), BlockId.MAPPINGS, ActionId.AUTO_MAP):
            draft = self._auto_map(actor, draft)
            self.service.keep(actor, vs.draft_id, draft)
        errors = errors_by_place(self.service.check_mappings(actor, draft))
        if errors:
            ack(response_action="errors", errors=errors)
            return
        labels = {f.name: f.label for f in self.service.fields(actor, draft)}
        ack(response_action="update", view=views.filter_view(vs, draft, labels))

    def _auto_map(self, actor: Actor, draft: Draft) -> Draft:
        """Pairs by name (label or API name equals the column title) for unmapped columns."""
        fields = self.service.fields(actor, draft)
        by_name = {f.label.lower(): f for f in fields} | {f.name.lower(): f for f in fields}
        taken = {m.column for m in draft.fields}
        for column in self.service.columns(actor, draft):
            field = by_name.get(column.title.lower())
            if (
                field is None
                or column.title in taken
                or column.title in ("Salesforce Id", "Sync Status")
            ):
                continue
            mapping = FieldMapping(field.name, column.title, st.default_direction(field))
            if not errors_by_place(check_mapping(mapping, field, column, draft)):
                draft = draft.with_mapping(mapping)
        return draft

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
            field = self._field(actor, draft, draft.fields[i].field)
            columns = self.service.column_choices(actor, draft, field) if field else []
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
        client.views_update(
            view_id=view["id"], hash=view["hash"], view=self.mappings(actor, vs, draft)
        )

    def field_chosen(self, ack: Ack, body: Body, client: WebClient, context: BoltContext) -> None:
        """A field was picked in the add-mapping view: show its compatible columns."""
        ack()
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        field = self._field(actor, draft, body["actions"][0]["selected_option"]["value"])
        columns = self.service.column_choices(actor, draft, field) if field else []
        view = body["view"]
        mapping = draft.fields[vs.replacing] if vs.replacing is not None else None
        new = views.add_mapping_view(vs, field, columns, mapping)
        client.views_update(view_id=view["id"], hash=view["hash"], view=new)

    def _field(self, actor: Actor, draft: Draft, name: str) -> SalesforceField | None:
        return next(
            (f for f in self.service.fields(actor, draft) if f.name.lower() == name.lower()), None
        )

    def submit_add_mapping(
        self, ack: Ack, body: Body, client: WebClient, context: BoltContext
    ) -> None:
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        values = st.values_of(body)
        name = st.picked(values, BlockId.FIELD, ActionId.FIELD)
        field = self._field(actor, draft, name)
        chosen = st.picked(values, BlockId.COLUMN, ActionId.COLUMN)
        new_title = st.picked(values, BlockId.NEW_COLUMN, ActionId.NEW_COLUMN)
        title = (
            (new_title or (field.label if field else name))
            if chosen == NEW_COLUMN_VALUE
            else chosen
        )
        column = next((c for c in self.service.columns(actor, draft) if c.title == title), None)
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
            client.views_update(
                view_id=parent, view=self.mappings(actor, ViewState(vs.draft_id), draft)
            )

    # -- step 3 and the dry run ----------------------------------------------------------
    def submit_filter(self, ack: Ack, body: Body, context: BoltContext) -> None:
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        values = st.values_of(body)
        rows = st.conditions(values)
        fields = {f.name.lower(): f for f in self.service.fields(actor, draft)}
        findings = [
            f
            for i, name, op, value in rows
            for f in check_filter_value(i, fields.get(name.lower()), op, value, draft.object)
        ]
        if errors_by_place(findings):
            ack(response_action="errors", errors=errors_by_place(findings))
            return
        match_all = st.picked(values, BlockId.MATCH, ActionId.MATCH) != "any"
        draft = replace(draft, filter=st.to_filter(rows, match_all), options=st.to_options(values))
        self.service.keep(actor, vs.draft_id, draft)
        result = self.service.preview(actor, draft)
        ack(response_action="update", view=views.preview_view(vs, draft, result))

    def submit_preview(self, ack: Ack, body: Body, client: WebClient, context: BoltContext) -> None:
        actor, vs = actor_of(context), _state(body)
        draft = self.service.load(actor, vs.draft_id)
        try:
            workflow_id = self.service.save(actor, draft)
        except SyncbotError as exc:
            ack(
                response_action="update",
                view=views.failed_view(exc.message, ViewState(vs.draft_id)),
            )
            return
        ack(response_action="clear")
        self.service.forget(vs.draft_id)
        if not draft.editing:  # an edit takes effect on the next tick; a new one backfills now
            threading.Thread(
                target=self.backfill, args=(client, actor, workflow_id, draft.name), daemon=True
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

    # -- type-ahead ----------------------------------------------------------------------
    def options(self, ack: Ack, body: Body, context: BoltContext) -> None:
        actor, vs = actor_of(context), _state(body)
        query = str(body.get("value", ""))
        action = body.get("action_id")
        if action == ActionId.SHEET:
            ack(**answers.sheet_options(self.service.sheets(actor), query))
            return
        draft = self.service.load(actor, vs.draft_id)
        if action == ActionId.OBJECT:
            ack(**answers.object_options(self.service.objects(actor, draft, query)))
        elif action == ActionId.COLUMN:
            field = self._field(
                actor, draft, st.picked(st.values_of(body), BlockId.FIELD, ActionId.FIELD)
            )
            columns = self.service.column_choices(actor, draft, field) if field else []
            ack(**answers.column_options(columns, query))
        else:  # FIELD and FILTER_FIELD
            ack(**answers.field_options(self.service.fields(actor, draft, query)))


def _state(body: Body) -> ViewState:
    return ViewState.load(body.get("view", {}).get("private_metadata", ""))


def _retry(workflow_id: int) -> ViewState:
    return ViewState(f"edit:{workflow_id}" if workflow_id else "create")


def _read_what(draft: Draft, values: st.Values) -> Draft:
    connection = st.picked(values, BlockId.CONNECTION, ActionId.CONNECTION)
    preset = st.picked(values, BlockId.PRESET, ActionId.PRESET) or Preset.SALESFORCE
    sheet = st.picked(values, BlockId.SHEET, ActionId.SHEET)
    draft = replace(
        draft,
        salesforce_connection_id=int(connection or draft.salesforce_connection_id),
        object=st.picked(values, BlockId.OBJECT, ActionId.OBJECT) or draft.object,
        sheet_id=0 if sheet == NEW_SHEET_VALUE else int(sheet or draft.sheet_id),
        new_sheet_name=st.picked(values, BlockId.NEW_SHEET, ActionId.NEW_SHEET),
        name=st.picked(values, BlockId.NAME, ActionId.NAME),
    )
    if preset == Preset.SERVICE_CLOUD and draft.preset != preset and not draft.fields:
        return with_preset(draft, preset)
    return replace(draft, preset=preset)


def register(app: App, services: Services) -> Builder:
    builder = Builder(services)
    for callback, handler in (
        (CallbackId.WHAT, builder.submit_what),
        (CallbackId.CONFIRM, builder.submit_confirm),
        (CallbackId.MAPPINGS, builder.submit_mappings),
        (CallbackId.ADD_MAPPING, builder.submit_add_mapping),
        (CallbackId.FILTER, builder.submit_filter),
        (CallbackId.PREVIEW, builder.submit_preview),
    ):
        app.view(callback)(handler)
    app.action(ActionId.ADD_MAPPING)(builder.open_add_mapping)
    app.action(ActionId.MAPPING_MENU)(builder.mapping_menu)
    app.action(ActionId.FIELD)(builder.field_chosen)
    app.action(ActionId.RETRY)(builder.retry)
    app.action(CommonAction.CREATE_WORKFLOW)(builder.create_button)
    for quiet in (ActionId.CONNECTION, ActionId.OBJECT, ActionId.PRESET):
        app.action(quiet)(lambda ack: ack())  # dispatch_action selects: state kept, no update
    for select in (
        ActionId.OBJECT,
        ActionId.FIELD,
        ActionId.FILTER_FIELD,
        ActionId.SHEET,
        ActionId.COLUMN,
    ):
        app.options(select)(builder.options)
    return builder
