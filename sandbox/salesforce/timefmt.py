"""Date and datetime text as the REST API reads and writes it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

# Accepted on write: yyyy-MM-ddTHH:mm:ss(.SSS)(Z|+HH:mm|+HHmm); returned as ...000+0000.
_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:?\d{2})?$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def format_datetime(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+0000"


def system_stamp(moment: datetime) -> str:
    """CreatedDate, LastModifiedDate, SystemModstamp: whole seconds, always ``.000+0000``."""
    return format_datetime(moment.replace(microsecond=0))


def parse_datetime(text: str) -> datetime | None:
    """Parse a Salesforce datetime (offset optional, UTC assumed); None if malformed."""
    match = _DATETIME.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, millis, offset = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((millis or "0").ljust(3, "0")) * 1000,
            tzinfo=_offset(offset),
        )
    except ValueError:
        return None
    return moment.astimezone(UTC)


def _offset(text: str | None) -> timezone:
    if text is None or text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_date(text: str) -> date | None:
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def normalize_datetime(text: str) -> str | None:
    moment = parse_datetime(text)
    return None if moment is None else format_datetime(moment)


def parse_query_instant(text: str) -> datetime | None:
    """start/end parameters of updated/deleted: ISO 8601 as clients send it (offset required)."""
    candidate = text.strip().replace(" ", "+")  # a '+' that arrived unencoded becomes a space
    try:
        moment = datetime.fromisoformat(candidate.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)
