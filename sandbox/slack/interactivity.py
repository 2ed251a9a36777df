"""trigger_ids and response_urls: the short-lived handles an interaction gives the bot.

A trigger_id may open (or push) one view, within a few seconds of the interaction
(``expired_trigger_id``, ``exchanged_trigger_id``, ``invalid_trigger_id``). A response_url
takes up to 5 messages within 30 minutes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import SlackError, invalid
from .ids import IdFactory
from .models import ResponseUrl, Trigger

TRIGGER_FORMAT = re.compile(r"^\d+\.\d+\.[0-9a-zA-Z]+$")  # "132456.7890123.abcdef"
RESPONSE_URL_USES = 5
RESPONSE_URL_TTL = 30 * 60.0


class Triggers:
    def __init__(self, ids: IdFactory, clock: Callable[[], float], ttl: float) -> None:
        self._ids = ids
        self._clock = clock
        self.ttl = ttl
        self._issued: dict[str, Trigger] = {}

    def issue(self, team_id: str, user_id: str, view_id: str | None = None) -> str:
        trigger = Trigger(
            id=self._ids.trigger_id(),
            team_id=team_id,
            user_id=user_id,
            issued_at=self._clock(),
            view_id=view_id,
        )
        self._issued[trigger.id] = trigger
        return trigger.id

    def exchange(self, trigger_id: str | None, team_id: str) -> Trigger:
        """Use a trigger once; raise Slack's error if it cannot be used."""
        if not trigger_id or not TRIGGER_FORMAT.match(trigger_id):
            raise invalid("invalid_arguments", ["invalid `trigger_id`"])
        trigger = self._issued.get(trigger_id)
        if trigger is None or trigger.team_id != team_id:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if self._clock() - trigger.issued_at > self.ttl:
            raise SlackError("expired_trigger_id")
        trigger.used = True
        return trigger


class ResponseUrls:
    def __init__(self, ids: IdFactory, clock: Callable[[], float]) -> None:
        self._ids = ids
        self._clock = clock
        self._issued: dict[str, ResponseUrl] = {}

    def issue(
        self,
        source: str,
        team_id: str,
        user_id: str,
        channel_id: str | None,
        message_ts: str | None = None,
    ) -> ResponseUrl:
        handle = ResponseUrl(
            id=f"{team_id}/{self._ids.response_url_id()}",
            source=source,
            team_id=team_id,
            user_id=user_id,
            channel_id=channel_id,
            issued_at=self._clock(),
            message_ts=message_ts,
        )
        self._issued[handle.id] = handle
        return handle

    def use(self, url_id: str) -> ResponseUrl:
        handle = self._issued.get(url_id)
        if handle is None or self._clock() - handle.issued_at > RESPONSE_URL_TTL:
            raise SlackError("expired_url")
        if handle.uses >= RESPONSE_URL_USES:
            raise SlackError("used_url")
        handle.uses += 1
        return handle
