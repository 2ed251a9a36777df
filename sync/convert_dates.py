"""Dates, date-times and times of day.

Decisions (see sync.convert for the whole list):
- A date is "YYYY-MM-DD". People type it that way (or pick it in a DATE column, whose value is
  ISO); other orders such as 31/01/2024 are refused because 01/02/2024 is ambiguous.
- A date-time is UTC with milliseconds, "2024-01-31T17:05:12.000Z": Salesforce returns
  "...000+0000" and accepts the Z form. Typed date-times without a zone are taken as UTC.
- A time of day is "HH:MM:SS.mmmZ" as Salesforce returns it; people may type 13:15 or 1:15 PM.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from sync.convert_errors import ConversionError, shown
from sync.model import SalesforceField

# A date, optionally followed by a time (a date field keeps the date as written).
_DATE = re.compile(
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}[\d:.,]*\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
_DATETIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(?:([ap])\.?m\.?)?\s*Z?", re.IGNORECASE
)


def _zone(text: str | None) -> timezone:
    if text is None or text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return timezone(sign * timedelta(minutes=minutes))


def _millis(fraction: str | None) -> int:
    return int((fraction or "0")[:3].ljust(3, "0"))


def parse_date(text: str) -> str | None:
    """The ISO date a text names, or None."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return day.isoformat()


def parse_datetime(text: str) -> str | None:
    """The canonical UTC date-time a text names, or None. A bare date means midnight UTC."""
    match = _DATETIME.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            _millis(fraction) * 1000,
            tzinfo=_zone(zone),
        ).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return canon_datetime(moment)


def canon_datetime(moment: datetime) -> str:
    d = moment
    return (
        f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}"
        f".{d.microsecond // 1000:03d}Z"
    )


def parse_time(text: str) -> str | None:
    """The canonical time of day a text names, or None."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        return None
    hour, minute, second, fraction, half = match.groups()
    h = int(hour)
    if half is not None:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.lower() == "p" else 0)
    m, s = int(minute), int(second or 0)
    if h > 23 or m > 59 or s > 59:
        return None
    return f"{h:02d}:{m:02d}:{s:02d}.{_millis(fraction):03d}Z"


def date_from_cell(text: str, field: SalesforceField) -> str:
    found = parse_date(text)
    if found is None:
        raise ConversionError(
            field.name, f"{field.label}: {shown(text)} is not a date (use YYYY-MM-DD)"
        )
    return found


def datetime_from_cell(text: str, field: SalesforceField) -> str:
    found = parse_datetime(text)
    if found is None:
        raise ConversionError(
            field.name,
            f"{field.label}: {shown(text)} is not a date and time "
            "(use YYYY-MM-DD HH:MM, in UTC, or add a zone such as +02:00)",
        )
    return found


def time_from_cell(text: str, field: SalesforceField) -> str:
    found = parse_time(text)
    if found is None:
        raise ConversionError(
            field.name, f"{field.label}: {shown(text)} is not a time of day (use HH:MM, 24-hour)"
        )
    return found


def datetime_for_cell(canon: str) -> str:
    """A date-time as text in a cell: "2024-01-31T17:05:12Z", with milliseconds only if any."""
    return canon[:19] + ("Z" if canon[19:] == ".000Z" else canon[19:])


def time_for_cell(canon: str) -> str:
    """A time of day as text in a cell: "13:15", "13:15:30" or "13:15:30.250"."""
    clock = canon.rstrip("Z")
    if clock.endswith(".000"):
        clock = clock[:-4]
        if clock.endswith(":00"):
            clock = clock[:-3]
    return clock
