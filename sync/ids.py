"""Salesforce record ids: 15-character (case-sensitive) and 18-character (case-safe) forms."""

from __future__ import annotations

import re

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_SHAPE = re.compile(r"^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$")


def looks_like_id(text: str) -> bool:
    return bool(_SHAPE.match(text))


def to_18(record_id: str) -> str:
    """Append the checksum that makes a 15-character id case-insensitively unique."""
    if len(record_id) != 15:
        return record_id
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << i for i, ch in enumerate(record_id[start : start + 5]) if ch.isupper())
        suffix += _ALPHABET[bits]
    return record_id + suffix


def normalise_id(text: str) -> str:
    text = text.strip()
    return to_18(text) if looks_like_id(text) else text
