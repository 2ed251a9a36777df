"""API calls per token per slot, counted in the database: every syncbot process on one
database draws on the same Smartsheet budget (sync/budget.py says how slots make a window).

The counts are rows of `app_settings` under a team id no Slack team can have, one row per
(budget, slot), pruned as new slots begin: a handful of rows per token, and no migration.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Integer, Text, cast, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.store.app_tables import AppSetting
from sync.store.repo import Store

TEAM = "#budget"  # Slack team ids are letters and digits: this one is never a team's
KEEP = timedelta(minutes=5)  # slot rows older than this are of no window any more


def _key(key: str, slot: int) -> str:
    return f"{key}:{slot}"


def add(
    session: Session, key: str, slot: int, first: int, calls: int, limit: int, now: datetime
) -> bool:
    """Count `calls` in the slot when slots first..slot then hold at most `limit`.

    The increment is written first and the total read after it in the same transaction:
    the row stays locked until commit, so two processes taking the last call of a slot
    see each other's increment and one of them gives it back."""
    if not _increment(session, key, slot, calls, now):
        _insert(session, key, slot, calls, now)
    if total(session, key, first, slot) <= limit:
        return True
    _bump(session, key, slot, -calls)
    return False


def total(session: Session, key: str, first: int, last: int) -> int:
    keys = [_key(key, s) for s in range(first, last + 1)]
    values = session.scalars(
        select(AppSetting.value).where(AppSetting.team_id == TEAM, AppSetting.key.in_(keys))
    )
    return sum(int(v) for v in values)


def _increment(session: Session, key: str, slot: int, calls: int, now: datetime) -> bool:
    return _bump(session, key, slot, calls, now) > 0


def _bump(session: Session, key: str, slot: int, calls: int, now: datetime | None = None) -> int:
    values: dict[str, object] = {"value": cast(cast(AppSetting.value, Integer) + calls, Text)}
    if now is not None:
        values["updated_at"] = now
    result = session.execute(
        update(AppSetting)
        .where(AppSetting.team_id == TEAM, AppSetting.key == _key(key, slot))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _insert(session: Session, key: str, slot: int, calls: int, now: datetime) -> None:
    """The slot's first call: a new row, and old slots pruned (another process may have
    inserted the same row a moment ago: then count on it)."""
    session.execute(
        delete(AppSetting)
        .where(AppSetting.team_id == TEAM, AppSetting.updated_at < now - KEEP)
        .execution_options(synchronize_session=False)
    )
    try:
        with session.begin_nested():
            session.add(
                AppSetting(team_id=TEAM, key=_key(key, slot), value=str(calls), updated_at=now)
            )
    except IntegrityError:
        _bump(session, key, slot, calls, now)


class StoredCounts:
    """`SlotCounts` in the database, one short transaction per call counted."""

    def __init__(self, store: Store, now: Callable[[], datetime]) -> None:
        self.store = store
        self.now = now

    def add(self, key: str, slot: int, first: int, calls: int, limit: int) -> bool:
        with self.store.unit() as session:
            return add(session, key, slot, first, calls, limit, self.now())

    def total(self, key: str, first: int, last: int) -> int:
        with self.store.unit() as session:
            return total(session, key, first, last)
