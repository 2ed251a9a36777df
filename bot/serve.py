"""`syncbot serve`: the web app under waitress plus the embedded tick scheduler.

Start: settings, one-instance guard for SQLite, migrations (or a check with
--no-migrate), then the HTTP server and the scheduler. SIGTERM/SIGINT: close the
listener, take no new tick, give the tick in flight `--shutdown-timeout` seconds, exit 0.
A tick cut short leaves nothing half-written: each workflow's writes and bookkeeping
commit together, so the next tick repeats what was not committed."""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, TypeVar

from sqlalchemy.engine import make_url
from waitress.server import create_server

from bot import logs
from bot.app import create_web
from bot.config import SERVE_REQUIRED, ConfigError, Settings, load_settings
from bot.metrics import Metrics
from bot.ops_routes import database_readiness, ops_routes
from bot.runtime import Runtime, build_runtime, tune_interpreter
from bot.scheduler import TickScheduler
from bot.waitress_courtesy import accept_in_batches, noticing_channel
from bot.web import served_first
from bot.wiring import build_services, make_notifier
from sync.courtesy import Courtesy
from sync.store import ledger, migrate
from sync.store.db import make_engine

log = logging.getLogger(__name__)
T = TypeVar("T")
REFRESH_SECONDS = 5.0  # how soon an interval set from Slack takes effect (twice this at most)


def serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    settings.require(*SERVE_REQUIRED)
    logs.redact(_secrets(settings))
    lock = single_instance_lock(settings.database_url)
    if args.no_migrate:
        refuse_if_behind(settings.database_url)
    metrics = Metrics()
    runtime = build_runtime(settings, upgrade=not args.no_migrate, on_api_call=metrics.api_call)
    services = build_services(settings, runtime.store, runtime.engine, runtime.connectors)
    notifier = make_notifier(settings, runtime.store, services)
    runtime.engine.notifier = notifier
    # The admins' interval from `/sync admin`, read again at each group and every few
    # seconds by the scheduler: a change applies without a restart.
    interval = read_at_most_every(REFRESH_SECONDS, services.poll_interval)
    courtesy = Courtesy()  # the tick steps aside while Slack is being answered
    runtime.engine.config = replace(
        runtime.engine.config, interval=interval, step_aside=courtesy.step_aside
    )
    metrics.watch_lag(lambda: _last_runs(runtime), lambda: datetime.now(UTC))
    routes = ops_routes(database_readiness(runtime.db), metrics)
    app = served_first(create_web(settings, services, extra_routes=routes), courtesy)
    port = settings.port if args.port is None else args.port
    try:
        server = create_server(app, host=args.host, port=port, threads=8, ident="syncbot")
    except OSError as exc:
        raise ConfigError(f"cannot listen on {args.host}:{port}: {exc.strerror}") from None
    server.channel_class = noticing_channel(courtesy)
    accept_in_batches(server, courtesy)
    scheduler = TickScheduler(runtime.engine.tick, interval, metrics.observe_tick)
    scheduler.daily("digest", notifier.send_digests, settings.syncbot_digest_hour)
    tune_interpreter()  # Slack's acks share the GIL with a backfill's threads
    try:
        return _run(server, scheduler, args.shutdown_timeout)
    finally:
        if lock is not None:
            lock.close()


def read_at_most_every(seconds: float, read: Callable[[], T]) -> Callable[[], T]:
    """`read`, its answer kept for `seconds`: the engine asks for the interval at every
    group (200 groups, 200 database reads a pass), the admins change it now and then."""
    kept: list[tuple[float, T]] = []
    lock = threading.Lock()

    def current() -> T:
        now = time.monotonic()
        with lock:
            if kept and now - kept[0][0] < seconds:
                return kept[0][1]
        value = read()
        with lock:
            kept[:] = [(now, value)]
        return value

    return current


def _run(server: Any, scheduler: TickScheduler, shutdown_timeout: float) -> int:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threading.Thread(target=server.run, name="syncbot-http", daemon=True).start()
    scheduler.start()
    host, port = server.effective_host, server.effective_port
    print(f"syncbot: listening on http://{host}:{port} (a tick every {scheduler.interval}s)")
    sys.stdout.flush()
    while not stop.wait(REFRESH_SECONDS):
        scheduler.refresh()
    log.info("stopping: no new requests or ticks")
    server.close()
    if scheduler.stop(shutdown_timeout):
        log.info("stopped cleanly")
        return 0
    log.warning(
        "the tick in flight did not finish within %ss; leaving it to the next tick",
        shutdown_timeout,
    )
    logging.shutdown()
    os._exit(0)  # the tick's thread would be joined at exit; its uncommitted work rolls back


def single_instance_lock(database_url: str) -> IO[str] | None:
    """SQLite is one writer on one machine: a second `serve` on the same file would run
    every group twice. Hold an exclusive lock on `<db>.lock` for the process's life."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database).resolve().with_suffix(".lock")
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise ConfigError(
            f"Another syncbot serve is already running on {url.database}; SQLite allows one "
            "instance, so stop it or use PostgreSQL (DATABASE_URL) to run several."
        ) from None
    return handle


def refuse_if_behind(database_url: str) -> None:
    current, head = migrate.current_and_head(make_engine(database_url))
    if current != head:
        raise ConfigError(
            f"The database is at migration {current or 'none'} but this syncbot needs {head}; "
            "run `syncbot db upgrade` or start without --no-migrate."
        )


def _last_runs(runtime: Runtime) -> dict[int, datetime]:
    with runtime.store.unit() as session:
        return ledger.last_group_runs(session)


def _secrets(settings: Settings) -> list[str]:
    return [
        settings.slack_signing_secret,
        settings.slack_client_secret,
        settings.salesforce_client_secret,
        settings.smartsheet_client_secret,
        settings.syncbot_encryption_key,
    ]
