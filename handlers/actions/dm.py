"""Buttons of the error DM. Each use turns the buttons into the outcome ("Paused by @ana
14:02"); pressing twice is harmless (pausing a paused workflow stays paused)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from handlers import home
from handlers.actor import actor_of
from handlers.errors import reported
from handlers.ids import ActionId
from handlers.views import connect as connect_views
from handlers.views import workflows as views
from handlers.views.dm import DM_MODE_LABELS, IncidentView, incident_message, mode_outcome
from sync.services import Actor, Services


def register(app: App, services: Services) -> None:
    app.action(ActionId.OPEN_SHEET)(_ack)
    app.action(ActionId.VIEW_ERRORS)(ack=_ack, lazy=[view_errors(services)])
    app.action(ActionId.PAUSE)(ack=_ack, lazy=[pause(services)])
    app.action(ActionId.MUTE)(ack=_ack, lazy=[mute(services)])
    app.action(ActionId.DM_MODE)(ack=_ack, lazy=[dm_mode(services)])
    app.action(ActionId.RECONNECT)(ack=_ack, lazy=[reconnect(services)])


def _ack(ack: Ack) -> None:
    ack()


def _workflow_id(action: dict[str, Any]) -> int | None:
    raw = str(action.get("value", ""))
    return int(raw) if raw.isdigit() else None


def _stamp(actor: Actor, verb: str) -> str:
    return f"{verb} by <@{actor.user}> {datetime.now(UTC):%H:%M} UTC"


def _show_outcome(
    services: Services, actor: Actor, body: dict[str, Any], outcome: str, respond: Respond
) -> None:
    message = body.get("container", {})
    incident = services.record_dm_outcome(
        str(message.get("channel_id", "")), str(message.get("message_ts", "")), outcome
    )
    if incident is None:
        respond(**views.outcome(outcome), replace_original=False)
        return
    wf = services.summary(actor, incident.workflow_id)
    rows = services.rows_of(actor, wf.id, incident.problems)
    view = IncidentView(wf.id, wf.name, wf.sheet_url, incident.problems, outcome, rows=rows)
    respond(**incident_message(view), replace_original=True)


def _incident_button(
    services: Services, act: Callable[[Services, Actor, int], str]
) -> Callable[..., None]:
    """A button on an incident DM: do `act` on its workflow, then show the outcome it
    words in place of the buttons."""

    @reported
    def lazy(
        action: dict[str, Any], body: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        wf_id = _workflow_id(action)
        if wf_id is None:
            return
        actor = actor_of(context)
        _show_outcome(services, actor, body, act(services, actor, wf_id), respond)

    return lazy


def _pause(services: Services, actor: Actor, wf_id: int) -> str:
    services.pause(actor, wf_id, f"paused by <@{actor.user}> from an error message")
    return _stamp(actor, "Paused")


def _mute(services: Services, actor: Actor, wf_id: int) -> str:
    services.set_dm_mode(actor, wf_id, "mute")
    return _stamp(actor, "Muted") + " — no more DMs about it"


def pause(services: Services) -> Callable[..., None]:
    return _incident_button(services, _pause)


def mute(services: Services) -> Callable[..., None]:
    return _incident_button(services, _mute)


def parse_mode(action: dict[str, Any]) -> tuple[str, int] | None:
    """The DM-mode menu's pick ("digest:42") -> ("digest", 42); None for anything else."""
    raw = str((action.get("selected_option") or {}).get("value", ""))
    mode, _, wf = raw.partition(":")
    if mode not in DM_MODE_LABELS or not wf.isdigit():
        return None
    return mode, int(wf)


def dm_mode(services: Services) -> Callable[..., None]:
    """From an error DM (it then shows the choice instead of its controls) or App Home
    (republished with the menu on the new choice)."""

    @reported
    def lazy(
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: Any,
        respond: Respond,
    ) -> None:
        picked = parse_mode(action)
        if picked is None:
            return
        mode, wf_id = picked
        actor = actor_of(context)
        services.set_dm_mode(actor, wf_id, mode)
        if body.get("container", {}).get("type") == "view":
            home.publish(client, services, actor)
            return
        stamp = _stamp(actor, f"{DM_MODE_LABELS[mode]} chosen")
        _show_outcome(services, actor, body, mode_outcome(mode, stamp), respond)

    return lazy


def view_errors(services: Services) -> Callable[..., None]:
    @reported
    def lazy(action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        wf_id = _workflow_id(action)
        if wf_id is None:
            return
        actor = actor_of(context)
        reply = views.errors_view(services.summary(actor, wf_id), services.errors(actor, wf_id))
        respond(**reply, replace_original=False)

    return lazy


def reconnect(services: Services) -> Callable[..., None]:
    """Reconnect from an error DM or App Home: fresh single-use connect links. App Home
    has no response_url, so there the prompt comes as a DM from the app."""

    @reported
    def lazy(body: dict[str, Any], context: BoltContext, client: Any, respond: Respond) -> None:
        actor = actor_of(context)
        # no response_url for the links: the message holding the button (an error DM)
        # is not the one to overwrite once connected
        prompt = connect_views.connect_prompt(
            services.connections(actor), services.connect_urls(actor)
        )
        if body.get("response_url"):
            respond(**prompt, replace_original=False)
        else:
            client.chat_postMessage(channel=actor.user, **prompt)

    return lazy
