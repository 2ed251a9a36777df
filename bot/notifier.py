"""The engine's Notifier, with Slack DMs: one message per workflow incident, updated with
chat.update as errors come and go, ending as Resolved; the rows' editors hear about theirs.

The engine reports only what changed (new, changed, resolved), so a thousand row errors of
one tick arrive as one call and become one message."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.slack_out import SlackOut
from handlers.views.dm import IncidentView, editor_message, incident_message
from sync.ports import ErrorReport
from sync.services import SHEET_URL
from sync.store import incidents, repo
from sync.store.incidents import Problems
from sync.store.repo import Store

log = logging.getLogger(__name__)


class SlackNotifier:
    def __init__(self, store: Store, slack: SlackOut) -> None:
        self.store, self.slack = store, slack

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

    def _incident(
        self,
        client: WebClient,
        team: str,
        user: str,
        workflow_id: int,
        reports: list[ErrorReport],
    ) -> None:
        with self.store.unit() as session:
            if incidents.dm_mode(session, team, user, workflow_id) == "mute":
                return
            current = incidents.open_incident(session, team, user, workflow_id)
            before: Problems = dict(current.problems) if current else {}
            after = merge(before, reports)
            if after == before:
                return  # never the same message twice
            view = self._view(workflow_id, reports[0].workflow_name, after, session)
            body = incident_message(view)
            if current is None:
                posted = client.chat_postMessage(channel=user, **body)
                channel, ts = str(posted["channel"]), str(posted["ts"])
            else:
                client.chat_update(channel=current.channel, ts=current.ts, **body)
                channel, ts = current.channel, current.ts
            incidents.save_incident(
                session,
                team=team,
                user=user,
                workflow_id=workflow_id,
                channel=channel,
                ts=ts,
                problems=after,
                now=datetime.now(UTC),
                incident_id=current.id if current else None,
            )

    def _view(
        self, workflow_id: int, name: str, problems: Problems, session: Session
    ) -> IncidentView:
        sheet = next((w.sheet_id for w in repo.workflows(session) if w.id == workflow_id), 0)
        return IncidentView(
            workflow_id, name, SHEET_URL.format(sheet_id=sheet), problems, resolved=not problems
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


def merge(before: Problems, reports: Sequence[ErrorReport]) -> Problems:
    after = dict(before)
    for r in reports:
        if r.resolved:
            after.pop(r.key, None)
        else:
            after[r.key] = (r.code, r.message)
    return after
