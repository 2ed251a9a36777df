"""Field values as SOQL compares them: one comparable form per kind of field type.

Record values arrive in Salesforce JSON form ("2024-01-31", "2024-01-31T17:05:12.000+0000",
numbers, booleans, "A;B" for multi-select picklists). Text compares case-insensitively
(Salesforce folds to upper case for English locales), numbers as decimals, dates and
datetimes as days and instants, ids by their case-sensitive 15-character form.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

TEXT, ID, NUMBER, BOOLEAN, DATE, DATETIME, MULTI = (
    "text", "id", "number", "boolean", "date", "datetime", "multi",
)  # fmt: skip

_KINDS = {
    "id": ID, "reference": ID,
    "int": NUMBER, "long": NUMBER, "double": NUMBER, "currency": NUMBER, "percent": NUMBER,
    "boolean": BOOLEAN, "date": DATE, "datetime": DATETIME, "multipicklist": MULTI,
}  # fmt: skip
# The XML schema type Salesforce names in "must be of type ..." messages.
_SOAP_TYPES = {
    "id": "id", "reference": "id", "int": "int", "long": "long", "double": "double",
    "currency": "double", "percent": "double", "boolean": "boolean", "date": "date",
    "datetime": "dateTime", "time": "time",
}  # fmt: skip
_QUOTED_KINDS = frozenset({TEXT, ID, MULTI})
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?")
_SUFFIX_ALPHABET = string.ascii_uppercase + "012345"
_ID_CHARS = frozenset(string.ascii_letters + string.digits)


def kind_of(field_type: str) -> str:
    return _KINDS.get(field_type.lower(), TEXT)


def soap_type(field_type: str) -> str:
    return _SOAP_TYPES.get(field_type.lower(), "string")


def quoted(kind: str) -> bool:
    """Whether literals for this kind of field are written in quotes."""
    return kind in _QUOTED_KINDS


def fold(text: str) -> str:
    return text.upper()


@functools.lru_cache(maxsize=65536)
def parse_datetime(text: str) -> dt.datetime:
    """An instant from a SOQL literal or a record value; ``+0000`` and ``+00:00`` both work."""
    match = _DATETIME.fullmatch(text)
    if not match:
        raise ValueError(f"not a datetime: {text!r}")
    try:  # the fast path; record values and ordinary literals take it
        moment = dt.datetime.fromisoformat(text)
    except ValueError:  # e.g. more than 6 fractional digits
        moment = _parse_slowly(match)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _parse_slowly(match: re.Match[str]) -> dt.datetime:
    moment = dt.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
    micros = int(((match.group(2) or "") + "000000")[:6])
    return moment.replace(microsecond=micros, tzinfo=_zone(match.group(3) or "Z"))


def _zone(zone: str) -> dt.tzinfo:
    if zone in ("Z", "z"):
        return dt.UTC
    digits = zone[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:])
    return dt.timezone(dt.timedelta(minutes=minutes if zone[0] == "+" else -minutes))


def id15(value: str) -> str | None:
    """The case-sensitive 15-character form of an id, or None if it is not id-shaped.

    An 18-character id is case-insensitive: its suffix says which of the first 15
    characters are upper case, so it is re-cased from the suffix.
    """
    if len(value) not in (15, 18) or not set(value) <= _ID_CHARS:
        return None
    if len(value) == 15:
        return value
    chars = []
    for chunk, mark in enumerate(value[15:].upper()):
        bits = _SUFFIX_ALPHABET.index(mark) if mark in _SUFFIX_ALPHABET else -1
        if bits < 0:
            return None
        for offset, char in enumerate(value[chunk * 5 : chunk * 5 + 5]):
            upper = bool(bits >> offset & 1)
            if upper and not char.isalpha():
                return None
            chars.append(char.upper() if upper else char.lower())
    return "".join(chars)


def from_record(kind: str, raw: Any) -> Any:
    """The comparable form of a record value; None stands for null (booleans are never null)."""
    if kind == BOOLEAN:
        return bool(raw)
    if raw is None or raw == "":
        return None
    text = str(raw)
    if kind == TEXT:
        return fold(text)
    if kind == ID:
        return text[:15]
    if kind == NUMBER:
        return Decimal(text)
    if kind == DATE:
        return dt.date.fromisoformat(text[:10])
    if kind == DATETIME:
        return parse_datetime(text)
    return multi_values(text)


def multi_values(text: str) -> frozenset[str]:
    return frozenset(fold(part.strip()) for part in text.split(";") if part.strip())


@dataclass(frozen=True)
class Range:
    """A relative date literal resolved to [start, end) in the field's own domain."""

    start: Any
    end: Any


def relative_range(name: str, amount: int | None, now: dt.datetime, kind: str) -> Range:
    """TODAY, LAST_N_DAYS:n, THIS_MONTH ... in the time zone of ``now`` (UTC if naive)."""
    today = now.date()
    first, last = _day_span(name, amount or 0, today)
    if kind == DATE:
        return Range(first, last)
    zone = now.tzinfo or dt.UTC
    return Range(_midnight(first, zone), _midnight(last, zone))


def _midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def _day_span(name: str, n: int, today: dt.date) -> tuple[dt.date, dt.date]:
    day = dt.timedelta(days=1)
    week_start = today - dt.timedelta(days=(today.weekday() + 1) % 7)  # weeks start on Sunday
    spans = {
        "TODAY": (today, today + day),
        "YESTERDAY": (today - day, today),
        "TOMORROW": (today + day, today + 2 * day),
        "THIS_WEEK": (week_start, week_start + 7 * day),
        "LAST_WEEK": (week_start - 7 * day, week_start),
        "NEXT_WEEK": (week_start + 7 * day, week_start + 14 * day),
        # LAST_N_DAYS includes today (observed behaviour; the guide words it loosely).
        "LAST_N_DAYS": (today - n * day, today + day),
        "LAST_90_DAYS": (today - 90 * day, today + day),
        "NEXT_N_DAYS": (today + day, today + (n + 1) * day),
        "NEXT_90_DAYS": (today + day, today + 91 * day),
        "N_DAYS_AGO": (today - n * day, today - (n - 1) * day),
    }
    if name in spans:
        return spans[name]
    return _calendar_span(name, today)


def _calendar_span(name: str, today: dt.date) -> tuple[dt.date, dt.date]:
    which, unit = name.split("_")
    step = {"LAST": -1, "THIS": 0, "NEXT": 1}[which]
    if unit == "YEAR":
        return dt.date(today.year + step, 1, 1), dt.date(today.year + step + 1, 1, 1)
    month_index = today.year * 12 + today.month - 1 + step
    return _month_start(month_index), _month_start(month_index + 1)


def _month_start(month_index: int) -> dt.date:
    return dt.date(month_index // 12, month_index % 12 + 1, 1)
