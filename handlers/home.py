"""App Home: published on app_home_opened and after connect, pause, errors…; skipped when
the tab would not change."""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext

from handlers.actor import actor_of
from handlers.views.home import home_view
from sync.services import Actor, Services

IsAdmin = Callable[[str], bool]  # user id -> syncbot admin of the actor's workspace

# What each user's tab last showed, per Services (one per app instance).
_last: weakref.WeakKeyDictionary[Services, dict[tuple[str, str], str]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def view_for(services: Services, actor: Actor) -> dict[str, Any]:
    workflows = services.list_workflows(actor)
    usage = services.api_usage_lines(actor) if actor.is_admin else None
    return home_view(
        workflows, services.connections(actor), usage=usage, dm_modes=services.dm_modes(actor)
    )


def publish(client: Any, services: Services, actor: Actor, *, force: bool = False) -> bool:
    """Publish the tab; False when it is unchanged since the last publish (no call)."""
    view = view_for(services, actor)
    digest = hashlib.sha256(json.dumps(view, sort_keys=True).encode()).hexdigest()
    key = (actor.team, actor.user)
    with _lock:
        seen = _last.setdefault(services, {})
        if not force and seen.get(key) == digest:
            return False
        seen[key] = digest
    client.views_publish(user_id=actor.user, view=view)
    return True


def refresh(
    client: Any, services: Services, actor: Actor, users: frozenset[str], is_admin: IsAdmin
) -> int:
    """After a change: republish the tab of each user concerned (the owner, a new owner,
    the acting admin), skipping those whose tab would not change. Returns how many went."""
    sent = 0
    for user in sorted((users | {actor.user}) - {""}):  # "": no Slack user acted (the CLI)
        viewer = actor if user == actor.user else Actor(actor.team, user, is_admin(user))
        sent += publish(client, services, viewer)
    return sent


EVENTS = ("app_home_opened",)


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def opened(event: dict[str, Any], context: BoltContext, client: Any) -> None:
        if event.get("tab", "home") == "home":
            publish(client, services, actor_of(context), force=event.get("view") is None)
