"""The pieces of `syncbot serve` that need no process: the scheduler's live interval, the
secret filter of the logs, readiness on a database that is behind, interval windows."""

from __future__ import annotations

import logging
import socket
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from waitress.server import create_server

from bot.logs import REDACTED, QueueDepthDigest, RedactSecrets
from bot.ops_routes import database_readiness
from bot.scheduler import TickScheduler, next_window
from bot.waitress_courtesy import accept_in_batches
from sync.courtesy import Courtesy
from sync.poller import EngineConfig, TickReport
from sync.store import migrate
from sync.store.db import make_engine


def test_an_interval_changed_while_running_applies_without_a_restart() -> None:
    interval = {"seconds": 3600}  # nothing would tick during this test at this interval
    ticks: list[TickReport] = []
    two = threading.Event()

    def tick() -> TickReport:
        ticks.append(TickReport())
        if len(ticks) >= 2:
            two.set()
        return TickReport()

    scheduler = TickScheduler(tick, lambda: interval["seconds"]).start()
    try:
        assert scheduler.interval == 3600
        interval["seconds"] = 1
        scheduler.refresh()
        assert scheduler.interval == 1
        assert two.wait(timeout=30)  # bounded only so a broken scheduler cannot hang the run
    finally:
        assert scheduler.stop(timeout=10)
    assert len(ticks) >= 2


def test_stop_waits_for_nothing_when_no_tick_is_in_flight() -> None:
    scheduler = TickScheduler(TickReport, lambda: 3600).start()
    assert scheduler.stop(timeout=0) is True


def test_a_secret_that_slips_into_a_message_is_blanked() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "token %s for %s", ("xoxb-123456", "U1"), None
    )
    assert RedactSecrets(["xoxb-123456", ""]).filter(record)
    assert record.getMessage() == f"token {REDACTED} for U1"


def test_short_or_empty_settings_are_not_treated_as_secrets() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "a 30s tick", None, None)
    RedactSecrets(["30", ""]).filter(record)
    assert record.getMessage() == "a 30s tick"


def test_a_database_without_migrations_is_not_ready(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'behind.db'}")
    reason = database_readiness(engine)()
    assert reason is not None and "schema at nothing" in reason
    migrate.upgrade(engine)
    assert database_readiness(engine)() is None


def test_windows_are_aligned_on_the_epoch_so_instances_agree() -> None:
    config = EngineConfig(interval=lambda: 30)
    at = datetime(2026, 12, 2, 12, 0, 47, tzinfo=UTC)
    assert config.window_start(at) == datetime(2026, 12, 2, 12, 0, 30, tzinfo=UTC)
    assert next_window(at, 30) == datetime(2026, 12, 2, 12, 1, 0, tzinfo=UTC)
    assert EngineConfig().window_start(at) is None  # sync-once: no windows
    assert config.window_start(at + timedelta(seconds=12)) == config.window_start(at)


def test_connections_waiting_to_be_accepted_are_all_taken_in_one_turn() -> None:
    # waitress takes one per turn of its loop, and each turn must win the interpreter back
    # from a backfill: fifty people at once then waited 0.3 s just to be accepted
    server = create_server(lambda e, s: [b""], host="127.0.0.1", port=0, threads=1)
    accept_in_batches(server, Courtesy())
    people = [
        socket.create_connection((server.effective_host, server.effective_port)) for _ in range(10)
    ]
    try:
        before = len(server._map)

        server.handle_accept()

        assert len(server._map) == before + 10
        server.handle_accept()  # nothing waiting: no error, nothing added
        assert len(server._map) == before + 10
    finally:
        for person in people:
            person.close()
        for channel in list(server._map.values()):
            channel.close()


def test_waitress_queue_warnings_come_out_once_a_minute_with_what_they_held() -> None:
    now = [0.0]
    digest = QueueDepthDigest(every=60, clock=lambda: now[0])
    logger = logging.getLogger("test.waitress.queue")
    logger.propagate = False
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(handler)
    logger.addFilter(digest)

    for depth in range(1, 201):  # a burst of 200 requests, most of them queued
        logger.warning("Task queue depth is %d", depth % 40)
    now[0] = 61.0
    logger.warning("Task queue depth is %d", 3)

    assert lines == [
        "1 request(s) waited for a free server thread, at most 1 at once",
        "200 request(s) waited for a free server thread, at most 39 at once, in the last 61 s",
    ]
