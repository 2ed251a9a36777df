"""The installation store, its lookups kept in memory for a few seconds.

Bolt authorizes every request (slash command, click, submission) by reading the
workspace's installation: a database query inside each 3 s ack, a quarter of what an ack
costs, and what queues 50 acks arriving at once. Lookups are answered from memory for
TTL seconds; every save and delete made through this store clears them at once (an
install, an uninstall, revoked tokens). Another instance on the same database sees such a
change within TTL seconds; Slack sends nothing for a workspace that uninstalled the app.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from logging import Logger
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore

TTL = 10.0  # seconds


class CachedInstallationStore(InstallationStore):
    def __init__(
        self,
        store: InstallationStore,
        ttl: float = TTL,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.ttl = ttl
        self._monotonic = monotonic
        self._found: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self._generation = 0  # moved by every change: a lookup begun before one is not kept
        self._lock = threading.Lock()

    @property
    def logger(self) -> Logger:
        return self.store.logger

    # -- lookups -------------------------------------------------------------------------
    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        key = ("bot", enterprise_id, team_id, is_enterprise_install)
        return self._cached(  # type: ignore[no-any-return]
            key,
            lambda: self.store.find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            ),
        )

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        key = ("installation", enterprise_id, team_id, user_id, is_enterprise_install)
        return self._cached(  # type: ignore[no-any-return]
            key,
            lambda: self.store.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            ),
        )

    # -- changes: made, then every lookup forgotten ---------------------------------------
    def save(self, installation: Installation) -> None:
        self._changed(lambda: self.store.save(installation))

    def save_bot(self, bot: Bot) -> None:
        self._changed(lambda: self.store.save_bot(bot))

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._changed(lambda: self.store.delete_bot(enterprise_id=enterprise_id, team_id=team_id))

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self._changed(
            lambda: self.store.delete_installation(
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
            )
        )

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._changed(lambda: self.store.delete_all(enterprise_id=enterprise_id, team_id=team_id))

    # -- machinery -----------------------------------------------------------------------
    def _cached(self, key: tuple[Any, ...], find: Callable[[], Any]) -> Any:
        now = self._monotonic()
        with self._lock:
            hit, generation = self._found.get(key), self._generation
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        found = find()
        with self._lock:
            if generation == self._generation:
                self._found[key] = (now, found)
        return found

    def _changed(self, change: Callable[[], None]) -> None:
        try:
            change()
        finally:
            with self._lock:
                self._generation += 1
                self._found.clear()
