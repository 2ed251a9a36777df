"""The composition root: settings in, a wired store, connector factory and engine out."""

from __future__ import annotations

import socket
from dataclasses import dataclass

from sqlalchemy import Engine as SqlEngine

from bot.config import Settings
from sync.clock import SystemClock
from sync.connectors.factory import ConnectorFactory, ServiceConfig
from sync.connectors.salesforce_oauth import SalesforceApp
from sync.connectors.smartsheet import SmartsheetApp
from sync.poller import Engine, EngineConfig, Progress
from sync.ports import Notifier
from sync.store import migrate
from sync.store.db import make_engine, make_session_factory
from sync.store.repo import Store
from sync.store.secrets import TokenCipher


@dataclass
class Runtime:
    settings: Settings
    db: SqlEngine
    store: Store
    connectors: ConnectorFactory
    engine: Engine


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


def build_runtime(
    settings: Settings,
    *,
    notifier: Notifier | None = None,
    progress: Progress | None = None,
    upgrade: bool = True,
) -> Runtime:
    settings.require("syncbot_encryption_key")
    db = make_engine(settings.database_url)
    if upgrade:
        migrate.upgrade(db)
    store = Store(make_session_factory(db), TokenCipher(settings.syncbot_encryption_key))
    clock = SystemClock()
    connectors = ConnectorFactory(store, service_config(settings), clock)
    config = EngineConfig(instance_id=f"{socket.gethostname()}-{id(store):x}")
    engine = Engine(store, connectors, clock, notifier=notifier, config=config, progress=progress)
    return Runtime(settings, db, store, connectors, engine)
