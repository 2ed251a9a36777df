"""Talking to Slack outside a request: as the bot of a given workspace (from the
installation store), and through a response_url."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)


class SlackOut:
    def __init__(self, installations: InstallationStore, api_url: str) -> None:
        self.installations = installations
        self.api_url = api_url

    def client(self, team_id: str) -> WebClient | None:
        """The bot of that workspace, or None when syncbot is not installed there."""
        bot = self.installations.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            return None
        client = WebClient(token=bot.bot_token, base_url=self.api_url)
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
        return client

    @staticmethod
    def replace(response_url: str, body: dict[str, Any]) -> None:
        """Replace the message a response_url belongs to (ephemeral prompts included)."""
        if not response_url:
            return
        answer = WebhookClient(response_url).send_dict({**body, "replace_original": True})
        if answer.status_code != 200:
            log.info("response_url replace answered %s", answer.status_code)
