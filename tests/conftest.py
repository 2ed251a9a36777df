"""Shared fixtures. Databases: SQLite in a temp dir by default; PostgreSQL when
TEST_DATABASE_URL points at one (each test gets its own schema, dropped afterwards)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from sync.store import migrate
from sync.store.db import make_engine, make_session_factory
from sync.store.repo import Store
from sync.store.secrets import TokenCipher

TEST_KEY = TokenCipher.generate_key()


@pytest.fixture
def db_engine(tmp_path: Path) -> Iterator[Engine]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
        yield engine
        engine.dispose()
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(
        url, connect_args={"options": f"-csearch_path={schema}", "application_name": schema}
    )
    try:
        yield engine
    finally:
        engine.dispose()
        _drop_schema(admin, schema)
        admin.dispose()


def _drop_schema(admin: Engine, schema: str) -> None:
    # A Bolt handler's background thread (a home publish, a backfill) may still hold a
    # connection when the test ends; end those sessions first, or DROP SCHEMA deadlocks
    # against their row locks.
    with admin.begin() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = :schema AND pid <> pg_backend_pid()"
            ),
            {"schema": schema},
        )
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def migrated(db_engine: Engine) -> Engine:
    migrate.upgrade(db_engine)
    return db_engine


@pytest.fixture
def store(migrated: Engine) -> Store:
    return Store(make_session_factory(migrated), TokenCipher(TEST_KEY))


class FakeClock:
    """A clock tests move by hand (no patching of global time)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
