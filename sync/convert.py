"""Type conversion between Salesforce field values and Smartsheet cells (pure: no IO, no clock).

The planner compares, per field, the Salesforce value, the cell value and the last synced
value in ONE canonical form (`Canon`), so that equal meanings compare equal and our own writes
never look like edits: for every supported pair, from_cell(the cell written by to_cell(c)) ==
narrow(c, ...) and from_salesforce(to_salesforce(c)) == c.

Canonical form per kind of field (sync.convert_kinds groups the Salesforce types):
- text, url, phone, combobox: trimmed, "\\n" line breaks, empty → None (Salesforce stores
  neither empty strings nor surrounding whitespace).
- email: trimmed and lower-cased (Smartsheet contacts do not keep case).
- id / reference: the 18-character case-safe Id; a 15-character Id compares equal to it.
- picklist: the field's own spelling when the text matches a value ignoring case.
- multipicklist: a sorted tuple of distinct values, None when empty. Order carries no meaning
  in Salesforce ("A;B" == "B;A"); cells are written in the field's value order for reading.
- boolean: True/False only; an empty cell or a null is False (Salesforce has no null checkbox).
- int / long / double / currency / percent: int when whole, else float, rounded half-up to the
  field's scale. So Salesforce 1200.0, a cell 1200 and a typed "1,200" or "$1,200" are 1200.
  A percent is a number of percent (12.5 means 12.5 %); "12.5%" typed, or a percent-formatted
  cell holding 0.125, is 12.5. Percent values are written to cells as text "12.5%" so that a
  cell's percent format cannot turn 12.5 into 1250 %.
- date: "YYYY-MM-DD". datetime: UTC "YYYY-MM-DDTHH:MM:SS.mmmZ" (Salesforce returns
  "...000+0000"; typed values without a zone are UTC). time: "HH:MM:SS.mmmZ".
- address, location, base64, anyType, complexvalue, json: not synced (compatibility says NO).

Texts longer than a cell's 4,000 characters raise ConversionError in to_cell rather than being
cut: Smartsheet cuts them silently, and a cut text read back would look like an edit and be
copied over the full text in Salesforce.

A date/time field in a DATE column is the one lossy pair: the column keeps the UTC date only,
so the planner compares the Salesforce side through `narrow` (the value as the column holds it).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sync.convert_cells import CELL_WRITERS, Raw, Scalar, cell_raw
from sync.convert_compat import CELL_LIMIT, Compat, Compatibility, compatibility
from sync.convert_dates import (
    date_from_cell,
    datetime_from_cell,
    parse_date,
    parse_datetime,
    parse_time,
    time_from_cell,
)
from sync.convert_errors import ConversionError
from sync.convert_kinds import Kind, kind_of, unsupported_reason
from sync.convert_numbers import (
    boolean_from_cell,
    boolean_from_salesforce,
    number_from_cell,
    number_from_salesforce,
    plain,
)
from sync.convert_text import (
    case_safe_id,
    check_length,
    choices_canon,
    in_field_order,
    match_choice,
    normal_text,
    parse_choice,
    parse_email,
    parse_id,
    split_choices,
)
from sync.model import Canon, Cell, CellWrite, ColumnType, SalesforceField, SheetColumn

__all__ = [
    "Compat",
    "Compatibility",
    "ConversionError",
    "compatibility",
    "from_cell",
    "from_salesforce",
    "narrow",
    "to_cell",
    "to_salesforce",
]


# Columns the API cannot write (system time stamps, project schedule).
_UNWRITABLE = frozenset(
    {
        ColumnType.DATETIME,
        ColumnType.ABSTRACT_DATETIME,
        ColumnType.DURATION,
        ColumnType.PREDECESSOR,
    }
)


# ---- Salesforce → canonical -------------------------------------------------------------


def _sf_text(value: object, field: SalesforceField) -> Canon:
    return normal_text(str(value))


def _sf_email(value: object, field: SalesforceField) -> Canon:
    text = normal_text(str(value))
    return text.lower() if text else None


def _sf_id(value: object, field: SalesforceField) -> Canon:
    text = normal_text(str(value))
    return (case_safe_id(text) or text) if text else None


def _sf_choice(value: object, field: SalesforceField) -> Canon:
    text = normal_text(str(value))
    return (match_choice(text, field) or text) if text else None


def _sf_choices(value: object, field: SalesforceField) -> Canon:
    parts = (p.strip() for p in str(value).split(";"))
    return choices_canon(match_choice(p, field) or p for p in parts)


def _sf_parsed(parse: Callable[[str], str | None]) -> Callable[[object, SalesforceField], Canon]:
    def convert(value: object, field: SalesforceField) -> Canon:
        text = str(value).strip()
        return parse(text) or text or None

    return convert


def _sf_unsupported(value: object, field: SalesforceField) -> Canon:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


_FROM_SALESFORCE: dict[Kind, Callable[[object, SalesforceField], Canon]] = {
    Kind.TEXT: _sf_text,
    Kind.EMAIL: _sf_email,
    Kind.ID: _sf_id,
    Kind.REFERENCE: _sf_id,
    Kind.PICKLIST: _sf_choice,
    Kind.MULTIPICKLIST: _sf_choices,
    Kind.BOOLEAN: lambda value, field: boolean_from_salesforce(value),
    Kind.INTEGER: number_from_salesforce,
    Kind.DECIMAL: number_from_salesforce,
    Kind.PERCENT: number_from_salesforce,
    Kind.DATE: _sf_parsed(parse_date),
    Kind.DATETIME: _sf_parsed(parse_datetime),
    Kind.TIME: _sf_parsed(parse_time),
    Kind.UNSUPPORTED: _sf_unsupported,
}


def from_salesforce(value: object, field: SalesforceField) -> Canon:
    """A Salesforce REST JSON value, canonical. Never raises for values Salesforce produced."""
    return salesforce_reader(field)(value)


def salesforce_reader(field: SalesforceField) -> Callable[[object], Canon]:
    """from_salesforce for one field, its kind looked up once (a backfill converts
    200,000 values through the same ten fields)."""
    kind = kind_of(field)
    convert = _FROM_SALESFORCE[kind]
    empty: Canon = False if kind == Kind.BOOLEAN else None

    def read(value: object) -> Canon:
        return empty if value is None else convert(value, field)

    return read


# ---- cell → canonical -------------------------------------------------------------------


def _is_empty(raw: Raw) -> bool:
    if isinstance(raw, str):
        return not raw.strip()
    return raw is None or raw == []


def _single(raw: Scalar | list[str], field: SalesforceField) -> Scalar:
    if not isinstance(raw, list):
        return raw
    if len(raw) == 1:
        return raw[0]
    raise ConversionError(
        field.name,
        f"{field.label}: only one value can be copied, the cell holds {len(raw)} "
        f"({', '.join(raw)})",
    )


def _as_text(value: Scalar, display: str | None) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    # A number shown as "$1,200.00" or "00123" is, to the person, that text.
    if display is not None and display.strip():
        return display
    return plain(value)


CellParser = Callable[[Scalar, str | None, SalesforceField], Canon]


def _text_parser(parse: Callable[[str, SalesforceField], Canon]) -> CellParser:
    def convert(value: Scalar, display: str | None, field: SalesforceField) -> Canon:
        return parse(_as_text(value, display), field)

    return convert


def _cell_text(text: str, field: SalesforceField) -> Canon:
    cleaned = normal_text(text)
    return check_length(cleaned, field) if cleaned else None


def _cell_choice(text: str, field: SalesforceField) -> Canon:
    cleaned = normal_text(text)
    return parse_choice(cleaned, field) if cleaned else None


_FROM_CELL: dict[Kind, CellParser] = {
    Kind.TEXT: _text_parser(_cell_text),
    Kind.EMAIL: _text_parser(parse_email),
    Kind.ID: _text_parser(parse_id),
    Kind.REFERENCE: _text_parser(parse_id),
    Kind.PICKLIST: _text_parser(_cell_choice),
    Kind.BOOLEAN: lambda value, display, field: boolean_from_cell(value, field),
    Kind.INTEGER: number_from_cell,
    Kind.DECIMAL: number_from_cell,
    Kind.PERCENT: number_from_cell,
    Kind.DATE: _text_parser(date_from_cell),
    Kind.DATETIME: _text_parser(datetime_from_cell),
    Kind.TIME: _text_parser(time_from_cell),
}


def _choices_from_cell(
    raw: Scalar | list[str], display: str | None, field: SalesforceField
) -> Canon:
    parts = raw if isinstance(raw, list) else split_choices(_as_text(raw, display), field)
    return choices_canon(parse_choice(p.strip(), field) for p in parts if p.strip())


def from_cell(cell: Cell, field: SalesforceField, column: SheetColumn) -> Canon:
    """What a person put in a cell, canonical in the field's domain, or a ConversionError."""
    kind = kind_of(field)
    if kind == Kind.UNSUPPORTED:
        raise ConversionError(field.name, unsupported_reason(field))
    raw = cell_raw(cell)
    if raw is None or _is_empty(raw):
        return False if kind == Kind.BOOLEAN else None
    if kind == Kind.MULTIPICKLIST:
        return _choices_from_cell(raw, cell.display_value, field)
    return _FROM_CELL[kind](_single(raw, field), cell.display_value, field)


