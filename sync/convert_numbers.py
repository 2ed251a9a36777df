"""Numbers and yes/no values.

Decisions (see sync.convert for the whole list):
- A number compares as an int when it is whole and as a float otherwise, rounded half-up to
  the field's scale, so Salesforce 1200.0, a cell 1200 and a typed "1,200" are all 1200.
- Typed numbers use "." for decimals and "," for thousands ("1,200.50"), may carry a currency
  sign or ISO code ("$1,200", "1200 EUR"), and may be negative as "-5" or "(5)".
- A percent is the number of percent: Salesforce 12.5 means 12.5 %, and so do a typed "12.5%"
  and a percent-formatted cell whose value is the fraction 0.125 (its displayValue ends in %).
- A yes/no has no empty state: Salesforce checkboxes are never null, so an empty cell is False.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from sync.convert_errors import ConversionError, shown
from sync.model import SalesforceField, SalesforceType

Number = int | float

_PLAIN = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?")
_CURRENCY_MARKS = re.compile(r"^(?:[$€£¥]|[A-Z]{3}(?=[\s\d$€£¥.+-]))\s*|\s*(?:[$€£¥]|[A-Z]{3})$")
# Salesforce int fields hold 32-bit values; long fields up to 18 digits.
_INTEGER_LIMITS = {SalesforceType.INT: 2**31 - 1, SalesforceType.LONG: 10**18 - 1}
_MAX_DIGITS = 18
_TRUE = frozenset({"true", "yes", "y", "1", "on", "checked", "x", "✓", "✔"})
_FALSE = frozenset({"false", "no", "n", "0", "off", "unchecked", ""})


def _strip_currency(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _CURRENCY_MARKS.sub("", text).strip()
    return text


def _decimal_from_text(text: str, percent: bool) -> Decimal | None:
    """A Decimal for a typed number, or None when it is not one."""
    body = text.strip()
    negative = body.startswith("(") and body.endswith(")")
    if negative:
        body = body[1:-1].strip()
    if percent and body.endswith("%"):
        body = body[:-1].strip()
    sign = ""
    if body and body[0] in "+-":
        sign, body = body[0], body[1:].strip()
    body = _strip_currency(body)
    if body and body[0] in "+-" and not sign:
        sign, body = body[0], body[1:]
    if not body or not _PLAIN.fullmatch(body) or not any(c.isdigit() for c in body):
        return None
    try:
        value = Decimal(sign + body.replace(",", ""))
    except InvalidOperation:
        return None
    return -value if negative else value


def canon_number(value: Decimal, scale: int) -> Number:
    """The canonical number: rounded half-up to `scale` places, an int when whole."""
    with localcontext() as ctx:
        # Enough digits for any magnitude Salesforce can hold at any scale it allows.
        ctx.prec = max(80, value.adjusted() + scale + 2)
        rounded = value.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
        if rounded == rounded.to_integral_value():
            return int(rounded)
    as_float = float(rounded)
    return int(as_float) if as_float.is_integer() else as_float


def _limit_error(field: SalesforceField, text: str, digits: int) -> ConversionError:
    return ConversionError(
        field.name,
        f"{field.label}: {text} is too large (at most {digits} digits before the decimal point)",
    )


def _check_range(value: Decimal, field: SalesforceField, text: str) -> None:
    # Without a precision from describe, Salesforce's largest (18 digits) still applies.
    digits = field.precision - field.scale if field.precision else _MAX_DIGITS
    if abs(value) >= Decimal(10) ** digits:
        raise _limit_error(field, text, digits)
    limit = _INTEGER_LIMITS.get(field.type)
    if limit is not None and abs(value) > limit:
        raise _limit_error(field, text, len(str(limit)))


def decimal_from_cell(raw: object, display: str | None, field: SalesforceField) -> Decimal:
    """The number a cell holds, as the person meant it, or a ConversionError."""
    percent = field.type == SalesforceType.PERCENT
    if isinstance(raw, bool):
        raise ConversionError(field.name, f"{field.label}: {shown(raw)} is not a number")
    if isinstance(raw, int | float):
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        if not value.is_finite():
            raise ConversionError(field.name, f"{field.label}: {shown(raw)} is not a number")
        # A percent-formatted cell holds the fraction and shows it times 100.
        if percent and display is not None and display.strip().endswith("%"):
            value *= 100
        return value
    parsed = _decimal_from_text(str(raw), percent)
    if parsed is None or not parsed.is_finite():
        raise ConversionError(field.name, f"{field.label}: {shown(raw)} is not a number")
    return parsed


def number_from_cell(raw: object, display: str | None, field: SalesforceField) -> Number:
    value = decimal_from_cell(raw, display, field)
    text = plain(value)
    if field.type in _INTEGER_LIMITS:
        if value != value.to_integral_value():
            raise ConversionError(field.name, f"{field.label}: {shown(raw)} is not a whole number")
        _check_range(value, field, text)
        return int(value)
    _check_range(value, field, text)
    return canon_number(value, field.scale)


def number_from_salesforce(value: object, field: SalesforceField) -> Number | str:
    """Salesforce's JSON number, canonical; anything else unchanged (never raises)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return str(value)
    # Whole numbers are already canonical at any scale (the common case; a backfill of
    # 20,000 records would otherwise spend a second in Decimal contexts).
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return str(value)
    if not exact.is_finite():
        return str(value)
    scale = 0 if field.type in _INTEGER_LIMITS else field.scale
    return canon_number(exact, scale)


def plain(value: Decimal | Number) -> str:
    """A number written out without exponent or trailing zeros ("1200", "12.5", "0.00001")."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = format(exact, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def boolean_from_cell(raw: object, field: SalesforceField) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    word = str(raw).strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ConversionError(
        field.name,
        f"{field.label}: {shown(raw)} is not yes or no (use yes/no, true/false or 1/0)",
    )


def boolean_from_salesforce(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() in _TRUE
    return bool(value)
