"""Backfill progress fanned out to whoever watches a workflow, throttled (pure apart from
the injected clock): the engine calls `hub(workflow_id, done, total)` after every page; a
watcher hears at most one update per `interval` seconds, plus the final one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

Watcher = Callable[[int, int], None]  # (done, total)


class ProgressHub:
    def __init__(
        self, interval: float = 3.0, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.interval = interval
        self._monotonic = monotonic
        self._watchers: dict[int, tuple[Watcher, list[float]]] = {}
        self._lock = threading.Lock()

    def watch(self, workflow_id: int, watcher: Watcher) -> None:
        with self._lock:
            self._watchers[workflow_id] = (watcher, [float("-inf")])

    def forget(self, workflow_id: int) -> None:
        with self._lock:
            self._watchers.pop(workflow_id, None)

    def __call__(self, workflow_id: int, done: int, total: int) -> None:
        with self._lock:
            entry = self._watchers.get(workflow_id)
        if entry is None:
            return
        watcher, last = entry
        now = self._monotonic()
        if done < total and now - last[0] < self.interval:
            return
        last[0] = now
        watcher(done, total)
