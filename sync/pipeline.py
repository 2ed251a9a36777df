"""Backfill pages in a pipeline: while page n's rows are being sent, page n-1's links and
history are being stored, page n+1 is being converted and page n+2 is being fetched.

A backfill is mostly waiting: on Salesforce for a page, on Smartsheet for its rows, on the
database for the links. Done one after the other, each wait adds to the next; overlapped,
the slowest of them sets the pace. Order still holds where it matters for a crash: a
page's intents are stored before its rows go out (the send step does both), and a page's
links and cursor are stored only after its rows are in the sheet, pages in order.
"""

from __future__ import annotations

import contextlib
import contextvars
import queue
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Generic, TypeVar

from sync.courtesy import no_courtesy

T = TypeVar("T")
R = TypeVar("R")


class _Stopped(Exception):
    """A step not run because an earlier one failed."""


class Pipeline(Generic[T]):
    """`send(item)` steps run in order on one thread, each result's `store(result)` in
    order on another; at most `ahead` items are in flight, so memory stays bounded. The
    first failure stops every later step and is raised in the caller's thread, at the
    next `submit` or on leaving the `with` block. `step_aside` is called before each
    step (sync/courtesy.py)."""

    def __init__(
        self, name: str, ahead: int = 2, step_aside: Callable[[], None] = no_courtesy
    ) -> None:
        self._send = ThreadPoolExecutor(1, thread_name_prefix=f"{name}-send")
        self._store = ThreadPoolExecutor(1, thread_name_prefix=f"{name}-store")
        self._in_flight: deque[Future[None]] = deque()
        self._ahead = ahead
        self._error: BaseException | None = None
        self._step_aside = step_aside

    def submit(self, send: Callable[[], T], store: Callable[[T], None]) -> None:
        self._raise_if_failed()
        while len(self._in_flight) >= self._ahead:
            self._wait(self._in_flight.popleft())
        self._raise_if_failed()
        sent = self._send.submit(self._guarded(send))
        self._in_flight.append(self._store.submit(self._guarded(lambda: store(sent.result()))))

    def _guarded(self, step: Callable[[], R]) -> Callable[[], R]:
        context = contextvars.copy_context()  # the tick's log context reaches the workers

        def run() -> R:
            self._step_aside()
            if self._error is not None:
                raise _Stopped
            try:
                return context.run(step)
            except BaseException as exc:
                if self._error is None:
                    self._error = exc
                raise

        return run

    def _wait(self, future: Future[None]) -> None:
        with contextlib.suppress(BaseException):  # kept in self._error, raised once
            future.result()

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    def __enter__(self) -> Pipeline[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None and self._error is None:
            self._error = _Stopped()  # the caller failed: what is queued does not run
        while self._in_flight:
            self._wait(self._in_flight.popleft())
        self._send.shutdown()
        self._store.shutdown()
        if exc is None:
            self._raise_if_failed()


_DONE = object()


def prefetched(items: Iterable[T], name: str) -> Generator[T, None, None]:
    """`items`, each fetched on a thread of its own while the caller works on the one
    before (a query page's wait and decoding overlap the previous page's conversion).
    A fetch's error is raised at the caller's next step; a caller leaving early stops
    the fetching after the item in hand."""
    handoff: queue.Queue[object] = queue.Queue(maxsize=1)
    stop = threading.Event()
    context = contextvars.copy_context()

    def fetch() -> None:
        try:
            for item in items:
                if not _put(handoff, item, stop):
                    return
            _put(handoff, _DONE, stop)
        except BaseException as exc:  # handed to the caller, raised there
            _put(handoff, _Failed(exc), stop)

    worker = threading.Thread(target=context.run, args=(fetch,), name=f"{name}-fetch", daemon=True)
    worker.start()
    try:
        while (item := handoff.get()) is not _DONE:
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()  # a fetcher waiting on the full handoff sees it within 50 ms
        worker.join()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def _put(handoff: queue.Queue[object], item: object, stop: threading.Event) -> bool:
    while not stop.is_set():
        with contextlib.suppress(queue.Full):
            handoff.put(item, timeout=0.05)
            return True
    return False
