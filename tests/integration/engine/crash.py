"""A simulated power cut: the first commit after a given sandbox call fails, as if the
process died between writing to a service and storing what it wrote."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session

from sync.store.repo import Store


class SimulatedCrash(Exception):
    pass


@contextmanager
def crash_after(store: Store, happened: Callable[[], bool]) -> Iterator[list[bool]]:
    """Fail the first commit once `happened()` is true; yields [True] once it crashed."""
    crashed: list[bool] = []

    def crash_once(session: Session) -> None:
        if not crashed and happened():
            crashed.append(True)
            raise SimulatedCrash("power cut after the write, before its bookkeeping")

    event.listen(store.sessions, "before_commit", crash_once)
    try:
        yield crashed
    finally:
        event.remove(store.sessions, "before_commit", crash_once)
