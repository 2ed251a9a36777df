"""The composition root: settings in, a wired store, connector factory and engine out."""

from __future__ import annotations

import gc
import logging
import os
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine as SqlEngine
from sqlalchemy.engine import make_url

from bot.config import Settings
from sync.clock import SystemClock
from sync.connectors.factory import ConnectorFactory, ServiceConfig
from sync.connectors.http import ApiObserver
from sync.connectors.salesforce_oauth import SalesforceApp
from sync.connectors.smartsheet import SmartsheetApp
from sync.poller import EngineConfig, Progress, Syncer
from sync.ports import Notifier
from sync.store import migrate
from sync.store.db import make_engine, make_session_factory
from sync.store.repo import Store
from sync.store.secrets import TokenCipher

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    db: SqlEngine
    store: Store
    connectors: ConnectorFactory
    engine: Syncer


def service_config(settings: Settings) -> ServiceConfig:
    return ServiceConfig(
        salesforce_app=SalesforceApp(
            settings.salesforce_client_id, settings.salesforce_client_secret
        ),
        smartsheet_app=SmartsheetApp(
            settings.smartsheet_client_id, settings.smartsheet_client_secret
        ),
        smartsheet_api_url=settings.smartsheet_api_url,
        salesforce_ca_bundle=settings.salesforce_ca_bundle,
        api_share=settings.sync_api_share,
    )


def encryption_key(settings: Settings) -> str:
    """SYNCBOT_ENCRYPTION_KEY, or — for a local SQLite database only — a key kept in a
    0600 file beside it, made on first use, so that trying syncbot needs no set-up.
    A shared database (PostgreSQL) always needs the key in the environment."""
    if settings.syncbot_encryption_key:
        return settings.syncbot_encryption_key
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        settings.require("syncbot_encryption_key")
    path = Path(url.database or "syncbot.db").with_suffix(".key")
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(TokenCipher.generate_key() + "\n", encoding="utf-8")
        log.warning(
            "SYNCBOT_ENCRYPTION_KEY is not set: made a key in %s (keep it with the database; "
            "set SYNCBOT_ENCRYPTION_KEY for production)",
            path,
        )
    return path.read_text(encoding="utf-8").strip()


def build_runtime(
    settings: Settings,
    *,
    notifier: Notifier | None = None,
    progress: Progress | None = None,
    upgrade: bool = True,
    interval: Callable[[], float] | None = None,
    on_api_call: ApiObserver | None = None,
) -> Runtime:
    """`interval` (the schedule's, for `serve`) makes each group run once per interval
    window across instances; without it every tick runs every group (`sync-once`)."""
    key = encryption_key(settings)
    db = make_engine(settings.database_url)
    if upgrade:
        migrate.upgrade(db)
    store = Store(make_session_factory(db), TokenCipher(key))
    clock = SystemClock()
    services = replace(service_config(settings), on_api_call=on_api_call)
    connectors = ConnectorFactory(store, services, clock)
    config = EngineConfig(
        instance_id=instance_id(),
        lease=timedelta(seconds=settings.sync_lease_seconds),
        interval=interval,
    )
    engine = Syncer(store, connectors, clock, notifier=notifier, config=config, progress=progress)
    return Runtime(settings, db, store, connectors, engine)


def tune_interpreter() -> None:
    """For the engine's process, once its modules are loaded (measured with
    bench/backfill_floor.py: together 1 s of a 20,000-record backfill's 6.5 s).

    - 1 ms GIL slices instead of 5: a thread woken by I/O (a backfill's sending thread, a
      Slack ack) waits for the running thread's slice at every step; with the default
      slice the sender queues behind whole slices of conversion and bookkeeping.
    - The garbage collector leaves alone what is loaded by now (it lives as long as the
      process) and runs less often: a page's values are freed by reference counting, yet
      their allocations set off full collections that walk every module's objects.
    """
    sys.setswitchinterval(0.001)
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def instance_id() -> str:
    """Who holds a lease, in words an operator can act on: host and process (a restarted
    process is a new holder)."""
    return f"{socket.gethostname()[:40]} pid {os.getpid()}"
