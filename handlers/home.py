"""App Home: published on app_home_opened and after connect, pause, errors…; skipped when
the tab would not change.

Two publishes of one tab can race (the tab opened while a pause republishes it, or two
instances). Within an instance one lock per tab makes the later publish read the newer
data. Across instances each publish carries the `hash` of the tab as this instance last
saw it: Slack answers `hash_conflict` when someone published since, and the tab is then
built again from fresh data, so an older view never covers a newer one."""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import App, BoltContext

from handlers.actor import actor_of
from handlers.builder.placeholder import slack_error
from handlers.views.home import home_view
from sync.services import Actor, Services

IsAdmin = Callable[[str], bool]  # user id -> syncbot admin of the actor's workspace


@dataclass
class _Tab:
    """What one user's tab last showed, as this instance published or saw it."""

    digest: str = ""
    hash: str = ""  # Slack's hash of the tab: "" when unknown (then no race check)
    lock: threading.Lock = field(default_factory=threading.Lock)


# Per Services (one per app instance), per (team, user).
_tabs: weakref.WeakKeyDictionary[Services, dict[tuple[str, str], _Tab]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def view_for(services: Services, actor: Actor) -> dict[str, Any]:
    workflows = services.list_workflows(actor)
    usage = services.api_usage_lines(actor) if actor.is_admin else None
    return home_view(
        workflows, services.connections(actor), usage=usage, dm_modes=services.dm_modes(actor)
    )


def publish(
    client: Any, services: Services, actor: Actor, *, force: bool = False, shown_hash: str = ""
) -> bool:
    """Publish the tab; False when it is unchanged since the last publish (no call).
    `shown_hash` is the hash of the tab Slack shows now, when known (app_home_opened):
    a tab someone else published since ours is never taken for ours."""
    tab = _tab(services, actor)
    with tab.lock:
        view = view_for(services, actor)
        digest = _digest(view)
        someone_else = bool(shown_hash) and shown_hash != tab.hash
        if not force and not someone_else and digest == tab.digest:
            return False
        tab.hash = shown_hash or tab.hash
        try:
            answer = client.views_publish(user_id=actor.user, view=view, hash=tab.hash or None)
        except Exception as exc:
            if slack_error(exc) != "hash_conflict":
                tab.digest = ""  # not shown: the next publish must not be skipped
                raise
            # Published elsewhere since we last saw it: build again from what is true now.
            view = view_for(services, actor)
            digest = _digest(view)
            answer = client.views_publish(user_id=actor.user, view=view)
        tab.digest, tab.hash = digest, str(answer["view"]["hash"])
    return True


def _tab(services: Services, actor: Actor) -> _Tab:
    with _lock:
        return _tabs.setdefault(services, {}).setdefault((actor.team, actor.user), _Tab())


def _digest(view: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(view, sort_keys=True).encode()).hexdigest()


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
            shown = event.get("view") or {}
            actor = actor_of(context)
            publish(client, services, actor, force=not shown, shown_hash=shown.get("hash", ""))
