"""Error-DM incidents and DM preferences in the database (bot/notifier.py holds the rules)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.store.app_tables import DmIncident, DmPreference

Problems = dict[str, tuple[str, str]]  # key -> (code, message)


@dataclass(frozen=True)
class Incident:
    id: int
    workflow_id: int
    channel: str
    ts: str
    problems: Problems
    outcome: str


def open_incident(session: Session, team: str, user: str, workflow_id: int) -> Incident | None:
    row = session.scalars(
        select(DmIncident).where(
            DmIncident.team_id == team,
            DmIncident.user_id == user,
            DmIncident.workflow_id == workflow_id,
            DmIncident.open == 1,
        )
    ).first()
    if row is None:
        return None
    problems = {k: (v[0], v[1]) for k, v in json.loads(row.problems_json).items()}
    return Incident(row.id, row.workflow_id, row.channel, row.ts, problems, row.outcome)


def save_incident(
    session: Session,
    *,
    team: str,
    user: str,
    workflow_id: int,
    channel: str,
    ts: str,
    problems: Problems,
    now: datetime,
    incident_id: int | None = None,
) -> None:
    row = session.get(DmIncident, incident_id) if incident_id else None
    if row is None:
        row = DmIncident(
            team_id=team, user_id=user, workflow_id=workflow_id, channel=channel, ts=ts, outcome=""
        )
        session.add(row)
    row.problems_json = json.dumps({k: list(v) for k, v in problems.items()})
    row.open = 1 if problems else 0
    row.updated_at = now
    session.flush()


def set_outcome(session: Session, channel: str, ts: str, outcome: str) -> Incident | None:
    row = session.scalars(
        select(DmIncident).where(DmIncident.channel == channel, DmIncident.ts == ts)
    ).first()
    if row is None:
        return None
    row.outcome = outcome
    problems = {k: (v[0], v[1]) for k, v in json.loads(row.problems_json).items()}
    return Incident(row.id, row.workflow_id, row.channel, row.ts, problems, outcome)


def close_team(session: Session, team: str) -> None:
    for row in session.scalars(select(DmIncident).where(DmIncident.team_id == team)):
        row.open = 0


def dm_mode(session: Session, team: str, user: str, workflow_id: int) -> str:
    row = session.scalars(
        select(DmPreference).where(
            DmPreference.team_id == team,
            DmPreference.user_id == user,
            DmPreference.workflow_id == workflow_id,
        )
    ).first()
    return row.mode if row else "all"


def set_dm_mode(session: Session, team: str, user: str, workflow_id: int, mode: str) -> None:
    row = session.scalars(
        select(DmPreference).where(
            DmPreference.team_id == team,
            DmPreference.user_id == user,
            DmPreference.workflow_id == workflow_id,
        )
    ).first()
    if row is None:
        session.add(DmPreference(team_id=team, user_id=user, workflow_id=workflow_id, mode=mode))
    else:
        row.mode = mode
