"""Run Alembic migrations programmatically (`syncbot db upgrade`, tests, demo)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions (a test holds the two together). A database
# already there needs no Alembic: importing it and reading the scripts cost every CLI
# command a fifth of a second.
HEAD = "0004"


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and stored_revision(engine) == HEAD:
        return
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def stored_revision(engine: Engine) -> str | None:
    """The revision the database says it is at; None before the first upgrade."""
    with engine.connect() as connection:  # a database that does not answer raises here
        try:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        except DBAPIError:  # no alembic_version table yet
            return None
    return str(found[0][0]) if len(found) == 1 else None


def revision(url: str, message: str) -> None:
    """Developer helper: autogenerate a new migration against a database at head."""
    from alembic import command

    command.revision(alembic_config(url), message=message, autogenerate=True)


def current_and_head(engine: Engine) -> tuple[str | None, str | None]:
    """The database's Alembic revision and the code's head (for `/readyz`, `--no-migrate`):
    plain SQL and HEAD, so a readiness probe never waits for Alembic to load."""
    return stored_revision(engine), HEAD
