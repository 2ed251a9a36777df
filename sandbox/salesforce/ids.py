"""Salesforce record ids: key prefixes, the 3-character case-safe suffix, 15/18-char forms.

A record id is 15 case-sensitive characters (3-char key prefix of the object, then
instance and counter characters). The 18-char form appends a checksum that encodes,
for each 5-character chunk, which characters are upper case, so that the id survives
case-insensitive systems. Salesforce accepts both forms wherever an id is expected.
"""

from __future__ import annotations

import string

_SUFFIX_ALPHABET = string.ascii_uppercase + "012345"
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_ID_CHARS = frozenset(string.ascii_letters + string.digits)


_UPPER_AS_ONE = str.maketrans(
    dict.fromkeys(string.ascii_uppercase, "1")
    | dict.fromkeys(string.ascii_lowercase + string.digits, "0")
)


def checksum(id15: str) -> str:
    """The 3-char suffix that turns a 15-char id into its 18-char form.

    Per 5-char chunk, bit i is set when char i is upper case; the 5-bit number indexes A-Z0-5.
    """
    bits = id15.translate(_UPPER_AS_ONE)
    return "".join(_SUFFIX_ALPHABET[int(bits[i : i + 5][::-1], 2)] for i in (0, 5, 10))


def is_id_shaped(value: str) -> bool:
    """True for a string that could be an id (15 or 18 alphanumerics, valid suffix)."""
    if len(value) not in (15, 18) or not set(value) <= _ID_CHARS:
        return False
    return len(value) == 15 or value[15:].upper() == checksum(value[:15])


def to18(value: str) -> str:
    """Canonical 18-char form of a 15- or 18-char id (the suffix is case-insensitive)."""
    return value[:15] + checksum(value[:15])


def base62(number: int, width: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 62)
        digits = _BASE62[rest] + digits
    return digits.rjust(width, "0")


def make_id(prefix: str, pod: str, number: int) -> str:
    """An 18-char id: key prefix (3) + pod (2) + reserved '0' + base62 counter (9) + suffix."""
    id15 = prefix + pod + "0" + base62(number, 9)
    return id15 + checksum(id15)
