"""Slack first: the engine steps aside while a request is being answered.

`syncbot serve` answers Slack and runs the tick in one process, and CPython runs one
thread at a time. A backfill keeps its threads busy converting, encoding and storing;
a request arriving then gets about half the interpreter, and a burst of fifty waits
twice as long as it would on an idle server. Slack gives up after 3 seconds.

So the web layer marks each request it serves (`begin`, `end`), and the engine calls
`step_aside()` between its steps: while anything is being served it waits, but never
longer than `longest_pause` at one step, so a steady stream of requests slows the
engine down without stopping it. The server also says when bytes arrive (`notice`):
a request is read and parsed before it is served, and fifty new connections accepted
by one thread that has to win the interpreter back from the engine's for every one of
them took 0.7 s (measured, bench/slack_acks.py), against 0.1 s once the engine waits.
Nothing the engine holds is given up while it waits (its lease lasts minutes, a pause a
second at most), no step is cut in two, and no transaction is open across a pause."""

from __future__ import annotations

import threading
import time

LONGEST_PAUSE = 1.0  # seconds at one step: Slack waits 3 s, a lease lasts minutes
ARRIVAL_GRACE = 0.05  # seconds after bytes arrive (or an answer goes out) to keep aside


class Courtesy:
    def __init__(self, longest_pause: float = LONGEST_PAUSE) -> None:
        self.longest_pause = longest_pause
        self.pauses = 0  # steps that found a request in flight and waited
        self._serving = 0
        self._arriving_until = 0.0  # time.monotonic() until which a request is on its way
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()

    @property
    def in_flight(self) -> int:
        """Requests being served now."""
        return self._serving

    def begin(self) -> None:
        """A request is being served (each `begin` has its `end`)."""
        with self._lock:
            self._serving += 1
            self._idle.clear()

    def end(self) -> None:
        with self._lock:
            self._serving -= 1
            if self._serving == 0:
                self._idle.set()
        self.notice()  # its answer is still being written out

    def notice(self) -> None:
        """Bytes of a request arrived: it will be served within moments."""
        self._arriving_until = time.monotonic() + ARRIVAL_GRACE

    def step_aside(self) -> None:
        if self._idle.is_set() and time.monotonic() >= self._arriving_until:
            return
        with self._lock:
            self.pauses += 1
        give_up = time.monotonic() + self.longest_pause
        while (left := give_up - time.monotonic()) > 0:
            if not self._idle.is_set():
                self._idle.wait(left)
                continue
            arriving = self._arriving_until - time.monotonic()
            if arriving <= 0:
                return
            time.sleep(min(arriving, left))


def no_courtesy() -> None:
    """The engine alone in its process (`sync-once`, tests): nothing to step aside for."""
