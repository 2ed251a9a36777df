"""Connect buttons (URL buttons still send block_actions: ack them), the My Domain modal,
and Disconnect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from handlers.actor import actor_of
from handlers.errors import reported
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.views import connect as views
from sync.errors import NotAllowed
from sync.services import Services, my_domain_host


def register(app: App, services: Services) -> None:
    for url_button in (
        ActionId.CONNECT_SALESFORCE,
        ActionId.CONNECT_SALESFORCE_SANDBOX,
        ActionId.CONNECT_SMARTSHEET,
    ):
        app.action(url_button)(_ack_only)
    app.action(ActionId.CONNECT_SALESFORCE_DOMAIN)(open_domain_modal)
    app.view(CallbackId.SALESFORCE_DOMAIN)(submit_domain(services))
    app.action(ActionId.DISCONNECT)(ack=_ack_only, lazy=[disconnect(services)])


def _ack_only(ack: Ack) -> None:
    ack()


def open_domain_modal(ack: Ack, body: dict[str, Any], client: Any) -> None:
    ack()
    client.views_open(
        trigger_id=body["trigger_id"], view=views.domain_modal(body.get("response_url", ""))
    )


def submit_domain(services: Services) -> Callable[..., None]:
    def submit(ack: Ack, view: dict[str, Any], context: BoltContext, client: Any) -> None:
        typed = view["state"]["values"][BlockId.DOMAIN]["domain"].get("value") or ""
        try:
            url = services.my_domain_url(actor_of(context), typed, view.get("private_metadata", ""))
        except NotAllowed as exc:
            ack(response_action="errors", errors={BlockId.DOMAIN: exc.message})
            return
        ack()
        actor = actor_of(context)
        client.chat_postEphemeral(
            channel=actor.user,
            user=actor.user,
            **views.domain_link(my_domain_host(typed) or typed, url),
        )

    return submit


def disconnect(services: Services) -> Callable[..., None]:
    @reported
    def lazy(action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        raw = action.get("value", "")
        if not raw.isdigit():
            return
        gone, paused = services.disconnect(actor_of(context), int(raw))
        respond(**views.disconnected(gone.label, len(paused)), replace_original=True)

    return lazy
