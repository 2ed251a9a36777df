"""The engine's Notifier, with Slack DMs: one message per workflow incident, updated with
chat.update as errors come and go, ending as Resolved; the rows' editors hear about theirs.

The engine reports only what changed (new, changed, resolved), so a thousand row errors of
one tick arrive as one call and become one message.

Each recipient chooses per workflow: a DM per incident ("all", the default), a daily digest
or mute. Incidents are recorded either way; `send_digests` (a job of the embedded scheduler)
sends each digest reader one DM a day listing the last day's incidents."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.slack_out import SlackOut
from handlers.views.dm import (
    DigestEntry,
    IncidentView,
    digest_message,
    editor_message,
    incident_message,
)
from sync.clock import SystemClock
from sync.ports import Clock, ErrorReport
from sync.services import SHEET_URL
from sync.store import app_settings, incidents, repo
from sync.store.incidents import Incident, Problems
from sync.store.repo import Store

log = logging.getLogger(__name__)


AfterDm = Callable[[WebClient, str, str], None]  # (client, team, user): republish App Home
DIGEST_HOUR = 9  # UTC, unless SYNCBOT_DIGEST_HOUR says otherwise
DIGEST_KEY = "digest_sent:{user}"  # app setting of the team: the last day a digest went


class SlackNotifier:
    def __init__(
        self,
        store: Store,
        slack: SlackOut,
        after: AfterDm | None = None,
        *,
        clock: Clock | None = None,
        digest_hour: int = DIGEST_HOUR,
    ) -> None:
        self.store, self.slack, self.after = store, slack, after
        self.clock: Clock = clock or SystemClock()
        self.digest_hour = digest_hour

    def notify(self, team_id: str, user_id: str, reports: Sequence[ErrorReport]) -> None:
        client = self.slack.client(team_id)
        if client is None:  # uninstalled: no more DMs go there
            return
        by_workflow: dict[int, list[ErrorReport]] = defaultdict(list)
        for report in reports:
            by_workflow[report.workflow_id].append(report)
        for workflow_id, found in by_workflow.items():
            self._incident(client, team_id, user_id, workflow_id, found)
            self._editors(client, workflow_id, found)
        if self.after is not None:
            self.after(client, team_id, user_id)

    def _incident(
        self,
        client: WebClient,
        team: str,
        user: str,
        workflow_id: int,
        reports: list[ErrorReport],
    ) -> None:
        with self.store.unit() as session:
            current = incidents.open_incident(session, team, user, workflow_id)
            before: Problems = dict(current.problems) if current else {}
            after = merge(before, reports)
            if after == before:
                return  # never the same message twice
            channel, ts = (current.channel, current.ts) if current else ("", "")
            if incidents.dm_mode(session, team, user, workflow_id) == "all":
                view = self._view(workflow_id, reports[0].workflow_name, after, session)
                if current is not None:
                    view = replace(view, outcome=current.outcome)
                channel, ts = self._show(client, user, channel, ts, incident_message(view))
            incidents.save_incident(  # kept on digest or mute too: the digest lists it
                session,
                team=team,
                user=user,
                workflow_id=workflow_id,
                channel=channel,
                ts=ts,
                problems=after,
                now=self.clock.now(),
                incident_id=current.id if current else None,
            )

    @staticmethod
    def _show(
        client: WebClient, user: str, channel: str, ts: str, body: dict[str, Any]
    ) -> tuple[str, str]:
        """Post the incident's DM, or update it when it has one; its (channel, ts)."""
        if not ts:
            posted = client.chat_postMessage(channel=user, **body)
            return str(posted["channel"]), str(posted["ts"])
        client.chat_update(channel=channel, ts=ts, **body)
        return channel, ts

    def _view(
        self, workflow_id: int, name: str, problems: Problems, session: Session
    ) -> IncidentView:
        sheet = next((w.sheet_id for w in repo.workflows(session) if w.id == workflow_id), 0)
        return IncidentView(
            workflow_id,
            name,
            SHEET_URL.format(sheet_id=sheet),
            problems,
            resolved=not problems,
            rows=repo.rows_of(session, workflow_id, problems),
        )

    def _editors(self, client: WebClient, workflow_id: int, reports: list[ErrorReport]) -> None:
        by_editor: dict[str, Problems] = defaultdict(dict)
        for r in reports:
            if r.editor_email and not r.resolved:
                by_editor[r.editor_email.lower()][r.key] = (r.code, r.message)
        for email, problems in by_editor.items():
            try:
                editor = client.users_lookupByEmail(email=email)["user"]["id"]
            except SlackApiError:
                continue  # not a member of this workspace
            with self.store.unit() as session:
                view = self._view(workflow_id, reports[0].workflow_name, problems, session)
            client.chat_postMessage(channel=editor, **editor_message(view, editor))

    # -- the daily digest ------------------------------------------------------------
    def send_digests(self) -> int:
        """One DM per digest reader with the last day's incidents; never twice on the same
        UTC day (claimed in the database, so several instances send it once). Before the
        digest hour nothing goes; the job runs hourly from then on (and at start-up), so a
        missed hour or a refused post is caught up the same day."""
        now = self.clock.now()
        if now.hour < self.digest_hour:
            return 0
        with self.store.unit() as session:
            readers = incidents.digest_readers(session)
        return sum(self._digest(team, user) for team, user in readers)

    def _digest(self, team: str, user: str) -> bool:
        client = self.slack.client(team)
        if client is None:  # uninstalled: no more DMs go there
            return False
        now = self.clock.now()
        with self.store.unit() as session:
            modes = incidents.dm_modes(session, team, user)
            chosen = {
                w.id: w
                for w in repo.workflows(session, team_id=team)
                if modes.get(w.id) == "digest"
            }
            found = incidents.incidents_since(
                session, team, user, list(chosen), now - timedelta(days=1)
            )
            if not found:
                return False
            day = now.date().isoformat()
            # Claimed before sending, so two instances never both send it; a post Slack
            # refuses gives the claim back and the next hourly run tries again.
            key = DIGEST_KEY.format(user=user)
            if not app_settings.claim(session, team, key, day, now):
                return False
        entries = digest_entries(found, {i: (w.name, w.sheet_id) for i, w in chosen.items()})
        try:
            client.chat_postMessage(channel=user, **digest_message(day, entries))
        except SlackApiError as exc:
            log.warning(
                "digest for %s/%s not sent (%s); the next hourly run tries again",
                team,
                user,
                exc.response.get("error", "error"),
            )
            with self.store.unit() as session:
                app_settings.release(session, team, key, day, now)
            return False
        return True


def digest_entries(
    found: list[Incident], workflows: dict[int, tuple[str, int]]
) -> list[DigestEntry]:
    """The incidents grouped per workflow, in the order the workflows first failed."""
    grouped: dict[int, list[Incident]] = defaultdict(list)
    for incident in found:
        grouped[incident.workflow_id].append(incident)
    return [
        DigestEntry(
            wf_id,
            workflows[wf_id][0],
            SHEET_URL.format(sheet_id=workflows[wf_id][1]),
            tuple((i.problems, i.open) for i in items),
        )
        for wf_id, items in grouped.items()
    ]


def merge(before: Problems, reports: Sequence[ErrorReport]) -> Problems:
    after = dict(before)
    for r in reports:
        if r.resolved:
            after.pop(r.key, None)
        else:
            after[r.key] = (r.code, r.message)
    return after
