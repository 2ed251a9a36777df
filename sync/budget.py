"""Rate budgets per token: Smartsheet allows 300 requests a minute per access token.

syncbot counts its own calls per Smartsheet connection in a sliding minute and refuses a
call past the limit before sending it (a TransientError: the workflow waits for a later
tick, so the work of a big tick spreads over several instead of drawing 429s). The
Salesforce share (SYNC_API_SHARE of the org's daily allowance) is checked by the connector
from the usage Salesforce reports with every response. `ConnectorFactory.budget_use()`
tells both, for `/sync admin`.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from sync.errors import TransientError

SMARTSHEET_PER_MINUTE = 300


class BudgetSpent(TransientError):
    """syncbot used its calls of the minute on this token; the rest waits for a later tick."""


@dataclass(frozen=True)
class BudgetUse:
    connection_id: int
    service: str  # "smartsheet" (calls in the last minute) | "salesforce" (calls today)
    used: int
    limit: int  # what syncbot allows itself: 300/min, or the share of the daily allowance


class RateBudget:
    """At most `limit` calls per key in any `window` seconds."""

    def __init__(
        self,
        limit: int = SMARTSHEET_PER_MINUTE,
        window: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window = limit, window
        self._monotonic = monotonic
        self.blocking = False  # wait for a free slot instead of refusing (CLI imports)
        self._sleep: Callable[[float], None] = time.sleep
        self._calls: dict[int, deque[float]] = {}
        self._lock = threading.Lock()  # the tick and Slack listeners may share a token

    def take(self, key: int) -> None:
        """Count one call; when the window is full, wait for a slot (blocking) or raise
        BudgetSpent (a tick: the work waits for the next one)."""
        while self.blocking and self.limit > 0:
            with self._lock:
                calls = self._recent(key)
                if len(calls) < self.limit:
                    calls.append(self._monotonic())
                    return
                pause = calls[0] + self.window - self._monotonic()
            self._sleep(max(pause, 0.01))
        with self._lock:
            calls = self._recent(key)
            if len(calls) >= self.limit:
                raise BudgetSpent(
                    f"syncbot has made its {self.limit} Smartsheet calls of the last "
                    f"{self.window:g} s with this account; the rest follows in the next ticks.",
                    service="smartsheet",
                )
            calls.append(self._monotonic())

    def used(self, key: int) -> int:
        with self._lock:
            return len(self._recent(key))

    def connections(self) -> list[int]:
        with self._lock:
            return sorted(self._calls)

    def _recent(self, key: int) -> deque[float]:
        calls = self._calls.setdefault(key, deque())
        horizon = self._monotonic() - self.window
        while calls and calls[0] <= horizon:
            calls.popleft()
        return calls
