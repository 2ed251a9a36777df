"""Drafts of the Slack builder modal: stored by id, readable only by their owner.

Like the other repositories these functions never commit; the caller's unit of work does.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from sync.draft import Draft, from_json, to_json
from sync.store.tables import WorkflowDraft

DRAFT_LIFETIME = timedelta(days=2)  # a modal left open longer than this is gone anyway


class DraftNotFound(LookupError):
    """The draft expired or belongs to someone else: the person reopens `/sync create`."""


def create_draft(session: Session, draft: Draft, now: datetime) -> str:
    draft_id = secrets.token_hex(16)
    session.add(
        WorkflowDraft(
            id=draft_id,
            team_id=draft.team,
            owner_id=draft.owner,
            body=to_json(draft),
            updated_at=now,
        )
    )
    return draft_id


def load_draft(session: Session, draft_id: str, team_id: str, user_id: str) -> Draft:
    row = session.get(WorkflowDraft, draft_id)
    if row is None or (row.team_id, row.owner_id) != (team_id, user_id):
        raise DraftNotFound(draft_id)
    return from_json(row.body)


def save_draft(session: Session, draft_id: str, draft: Draft, now: datetime) -> None:
    row = session.get(WorkflowDraft, draft_id)
    if row is None or (row.team_id, row.owner_id) != (draft.team, draft.owner):
        raise DraftNotFound(draft_id)
    row.body, row.updated_at = to_json(draft), now


def drop_draft(session: Session, draft_id: str) -> None:
    session.execute(delete(WorkflowDraft).where(WorkflowDraft.id == draft_id))


def drop_stale_drafts(session: Session, now: datetime) -> int:
    result = session.execute(
        delete(WorkflowDraft).where(WorkflowDraft.updated_at < now - DRAFT_LIFETIME)
    )
    return int(getattr(result, "rowcount", 0) or 0)
