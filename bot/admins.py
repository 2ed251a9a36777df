"""Who administers syncbot in a workspace: Slack admins and owners (users.info, cached a
few minutes) plus SYNCBOT_ADMINS."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

CACHE_SECONDS = 300.0


class AdminDirectory:
    def __init__(
        self, configured: frozenset[str], *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.configured = configured
        self._clock = clock
        self._cache: dict[tuple[str, str], tuple[float, bool]] = {}
        self._lock = threading.Lock()

    def is_admin(self, client: WebClient, team_id: str, user_id: str) -> bool:
        if user_id in self.configured:
            return True
        key, now = (team_id, user_id), self._clock()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
        answer = self._ask(client, user_id)
        with self._lock:
            self._cache[key] = (now, answer)
        return answer

    def admins_known(self, team_id: str) -> list[str]:
        """Admins seen recently plus the configured ones (for "ask an admin" messages)."""
        with self._lock:
            seen = {u for (t, u), (_, yes) in self._cache.items() if t == team_id and yes}
        return sorted(seen | self.configured)

    @staticmethod
    def _ask(client: WebClient, user_id: str) -> bool:
        try:
            user: dict[str, Any] = client.users_info(user=user_id)["user"]
        except SlackApiError:
            return False  # unknown user or missing scope: not an admin
        return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
