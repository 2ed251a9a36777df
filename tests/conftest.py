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
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


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
