"""`/sync admin` modal and its submission; the allow-list gate with Request access."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from handlers.actor import actor_of
from handlers.errors import reported
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.views import admin as views
from handlers.views.workflows import outcome
from sync.errors import NotAllowed
from sync.services import AdminSettings, Services

ADMIN_NAMES_KEY = "syncbot_admins"  # context key bot/app.py fills with known admins
GATE_OPEN = {ActionId.REQUEST_ACCESS, ActionId.ALLOW_ACCESS, ActionId.DENY_ACCESS}


def open_admin(services: Services, client: Any, context: BoltContext, trigger_id: str) -> None:
    actor = actor_of(context)
    current = services.admin_settings(actor)
    client.views_open(
        trigger_id=trigger_id, view=views.admin_modal(current, services.api_usage_lines(actor))
    )


def parse_admin(values: dict[str, Any]) -> tuple[AdminSettings | None, dict[str, str]]:
    """Modal state -> settings, or the errors to show next to the fields."""
    mode = values[BlockId.ACCESS_MODE]["mode"]["selected_option"]["value"]
    users = tuple(values.get(BlockId.ALLOW_LIST, {}).get("users", {}).get("selected_users") or ())
    raw_seconds = (values[BlockId.POLL_INTERVAL]["seconds"].get("value") or "").strip()
    raw_share = (values[BlockId.API_SHARE]["share"].get("value") or "").strip().rstrip("%")
    errors: dict[str, str] = {}
    seconds = int(raw_seconds) if raw_seconds.isdigit() else 0
    if not 5 <= seconds <= 86400:
        errors[BlockId.POLL_INTERVAL] = "A whole number of seconds from 5 to 86400."
    try:
        share = float(raw_share)
        share = share / 100 if share > 1 else share
    except ValueError:
        share = 0.0
    if not 0 < share <= 1:
        errors[BlockId.API_SHARE] = "A share such as 0.25 (or 25%), above 0 and at most 1."
    if errors:
        return None, errors
    return AdminSettings(mode, users, seconds, share), {}


def register(app: App, services: Services) -> None:
    @app.view(CallbackId.ADMIN)
    def save(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        parsed, errors = parse_admin(view["state"]["values"])
        if parsed is None:
            ack(response_action="errors", errors=errors)
            return
        services.save_admin_settings(actor_of(context), parsed)
        ack()

    app.action(ActionId.REQUEST_ACCESS)(ack=_ack, lazy=[request_access(services)])
    app.action(ActionId.ALLOW_ACCESS)(ack=_ack, lazy=[decide(services, True)])
    app.action(ActionId.DENY_ACCESS)(ack=_ack, lazy=[decide(services, False)])


def _ack(ack: Ack) -> None:
    ack()


def request_access(services: Services) -> Callable[..., None]:
    @reported
    def lazy(body: dict[str, Any], context: BoltContext, client: Any, respond: Respond) -> None:
        actor = actor_of(context)
        for admin in context.get(ADMIN_NAMES_KEY) or []:
            client.chat_postMessage(channel=admin, **views.access_request(actor.user))
        sent = outcome("Your request went to the syncbot admins; you will hear back in a DM.")
        if body.get("response_url"):
            respond(**sent, replace_original=True)
        else:  # the Home tab (no response_url): its button becomes the outcome there
            client.views_publish(
                user_id=actor.user, view={"type": "home", "blocks": sent["blocks"]}
            )

    return lazy


def decide(services: Services, allow: bool) -> Callable[..., None]:
    @reported
    def lazy(action: dict[str, Any], context: BoltContext, client: Any, respond: Respond) -> None:
        actor, requester = actor_of(context), str(action.get("value", ""))
        if not actor.is_admin:
            raise NotAllowed("Only syncbot admins can answer access requests.")
        if allow:
            services.allow(actor, requester)
        verb = "allowed" if allow else "declined"
        respond(
            **outcome(f"<@{actor.user}> {verb} <@{requester}>'s request."), replace_original=True
        )
        answer = (
            "You may use syncbot now: try `/sync help`."
            if allow
            else "Your request to use syncbot was declined."
        )
        client.chat_postMessage(channel=requester, **outcome(answer))

    return lazy
