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


def restore_case(record_id: str) -> str:
    """An 18-character id whose letters were re-cased (a spreadsheet upper-casing it, a
    person typing it) gets its case back from the checksum, which encodes it."""
    suffix = record_id[15:].upper()
    if len(record_id) != 18 or any(ch not in _ALPHABET for ch in suffix):
        return record_id
    chars = []
    for chunk, code in enumerate(suffix):
        bits = _ALPHABET.index(code)
        for i, ch in enumerate(record_id[chunk * 5 : chunk * 5 + 5]):
            chars.append(ch.upper() if bits >> i & 1 else ch.lower())
    return "".join(chars) + suffix


def id_from_salesforce(value: object) -> str:
    """An Id as the REST API sends it: already 18 characters in their right case, so only
    a 15-character one (never sent, but cheap to allow) needs its checksum."""
    text = str(value)
    return text if len(text) == 18 else normalise_id(text)


def normalise_id(text: str) -> str:
    text = text.strip()
    if not looks_like_id(text):
        return text
    return to_18(text) if len(text) == 15 else restore_case(text)
