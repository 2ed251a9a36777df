"""Identifiers in the shapes Slack uses (V… view ids, 1503435956.000247 ts, trigger ids …).

A seeded generator keeps runs reproducible: the same sequence of calls yields the same ids,
which makes failing tests easier to read.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable

_UPPER = string.ascii_uppercase + string.digits
_LOWER_HEX = "0123456789abcdef"
_ALNUM = string.ascii_letters + string.digits


class IdFactory:
    def __init__(self, clock: Callable[[], float], seed: int = 20240501) -> None:
        self._clock = clock
        self._seed = seed
        self._random = random.Random(seed)
        self._seq = 0

    def reset(self) -> None:
        self._random = random.Random(self._seed)
        self._seq = 0

    def _pick(self, alphabet: str, n: int) -> str:
        return "".join(self._random.choice(alphabet) for _ in range(n))

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def view_id(self) -> str:
        return "V" + self._pick(_UPPER, 10)

    def view_hash(self) -> str:
        return f"{int(self._clock())}.{self._pick(_ALNUM, 8)}"

    def ts(self) -> str:
        # The sequence number keeps ts unique and increasing even within one second.
        return f"{int(self._clock())}.{self._next() % 1_000_000:06d}"

    def trigger_id(self) -> str:
        return f"{self._pick(string.digits, 13)}.{self._pick(string.digits, 10)}.{self._pick(_LOWER_HEX, 32)}"

    def oauth_code(self) -> str:
        return f"{self._pick(string.digits, 10)}.{self._pick(string.digits, 13)}.{self._pick(_LOWER_HEX, 64)}"

    def bot_token(self, team_number: str) -> str:
        return f"xoxb-{team_number}-{self._pick(string.digits, 13)}-{self._pick(_ALNUM, 24)}"

    def user_token(self, team_number: str) -> str:
        digits = f"{self._pick(string.digits, 13)}-{self._pick(string.digits, 13)}"
        return f"xoxp-{team_number}-{digits}-{self._pick(_LOWER_HEX, 32)}"

    def event_id(self) -> str:
        return "Ev" + self._pick(_UPPER, 9)

    def response_url_id(self) -> str:
        return f"{self._pick(string.digits, 13)}/{self._pick(_ALNUM, 24)}"

    def block_id(self) -> str:
        return self._pick(_ALNUM + "+=/", 5)

    def action_ts(self) -> str:
        return f"{self._clock():.6f}"
