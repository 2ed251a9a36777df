"""Text-like values: plain text, e-mail addresses, record Ids and picklist choices.

Decisions (see sync.convert for the whole list):
- Text is compared trimmed, with line breaks as "\\n", and an empty text is None: Salesforce
  never stores leading/trailing whitespace or empty strings in a text field (it stores null).
- E-mail addresses compare lower-cased: Smartsheet contacts and people typing do not keep case.
- Record Ids compare in their 18-character case-safe form; a 15-character Id, or an 18-character
  Id whose case was lost (a spreadsheet upper-cased it), is turned into the same form.
- Picklist choices take the spelling of the field's defined value when they match it ignoring
  case; multi-select values are a sorted tuple without duplicates (order carries no meaning).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sync.convert_errors import ConversionError, shown
from sync.model import SalesforceField

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_ID_CHARS = re.compile(r"[A-Za-z0-9]+")
_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_LISTED_CHOICES = 10  # how many allowed values an error message lists


def normal_text(text: str) -> str | None:
    if "\r" in text:  # rare: most texts need only the strip
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip() or None


def check_length(text: str, field: SalesforceField) -> str:
    if field.length and len(text) > field.length:
        raise ConversionError(
            field.name,
            f"{field.label}: text is {len(text)} characters long, the limit is {field.length}",
        )
    return text


def parse_email(text: str, field: SalesforceField) -> str:
    cleaned = text.strip()
    if cleaned.lower().startswith("mailto:"):
        cleaned = cleaned[len("mailto:") :]
    if not _EMAIL.fullmatch(cleaned):
        raise ConversionError(field.name, f"{field.label}: {shown(text)} is not an email address")
    return check_length(cleaned.lower(), field)


def _case_suffix(id15: str) -> str:
    """Salesforce's 3-character suffix: which letters of each 5-character chunk are capitals."""
    chars = []
    for start in range(0, 15, 5):
        bits = sum(1 << i for i, c in enumerate(id15[start : start + 5]) if "A" <= c <= "Z")
        chars.append(_SUFFIX_ALPHABET[bits])
    return "".join(chars)


def _restore_case(id18: str) -> str | None:
    """Re-apply the capitals the suffix records, or None when the suffix cannot be right."""
    suffix = id18[15:].upper()
    letters = list(id18[:15])
    for chunk, code in enumerate(suffix):
        bits = _SUFFIX_ALPHABET.find(code)
        if bits < 0:
            return None
        for i in range(5):
            pos = chunk * 5 + i
            upper = bool(bits & (1 << i))
            if upper and not letters[pos].isalpha():
                return None
            letters[pos] = letters[pos].upper() if upper else letters[pos].lower()
    return "".join(letters) + suffix


def case_safe_id(text: str) -> str | None:
    """The 18-character form of a Salesforce Id, or None when `text` is not an Id."""
    cleaned = text.strip()
    if not _ID_CHARS.fullmatch(cleaned):
        return None
    if len(cleaned) == 15:
        return cleaned + _case_suffix(cleaned)
    if len(cleaned) == 18:
        return _restore_case(cleaned)
    return None


def parse_id(text: str, field: SalesforceField) -> str:
    found = case_safe_id(text)
    if found is None:
        raise ConversionError(
            field.name, f"{field.label}: {shown(text)} is not a Salesforce record Id"
        )
    return found


def match_choice(text: str, field: SalesforceField) -> str | None:
    """The defined picklist value `text` names (ignoring case), or None."""
    if text in field.picklist_values:
        return text
    folded = text.casefold()
    return next((v for v in field.picklist_values if v.casefold() == folded), None)


def allowed_list(values: Iterable[str]) -> str:
    listed = list(values)
    more = ", ..." if len(listed) > _LISTED_CHOICES else ""
    return ", ".join(listed[:_LISTED_CHOICES]) + more


def parse_choice(text: str, field: SalesforceField) -> str:
    """A choice typed in the sheet: the defined spelling, or an error for restricted lists."""
    found = match_choice(text, field)
    if found is not None:
        return found
    if field.restricted_picklist and field.picklist_values:
        raise ConversionError(
            field.name,
            f"{field.label}: {shown(text)} is not one of the allowed values "
            f"({allowed_list(field.picklist_values)})",
        )
    return check_length(text, field)


def choices_canon(values: Iterable[str]) -> tuple[str, ...] | None:
    unique = sorted({v for v in values if v})
    return tuple(unique) or None


def split_choices(text: str, field: SalesforceField) -> list[str]:
    """Values of a multi-select typed as one text: "A;B" (Salesforce) or "A, B" (Smartsheet)."""
    whole = text.strip()
    if match_choice(whole, field) is not None:
        return [whole]
    separator = ";" if ";" in whole else ","
    return [part.strip() for part in whole.split(separator) if part.strip()]


def in_field_order(values: Iterable[str], field: SalesforceField) -> list[str]:
    """Values ordered as the field defines them (then the rest), as people expect to read them."""
    rank = {v: i for i, v in enumerate(field.picklist_values)}
    return sorted(values, key=lambda v: (rank.get(v, len(rank)), v))
