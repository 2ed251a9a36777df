"""The workflow overflow menu, the delete confirmation, and list paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from handlers.actor import actor_of
from handlers.commands.sync import OpenBuilder, workflow_verb
from handlers.errors import reported
from handlers.ids import ActionId
from handlers.views import history as history_views
from handlers.views import workflows as views
from sync.services import Services


def register(app: App, services: Services, open_builder: OpenBuilder | None = None) -> None:
    app.action(ActionId.WORKFLOW_MENU)(ack=_ack, lazy=[menu(services, open_builder)])
    app.action(ActionId.DELETE)(ack=_ack, lazy=[delete(services)])
    app.action(ActionId.LIST_PAGE)(ack=_ack, lazy=[page(services)])
    app.action(ActionId.HISTORY_PAGE)(ack=_ack, lazy=[history_page(services)])
    app.action(ActionId.REVERT)(ack=_ack, lazy=[revert(services)])


def _ack(ack: Ack) -> None:
    ack()


def parse_menu_value(value: str) -> tuple[str, int] | None:
    """ "pause:42" -> ("pause", 42); anything else (a forged value) -> None."""
    verb, _, raw = value.partition(":")
    return (verb, int(raw)) if raw.isdigit() else None


def menu(services: Services, open_builder: OpenBuilder | None = None) -> Callable[..., None]:
    @reported
    def lazy(
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: Any,
        respond: Respond,
    ) -> None:
        picked = parse_menu_value(action.get("selected_option", {}).get("value", ""))
        if picked is None:
            return
        verb, workflow_id = picked
        actor = actor_of(context)
        if verb == "edit" and open_builder is not None:
            # the menu's trigger id opens the builder prefilled, as `/sync edit ID` does
            open_builder(client, body["trigger_id"], actor, workflow_id)
            return
        if verb == "edit":
            reply = views.outcome(f"Use `/sync edit {workflow_id}`.")
        else:
            reply = workflow_verb(services, actor, verb, workflow_id)
        if body.get("response_url"):  # a message: answer beside it
            respond(**reply, response_type="ephemeral", replace_original=False)
        else:  # the App Home tab has no response_url: the answer goes to the app's DM
            client.chat_postMessage(channel=actor.user, **reply)

    return lazy


def delete(services: Services) -> Callable[..., None]:
    @reported
    def lazy(action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        raw = action.get("value", "")
        if not raw.isdigit():
            return
        gone = services.delete(actor_of(context), int(raw))
        text = (
            f"Workflow {gone.id} ({gone.name}) is deleted. The sheet's rows and the Salesforce "
            "records are untouched."
        )
        respond(**views.outcome(text), replace_original=True)

    return lazy


def page(services: Services) -> Callable[..., None]:
    @reported
    def lazy(action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        scope, _, raw = action.get("value", "").partition(":")
        everyone = scope == "all"
        found = services.list_workflows(actor_of(context), everyone=everyone)
        reply = views.workflow_list(found, page=int(raw or 0), everyone=everyone)
        respond(**reply, replace_original=True)

    return lazy


def history_page(services: Services) -> Callable[..., None]:
    @reported
    def lazy(action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        wf_raw, _, offset = action.get("value", "").partition(":")
        if not (wf_raw.isdigit() and offset.isdigit()):
            return
        actor = actor_of(context)
        wf = services.summary(actor, int(wf_raw))
        page = services.history(actor, wf.id, offset=int(offset))
        respond(**history_views.history_view(wf, page), replace_original=True)

    return lazy


def revert(services: Services) -> Callable[..., None]:
    @reported
    def lazy(action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        wf_raw, _, change = action.get("value", "").partition(":")
        if not (wf_raw.isdigit() and change.isdigit()):
            return
        entry = services.revert(actor_of(context), int(wf_raw), int(change))
        respond(**history_views.revert_requested(entry), replace_original=False)

    return lazy
