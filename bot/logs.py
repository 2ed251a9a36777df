"""Logging set-up for the entry point: plain text for people, one JSON object a line for
log shippers, and a filter that blanks any configured secret that slipped into a message."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

REDACTED = "[redacted]"
NOISY = ("smartsheet", "alembic", "apscheduler", "waitress")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RedactSecrets(logging.Filter):
    """A second line of defence: code never logs tokens or secrets, and should it ever
    interpolate one, the line still goes out without it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        cleaned = message
        for secret in self._secrets:
            cleaned = cleaned.replace(secret, REDACTED)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class QueueDepthDigest(logging.Filter):
    """Waitress warns for every request that finds all its threads busy ("Task queue depth
    is N"): 900 lines for a burst of 200 Slack requests, each formatted and written while
    the people wait. One line a minute tells the operator the same."""

    def __init__(self, every: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.every, self._clock = every, clock
        self._last = float("-inf")
        self._waited = self._deepest = 0

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        depth = args[0] if args and isinstance(args[0], int) else 0
        self._waited += 1
        self._deepest = max(self._deepest, depth)
        now = self._clock()
        if now - self._last < self.every:
            return False
        record.msg = "%d request(s) waited for a free server thread, at most %d at once%s"
        since = "" if self._last == float("-inf") else f", in the last {now - self._last:.0f} s"
        record.args = (self._waited, self._deepest, since)
        self._last, self._waited, self._deepest = now, 0, 0
        return True


def configure(*, verbose: bool = False, json_format: bool = False) -> None:
    handler = logging.StreamHandler()
    if json_format:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # Libraries that narrate every request, migration step or scheduler run at INFO:
    # keep that for --verbose.
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)
    queue = logging.getLogger("waitress.queue")
    queue.filters[:] = [] if verbose else [QueueDepthDigest()]


def redact(secrets: Iterable[str]) -> None:
    """Install the secret filter on the root handlers (after settings are known)."""
    redactor = RedactSecrets(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
