"""Error-DM incidents and DM preferences in the database (bot/notifier.py holds the rules).

An incident is recorded whatever the recipient chose: with "digest" or "mute" it has no
message (channel and ts are ""), and the daily digest reads it from here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.store.app_tables import DmIncident, DmPreference

Problems = dict[str, tuple[str, str]]  # key -> (code, message)
DmMode = Literal["all", "digest", "mute"]
DM_MODES: tuple[DmMode, ...] = ("all", "digest", "mute")


@dataclass(frozen=True)
class Incident:
    id: int
    workflow_id: int
    channel: str
    ts: str
    problems: Problems
    outcome: str
    open: bool = True
    updated_at: datetime | None = None


def _incident(row: DmIncident) -> Incident:
    problems = {k: (v[0], v[1]) for k, v in json.loads(row.problems_json).items()}
    return Incident(
        row.id,
        row.workflow_id,
        row.channel,
        row.ts,
        problems,
        row.outcome,
        bool(row.open),
        row.updated_at,
    )


def open_incident(session: Session, team: str, user: str, workflow_id: int) -> Incident | None:
    row = session.scalars(
        select(DmIncident).where(
            DmIncident.team_id == team,
            DmIncident.user_id == user,
            DmIncident.workflow_id == workflow_id,
            DmIncident.open == 1,
        )
    ).first()
    return None if row is None else _incident(row)


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
    if problems:  # a resolved incident keeps its last problems for the digest
        row.problems_json = json.dumps({k: list(v) for k, v in problems.items()})
    row.open = 1 if problems else 0
    row.updated_at = now
    session.flush()


def set_outcome(session: Session, channel: str, ts: str, outcome: str) -> Incident | None:
    if not ts:  # incidents kept for a digest have no message
        return None
    row = session.scalars(
        select(DmIncident).where(DmIncident.channel == channel, DmIncident.ts == ts)
    ).first()
    if row is None:
        return None
    row.outcome = outcome
    return _incident(row)


def close_team(session: Session, team: str) -> None:
    for row in session.scalars(select(DmIncident).where(DmIncident.team_id == team)):
        row.open = 0


def dm_mode(session: Session, team: str, user: str, workflow_id: int) -> DmMode:
    return dm_modes(session, team, user).get(workflow_id, "all")


def dm_modes(session: Session, team: str, user: str) -> dict[int, DmMode]:
    """The user's choices per workflow; a workflow not listed gets a DM per incident."""
    rows = session.scalars(
        select(DmPreference).where(DmPreference.team_id == team, DmPreference.user_id == user)
    )
    return {row.workflow_id: row.mode for row in rows if row.mode in DM_MODES}


def digest_readers(session: Session) -> list[tuple[str, str]]:
    """(team, user) of everyone who chose a daily digest for at least one workflow."""
    rows = session.execute(
        select(DmPreference.team_id, DmPreference.user_id)
        .where(DmPreference.mode == "digest")
        .distinct()
    )
    return sorted((team, user) for team, user in rows)


def incidents_since(
    session: Session, team: str, user: str, workflow_ids: list[int], since: datetime
) -> list[Incident]:
    """The user's incidents of these workflows that changed after `since`, oldest first."""
    rows = session.scalars(
        select(DmIncident)
        .where(
            DmIncident.team_id == team,
            DmIncident.user_id == user,
            DmIncident.workflow_id.in_(workflow_ids),
            DmIncident.updated_at > since,
        )
        .order_by(DmIncident.id)
    )
    return [_incident(row) for row in rows]


def set_dm_mode(session: Session, team: str, user: str, workflow_id: int, mode: DmMode) -> None:
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
