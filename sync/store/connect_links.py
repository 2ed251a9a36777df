"""Connect links in the database (sync/connect.py holds the rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.store.app_tables import ConnectLink


@dataclass(frozen=True)
class LinkRecord:
    id: int
    team_id: str
    user_id: str
    provider: str
    login_url: str
    response_url: str
    expires_at: datetime
    opened_at: datetime | None
    state: str | None
    code_verifier: str
    browser_hash: str
    completed_at: datetime | None


def _record(row: ConnectLink) -> LinkRecord:
    return LinkRecord(
        row.id,
        row.team_id,
        row.user_id,
        row.provider,
        row.login_url,
        row.response_url,
        row.expires_at,
        row.opened_at,
        row.state,
        row.code_verifier,
        row.browser_hash,
        row.completed_at,
    )


def add(
    session: Session,
    *,
    token_hash: str,
    team_id: str,
    user_id: str,
    provider: str,
    login_url: str,
    response_url: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    session.add(
        ConnectLink(
            token_hash=token_hash,
            team_id=team_id,
            user_id=user_id,
            provider=provider,
            login_url=login_url,
            response_url=response_url,
            created_at=now,
            expires_at=expires_at,
            code_verifier="",
            browser_hash="",
        )
    )
    session.flush()


def by_token(session: Session, token_hash: str) -> LinkRecord | None:
    row = session.scalars(
        select(ConnectLink).where(ConnectLink.token_hash == token_hash).with_for_update()
    ).first()
    return _record(row) if row else None


def by_state(session: Session, state: str) -> LinkRecord | None:
    row = session.scalars(
        select(ConnectLink).where(ConnectLink.state == state).with_for_update()
    ).first()
    return _record(row) if row else None


def mark_opened(
    session: Session, link_id: int, *, state: str, verifier: str, browser_hash: str, now: datetime
) -> None:
    row = session.get(ConnectLink, link_id)
    if row is not None:
        row.opened_at, row.state, row.code_verifier, row.browser_hash = (
            now,
            state,
            verifier,
            browser_hash,
        )


def mark_completed(session: Session, link_id: int, now: datetime) -> None:
    row = session.get(ConnectLink, link_id)
    if row is not None:
        row.completed_at, row.code_verifier = now, ""