# ---- canonical → Salesforce -------------------------------------------------------------


def to_salesforce(canon: Canon, field: SalesforceField) -> object:
    """The JSON value to send in a Salesforce write; None clears the field."""
    kind = kind_of(field)
    if kind == Kind.UNSUPPORTED:
        raise ConversionError(field.name, unsupported_reason(field))
    if kind == Kind.BOOLEAN:
        return bool(canon)
    if canon is None:
        return None
    if kind == Kind.MULTIPICKLIST:
        values = canon if isinstance(canon, tuple) else (str(canon),)
        return ";".join(in_field_order(values, field))
    # Numbers are already rounded to the field's scale; dates and times are in a form
    # Salesforce accepts on write ("...T17:05:12.000Z", "13:15:30.000Z").
    return canon


# ---- canonical → cell -------------------------------------------------------------------


def to_cell(canon: Canon, field: SalesforceField, column: SheetColumn) -> CellWrite:
    """What to send for `column`; CellWrite() (no value) clears the cell."""
    return cell_writer(field, column)(canon)


def cell_writer(field: SalesforceField, column: SheetColumn) -> Callable[[Canon], CellWrite]:
    """to_cell for one field and column, their kinds looked up once. Refusals (a type
    syncbot cannot convert, a column the API cannot write) are raised per value."""
    kind = kind_of(field)
    writer = CELL_WRITERS.get(column.type)
    if kind == Kind.UNSUPPORTED:
        return _refuse(field.name, unsupported_reason(field))
    if writer is None:
        why = f'{field.label}: column "{column.title}" cannot be written through the API'
        return _refuse(field.name, why)

    def write(canon: Canon) -> CellWrite:
        return _EMPTY if canon is None else writer(canon, field, column)

    if column.type == ColumnType.TEXT_NUMBER and kind not in _TEXT_SHAPED:
        return write

    def write_text(canon: Canon) -> CellWrite:
        # the common cases of a backfill, as _text_number_cell writes them
        if type(canon) is str:
            if len(canon) <= CELL_LIMIT:
                return CellWrite(value=canon)
        elif type(canon) is int or type(canon) is float:
            return CellWrite(value=canon)
        elif type(canon) is bool:
            return _TRUE_TEXT if canon else _FALSE_TEXT
        elif canon is None:
            return _EMPTY
        return write(canon)

    return write_text if column.type == ColumnType.TEXT_NUMBER else write


_EMPTY, _TRUE_TEXT, _FALSE_TEXT = CellWrite(), CellWrite(value="true"), CellWrite(value="false")
_TEXT_SHAPED = frozenset(Kind) - {Kind.DATETIME, Kind.TIME, Kind.PERCENT, Kind.UNSUPPORTED}


def _refuse(name: str, why: str) -> Callable[[Canon], CellWrite]:
    def write(canon: Canon) -> CellWrite:
        raise ConversionError(name, why)

    return write


def narrows(field: SalesforceField, column: SheetColumn) -> bool:
    """Whether `narrow` can change a value of this pair (a date-time in a DATE column)."""
    return kind_of(field) == Kind.DATETIME and column.type == ColumnType.DATE


def narrow(canon: Canon, field: SalesforceField, column: SheetColumn) -> Canon:
    """`canon` as `column` holds it after to_cell: what from_cell will read back.

    Identity except for a date/time field in a DATE column, which keeps the UTC date only
    (read back as midnight UTC). The planner compares the Salesforce side through this so a
    time the sheet cannot show is not taken for an edit in the sheet.
    """
    if narrows(field, column) and isinstance(canon, str) and parse_datetime(canon) == canon:
        return canon[:10] + "T00:00:00.000Z"
    return canon
