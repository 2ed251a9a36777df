"""Alembic environment: our tables plus slack-sdk's installation/state tables."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from sync.store.db import make_engine
from sync.store.slack_tables import slack_metadata
from sync.store.tables import Base

target_metadata = [Base.metadata, slack_metadata]


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `syncbot db upgrade`")
run_migrations_online()
