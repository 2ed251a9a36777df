"""Replacing the placeholder a view submission's ack put up, without racing the ack.

Slack applies `response_action="update"` only once the HTTP answer reaches it, while the
listener goes on at once; a views.update sent sooner lands first and is then covered by
the placeholder, leaving the modal on "Loading". Waiting a fixed time only makes that less
likely, so the gate below waits until Slack shows it has applied the ack: it rewrites the
same placeholder with the hash it last saw, and a `hash_conflict` answer means the view
changed under it, which (nothing else can change a placeholder) is the ack landing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

WebClient = Any  # slack_sdk's WebClient as Bolt injects it (handlers import no SDK)
ACK_WINDOW_SECONDS = 3.0  # Slack drops an ack later than this: it will never land then
FIRST_PROBE_PAUSE = 0.05
LONGEST_PROBE_PAUSE = 0.5  # the pause doubles up to this: a few calls in the worst case


def slack_error(exc: Exception) -> str:
    """The `error` of a Slack API failure (SlackApiError carries the response), or ""."""
    response = getattr(exc, "response", None)
    getter = getattr(response, "get", None)
    return str(getter("error", "")) if callable(getter) else ""


class PlaceholderGate:
    """Updates of a view whose submission was acked with `placeholder`; the first one
    waits for the ack to be applied, later ones go straight through."""

    def __init__(
        self,
        client: WebClient,
        view_id: str,
        submitted_hash: str,
        placeholder: dict[str, Any],
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client, self.view_id, self.placeholder = client, view_id, placeholder
        self._hash = submitted_hash  # the view as submitted: the ack changes it
        self._monotonic, self._sleep = monotonic, sleep
        self._deadline = monotonic() + ACK_WINDOW_SECONDS
        self.open = False

    def update(self, view: dict[str, Any]) -> None:
        if not self.open:
            self._wait_for_ack()
        self.client.views_update(view_id=self.view_id, view=view)

    def _wait_for_ack(self) -> None:
        pause = FIRST_PROBE_PAUSE
        while self._hash and self._monotonic() < self._deadline:
            try:
                answer = self.client.views_update(
                    view_id=self.view_id, hash=self._hash, view=self.placeholder
                )
            except Exception as exc:
                if slack_error(exc) != "hash_conflict":
                    raise
                break  # the ack's placeholder is shown
            self._hash = str(answer["view"]["hash"])  # our own copy: the ack is still coming
            self._sleep(pause)
            pause = min(pause * 2, LONGEST_PROBE_PAUSE)
        self.open = True
