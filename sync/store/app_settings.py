"""Settings admins change from Slack, as strings by (team, key); team "" = installation-wide."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.store.app_tables import AppSetting

GLOBAL = ""


def read(session: Session, team: str) -> dict[str, str]:
    rows = session.scalars(select(AppSetting).where(AppSetting.team_id == team))
    return {row.key: row.value for row in rows}


def write(session: Session, team: str, values: dict[str, str], now: datetime) -> None:
    existing = {
        row.key: row
        for row in session.scalars(select(AppSetting).where(AppSetting.team_id == team))
    }
    for key, value in values.items():
        row = existing.get(key)
        if row is None:
            session.add(AppSetting(team_id=team, key=key, value=value, updated_at=now))
        else:
            row.value, row.updated_at = value, now
    session.flush()


def claim(session: Session, team: str, key: str, value: str, now: datetime) -> bool:
    """Set `key` to `value` unless it holds it already; True for the one caller (of any
    instance) that changed it. The daily digest claims its day this way before sending."""
    moved = session.execute(
        update(AppSetting)
        .where(AppSetting.team_id == team, AppSetting.key == key, AppSetting.value != value)
        .values(value=value, updated_at=now)
    )
    if moved.rowcount:  # type: ignore[attr-defined]
        return True
    exists = session.scalars(
        select(AppSetting.id).where(AppSetting.team_id == team, AppSetting.key == key)
    ).first()
    if exists is not None:
        return False
    try:
        with session.begin_nested():
            session.add(AppSetting(team_id=team, key=key, value=value, updated_at=now))
    except IntegrityError:  # another instance inserted it first
        return False
    return True


def release(session: Session, team: str, key: str, value: str, now: datetime) -> None:
    """Give back a claim of `value` whose work failed (a digest Slack refused), so a later
    run claims it again; a claim another caller moved on since is left alone."""
    session.execute(
        update(AppSetting)
        .where(AppSetting.team_id == team, AppSetting.key == key, AppSetting.value == value)
        .values(value="", updated_at=now)
    )
