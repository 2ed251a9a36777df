"""Rate budgets per token: Smartsheet allows 300 requests a minute per access token.

syncbot counts its own calls per token (connections holding the same token share one
budget) and refuses a call past the limit before sending it (a TransientError: the
workflow waits for a later tick, so the work of a big tick spreads over several instead of
drawing 429s). With a `SlotCounts` store the count lives in the database, so every syncbot
process on it draws from the same budget.

The count is kept per slot of a sixth of the window (10 s of a minute) and a call is
allowed while the current slot and the six before it hold fewer than the limit: those
seven slots cover any window-long span that ends now, so no sliding minute ever sees more
than the limit (at the price of up to one slot of caution).

The Salesforce share (SYNC_API_SHARE of the org's daily allowance) is checked by the
connector from the usage Salesforce reports with every response (the org's own count, so
shared by every token and process already). `ConnectorFactory.budget_use()` tells both,
with what was deferred, for `/sync admin`.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from sync.errors import TransientError

SMARTSHEET_PER_MINUTE = 300
SLOTS = 6  # slots per window: the finer, the less caution, the more rows counted
# Calls counted in the store at once and handed out locally: one short transaction per
# several calls, not per call (on SQLite each waits for the tick's own writes to commit).
# A reservation is as large as the calls this process already made in the slot (1, 1, 2,
# 4, 8, then RESERVE): a busy process writes rarely, a quiet one (three instances each
# listing sheets now and then) wastes at most a call. The price: calls counted but not
# made when the work stops, at most half of those made in the 10 s slot and RESERVE - 1,
# seen by other processes for the rest of the minute (a limit under 300 reserves less).
RESERVE = 15


class BudgetSpent(TransientError):
    """syncbot used its calls of the minute on this token; the rest waits for a later tick."""


@dataclass(frozen=True)
class BudgetUse:
    connection_id: int
    service: str  # "smartsheet" (calls in the last minute) | "salesforce" (calls today)
    used: int
    limit: int  # what syncbot allows itself: 300/min, or the share of the daily allowance
    deferred: int = 0  # calls refused in the last window (smartsheet) / this process (salesforce)
    token: str = ""  # which budget: connections with the same token share one (no secret)
    shared_with: tuple[int, ...] = ()  # the other connections drawing on this budget


class SlotCounts(Protocol):
    """Calls counted per (budget key, slot), shared by every process using it."""

    def add(self, key: str, slot: int, first: int, calls: int, limit: int) -> bool:
        """Count `calls` in `slot` if slots first..slot then hold at most `limit`."""
        ...

    def total(self, key: str, first: int, last: int) -> int: ...


@dataclass
class MemoryCounts:
    """One process's counts (tests, and a factory without a store)."""

    _slots: dict[tuple[str, int], int] = field(default_factory=dict)

    def add(self, key: str, slot: int, first: int, calls: int, limit: int) -> bool:
        if self.total(key, first, slot) + calls > limit:
            return False
        self._slots[(key, slot)] = self._slots.get((key, slot), 0) + calls
        for old in [k for k in self._slots if k[0] == key and k[1] < first]:
            del self._slots[old]
        return True

    def total(self, key: str, first: int, last: int) -> int:
        return sum(self._slots.get((key, s), 0) for s in range(first, last + 1))


def token_key(service: str, token: str) -> str:
    """A budget's name: a short digest of the token (never the token itself)."""
    return f"{service[:2]}:{hashlib.sha256(token.encode()).hexdigest()[:16]}"


class RateBudget:
    """At most `limit` calls per key in any `window` seconds."""

    def __init__(
        self,
        limit: int = SMARTSHEET_PER_MINUTE,
        window: float = 60.0,
        monotonic: Callable[[], float] = time.time,  # shared by processes when counted in a DB
        counts: SlotCounts | None = None,
    ) -> None:
        self._limit, self.window = limit, window
        self._clock = monotonic
        self.counts: SlotCounts = counts or MemoryCounts()
        self.blocking = False  # wait for a free slot instead of refusing (CLI imports)
        self._sleep: Callable[[float], None] = time.sleep
        self._holders: dict[str, set[int]] = {}  # key -> connections seen using it
        self._refused: dict[str, list[float]] = {}  # key -> when calls were refused
        self._lock = threading.Lock()  # the tick and Slack listeners may share a token
        # key -> (slot, calls left in it, calls taken in it)
        self._reserved: dict[str, tuple[int, int, int]] = {}

    @property
    def limit(self) -> int:
        return self._limit

    @limit.setter
    def limit(self, value: int) -> None:
        """A new limit (set in `/sync admin`) applies at once: reserved calls go back."""
        with self._lock:
            for key, (slot, left, _taken) in self._reserved.items():
                if left > 0:
                    self.counts.add(key, slot, slot - SLOTS, -left, 10**9)
            self._reserved.clear()
            self._limit = value

    def take(self, key: str, connection_id: int) -> None:
        """Count one call of `connection_id` on the budget `key` (its token); when the
        window is full, wait for a slot (blocking) or raise BudgetSpent (a tick: the work
        waits for the next one)."""
        name = key
        with self._lock:
            self._holders.setdefault(name, set()).add(connection_id)
        while True:
            slot = self._slot()
            with self._lock:
                if self._take_reserved(name, slot):
                    return
            if not self.blocking or self.limit <= 0:
                break
            self._sleep(max((slot + 1) * self._slot_seconds - self._clock(), 0.01))
        with self._lock:
            self._refused.setdefault(name, []).append(self._clock())
        raise BudgetSpent(
            f"syncbot has made its {self.limit} Smartsheet calls of the last "
            f"{self.window:g} s with this account; the rest follows in the next ticks.",
            service="smartsheet",
        )

    def _take_reserved(self, key: str, slot: int) -> bool:
        """One call from this process's reservation for the slot, reserving more from the
        shared count when it is used up (as many as taken so far, else one). Called under
        the lock."""
        held_slot, left, taken = self._reserved.get(key, (slot, 0, 0))
        if held_slot != slot:
            left, taken = 0, 0
        if left > 0:
            self._reserved[key] = (slot, left - 1, taken + 1)
            return True
        if self.limit <= 0:
            return False
        # a small limit (tests, a budget set low) keeps exact counts: nothing to spare
        most = min(RESERVE, max(1, self.limit // 20))
        for calls in dict.fromkeys((min(most, max(1, taken)), 1)):
            if self.counts.add(key, slot, slot - SLOTS, calls, self.limit):
                self._reserved[key] = (slot, calls - 1, taken + 1)
                return True
        return False

    def used(self, key: str) -> int:
        """Calls made in the window (this process's reserved, unmade ones left out)."""
        slot = self._slot()
        with self._lock:
            held_slot, left, _taken = self._reserved.get(key, (slot, 0, 0))
        return self.counts.total(key, slot - SLOTS, slot) - (left if held_slot == slot else 0)

    def deferred(self, key: str) -> int:
        """Calls refused in the last window: work this budget pushed to later ticks."""
        horizon = self._clock() - self.window
        with self._lock:
            recent = [t for t in self._refused.get(key, []) if t > horizon]
            self._refused[key] = recent
        return len(recent)

    def keys(self) -> dict[str, tuple[int, ...]]:
        """Each budget this process drew on, with the connections that used it."""
        with self._lock:
            return {k: tuple(sorted(v)) for k, v in sorted(self._holders.items())}

    def connections(self) -> list[int]:
        return sorted({c for held in self.keys().values() for c in held})

    @property
    def _slot_seconds(self) -> float:
        return self.window / SLOTS

    def _slot(self) -> int:
        return int(self._clock() // self._slot_seconds)
