"""The migration chain builds exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, MetaData, inspect

from sync.store import migrate
from sync.store.slack_tables import slack_metadata
from sync.store.tables import Base


def test_upgrade_on_an_empty_database_yields_the_models_schema(db_engine: Engine) -> None:
    migrate.upgrade(db_engine)
    with db_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, [Base.metadata, slack_metadata])  # type: ignore[arg-type]
    assert diff == []


def test_upgrade_twice_is_harmless(db_engine: Engine) -> None:
    migrate.upgrade(db_engine)
    migrate.upgrade(db_engine)
    tables = set(inspect(db_engine).get_table_names())
    assert {
        "connections",
        "workflows",
        "record_links",
        "group_state",
        "sync_errors",
        "runs",
        "slack_installations",
        "slack_bots",
        "slack_oauth_states",
    } <= tables


def test_slack_tables_match_the_installed_slack_sdk() -> None:
    """Our mirror of slack-sdk's store tables must stay identical to what its stores use."""
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    theirs = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(theirs, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(theirs, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(theirs, "slack_oauth_states")
    for name, table in theirs.tables.items():
        ours = slack_metadata.tables[name]
        assert [(c.name, str(c.type), c.nullable) for c in table.columns] == [
            (c.name, str(c.type), c.nullable) for c in ours.columns
        ], name


def test_head_constant_is_the_newest_migration_script() -> None:
    """upgrade() skips Alembic when the database is at migrate.HEAD: a new migration
    that does not move HEAD would never run."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert script.get_current_head() == migrate.HEAD


def test_stored_revision_is_none_before_the_first_upgrade_and_head_after(
    db_engine: Engine,
) -> None:
    assert migrate.stored_revision(db_engine) is None
    migrate.upgrade(db_engine)
    assert migrate.stored_revision(db_engine) == migrate.HEAD
