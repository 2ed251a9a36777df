"""Installation lookups kept for seconds: fewer database reads per ack, and an install
or uninstall made through the store seen at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import create_engine

from bot.oauth.cached_installations import CachedInstallationStore


class CountingStore(SQLAlchemyInstallationStore):
    """slack-sdk's own store on SQLite, counting the lookups that reach the database."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reads = 0

    def find_bot(self, **kwargs: Any) -> Bot | None:
        self.reads += 1
        return super().find_bot(**kwargs)

    def find_installation(self, **kwargs: Any) -> Installation | None:
        self.reads += 1
        return super().find_installation(**kwargs)


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def _stores(tmp_path: Path) -> tuple[CountingStore, CachedInstallationStore, Clock]:
    db = CountingStore(client_id="111.222", engine=create_engine(f"sqlite:///{tmp_path}/i.db"))
    db.create_tables()
    clock = Clock()
    return db, CachedInstallationStore(db, ttl=10, monotonic=clock), clock


def _installation(team: str, token: str) -> Installation:
    return Installation(
        app_id="A1", team_id=team, user_id="U1", bot_token=token, bot_id="B1", bot_user_id="UB"
    )


def test_lookups_within_the_ttl_read_the_database_once(tmp_path: Path) -> None:
    db, cached, clock = _stores(tmp_path)
    cached.save(_installation("T1", "xoxb-1"))
    reads = db.reads
    tokens = [cached.find_bot(enterprise_id=None, team_id="T1") for _ in range(50)]
    assert [b.bot_token for b in tokens if b] == ["xoxb-1"] * 50
    assert db.reads == reads + 1
    clock.t += 11  # past the TTL: read again
    assert cached.find_bot(enterprise_id=None, team_id="T1") is not None
    assert db.reads == reads + 2


def test_an_uninstall_through_the_store_is_seen_at_once(tmp_path: Path) -> None:
    _db, cached, _ = _stores(tmp_path)
    cached.save(_installation("T1", "xoxb-1"))
    assert cached.find_installation(enterprise_id=None, team_id="T1") is not None
    cached.delete_all(enterprise_id=None, team_id="T1")
    assert cached.find_installation(enterprise_id=None, team_id="T1") is None
    assert cached.find_bot(enterprise_id=None, team_id="T1") is None


def test_a_reinstall_with_a_new_token_is_seen_at_once(tmp_path: Path) -> None:
    _db, cached, _ = _stores(tmp_path)
    cached.save(_installation("T1", "xoxb-old"))
    assert cached.find_bot(enterprise_id=None, team_id="T1").bot_token == "xoxb-old"  # type: ignore[union-attr]
    cached.save(_installation("T1", "xoxb-new"))
    assert cached.find_bot(enterprise_id=None, team_id="T1").bot_token == "xoxb-new"  # type: ignore[union-attr]


def test_a_workspace_not_installed_is_not_remembered_past_its_install(tmp_path: Path) -> None:
    _db, cached, _ = _stores(tmp_path)
    assert cached.find_bot(enterprise_id=None, team_id="T2") is None
    cached.save(_installation("T2", "xoxb-2"))
    assert cached.find_bot(enterprise_id=None, team_id="T2") is not None


def test_a_lookup_begun_before_a_change_is_not_kept(tmp_path: Path) -> None:
    db, cached, _ = _stores(tmp_path)
    cached.save(_installation("T1", "xoxb-1"))

    class Racing(CountingStore):
        def find_bot(self, **kwargs: Any) -> Bot | None:
            found = super().find_bot(**kwargs)
            cached.delete_bot(enterprise_id=None, team_id="T1")  # lands while it runs
            return found

    racing = Racing(client_id="111.222", engine=db.engine)
    cached.store = racing
    assert cached.find_bot(enterprise_id=None, team_id="T1") is not None  # the old answer
    cached.store = db
    assert cached.find_bot(enterprise_id=None, team_id="T1") is None  # not kept: read again
