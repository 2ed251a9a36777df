"""app_uninstalled and tokens_revoked: what was revoked goes from the installation store;
the workspace's workflows pause (kept for a reinstall) and no more DMs go there."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import InstallationStore

from sync.services import Services

log = logging.getLogger(__name__)
EVENTS = ("app_uninstalled", "tokens_revoked")


def register(app: App, services: Services, installations: InstallationStore, api_url: str) -> None:
    def uninstalled(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        team = str(body.get("team_id", ""))
        installations.delete_all(enterprise_id=None, team_id=team)
        paused = services.workspace_uninstalled(team)
        log.info("uninstalled from %s; paused %d workflows", team, len(paused))

    def revoked(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        team = str(body.get("team_id", ""))
        tokens = body.get("event", {}).get("tokens", {})
        for user in tokens.get("oauth", []):
            installations.delete_installation(enterprise_id=None, team_id=team, user_id=user)
        if tokens.get("bot") and not _bot_works(installations, team, api_url):
            installations.delete_bot(enterprise_id=None, team_id=team)
            services.workspace_uninstalled(team)

    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(revoked)


def _bot_works(installations: InstallationStore, team: str, api_url: str) -> bool:
    bot = installations.find_bot(enterprise_id=None, team_id=team)
    if bot is None or not bot.bot_token:
        return False
    try:
        WebClient(token=bot.bot_token, base_url=api_url).auth_test()
    except SlackApiError:
        return False
    return True
