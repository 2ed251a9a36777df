"""The backfill's page pipeline: steps in order, bounded, and the first failure stops
everything after it and reaches the caller."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import closing

import pytest

from sync.pipeline import Pipeline, prefetched


class Boom(Exception):
    pass


def test_sends_and_stores_run_in_submission_order_on_their_own_threads() -> None:
    sent: list[int] = []
    stored: list[tuple[int, str]] = []
    caller = threading.current_thread().name
    with Pipeline[int]("test") as pipe:
        for n in range(20):
            pipe.submit(
                lambda n=n: sent.append(n) or n,
                lambda got: stored.append((got, threading.current_thread().name)),
            )
    assert sent == list(range(20))
    assert [n for n, _ in stored] == list(range(20))
    assert {name for _, name in stored} != {caller}


def test_a_failed_send_stops_later_pages_and_is_raised_to_the_caller() -> None:
    sent: list[int] = []
    stored: list[int] = []

    def send(n: int) -> int:
        if n == 3:
            raise Boom("page 3")
        sent.append(n)
        return n

    with pytest.raises(Boom, match="page 3"), Pipeline[int]("test") as pipe:
        for n in range(10):
            pipe.submit(lambda n=n: send(n), stored.append)
    assert sent == [0, 1, 2]
    assert stored == [0, 1, 2]  # page 3 stored nothing, and nothing after it ran


def test_a_failed_store_stops_later_sends() -> None:
    sent: list[int] = []
    release = threading.Event()

    def store(n: int) -> None:
        if n == 0:
            raise Boom("store 0")

    def send(n: int) -> int:
        if n > 0:
            release.wait(5)  # page 1 is sent only once page 0's store has failed
        sent.append(n)
        return n

    with pytest.raises(Boom, match="store 0"), Pipeline[int]("test", ahead=1) as pipe:
        pipe.submit(lambda: send(0), store)
        release.set()
        for n in range(1, 5):
            pipe.submit(lambda n=n: send(n), store)
    assert sent == [0]


def test_no_more_than_ahead_items_are_in_flight() -> None:
    gate = threading.Semaphore(0)
    in_flight = 0
    most = 0
    lock = threading.Lock()

    def send(n: int) -> int:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        gate.acquire(timeout=5)
        return n

    def store(_n: int) -> None:
        nonlocal in_flight
        with lock:
            in_flight -= 1

    with Pipeline[int]("test", ahead=2) as pipe:
        for n in range(6):
            gate.release()
            pipe.submit(lambda n=n: send(n), store)
    assert most <= 2


def test_a_caller_failure_runs_nothing_more_and_keeps_its_own_error() -> None:
    sent: list[int] = []
    started, release = threading.Event(), threading.Event()

    def first() -> int:
        started.set()
        release.wait(5)
        sent.append(0)
        return 0

    with pytest.raises(Boom, match="caller"), Pipeline[int]("test") as pipe:
        pipe.submit(first, lambda _n: None)
        pipe.submit(lambda: sent.append(1) or 1, lambda _n: None)
        started.wait(5)
        threading.Timer(0.05, release.set).start()  # the step in flight finishes ...
        raise Boom("caller")
    assert sent == [0]  # ... and the one queued behind it never runs


def test_prefetched_yields_every_item_in_order_fetched_on_another_thread() -> None:
    threads: list[str] = []

    def items() -> Iterator[int]:
        for n in range(50):
            threads.append(threading.current_thread().name)
            yield n

    assert list(prefetched(items(), "test")) == list(range(50))
    assert set(threads) == {"test-fetch"}


def test_prefetched_raises_a_fetch_error_after_the_items_before_it() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise Boom("page 3 failed")

    got: list[int] = []
    with pytest.raises(Boom, match="page 3 failed"):
        for n in prefetched(items(), "test"):
            got.append(n)
    assert got == [1, 2]


def test_prefetched_fetches_at_most_one_ahead_and_stops_when_the_caller_leaves() -> None:
    fetched: list[int] = []

    def items() -> Iterator[int]:
        for n in range(1_000):
            fetched.append(n)
            yield n

    with closing(prefetched(items(), "test")) as pages:
        assert next(pages) == 0
        assert next(pages) == 1
    # closing waited for the fetcher: 0 and 1 taken, at most one waiting in the handoff
    # and one in the fetcher's hands when told to stop; nothing is fetched after that
    assert fetched[:2] == [0, 1] and len(fetched) <= 4
    seen = len(fetched)
    time.sleep(0.2)
    assert len(fetched) == seen
