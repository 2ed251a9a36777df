"""Turning a Cell from a request body into a stored cell, per column type.

By default (``strict`` true) a value must already have the column's type; ``strict:
false`` makes the API parse it the way the web app would (``"12"`` becomes 12 in a
TEXT_NUMBER column, ``"yes"`` ticks a CHECKBOX, an unparsable date stays text).
MULTI_PICKLIST and MULTI_CONTACT_LIST cells can only be written through ``objectValue``.
A strict PICKLIST value must be one of the options (1042). Nobody can write a cell of a
column that has a column formula (1302); only the sheet's Owner and Admins can write a
locked column (1039).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import errors
from .model import Cell, Column, SsUser

MAX_CELL_CHARS = 4000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NUMBER = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_TRUE = {"true", "yes", "1", "checked", "on"}
_FALSE = {"false", "no", "0", "unchecked", "off"}
_LENIENT_DATES = ("%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d", "%d %b %Y", "%b %d, %Y", "%B %d, %Y")
_VALUE_KEYS = ("value", "objectValue", "formula", "hyperlink", "linkInFromCell", "image")


@dataclass(frozen=True)
class WriteContext:
    """Who writes and how: the directory resolves contact names, override needs admin."""

    directory: Mapping[str, SsUser]
    is_admin: bool
    adding: bool
    may_edit_locked: bool = True  # Owner or Admin of the sheet (in the web app too)


def build_cell(column: Column, raw: Mapping[str, Any], ctx: WriteContext) -> Cell:
    _check_shape(raw, ctx)
    if column.system_column_type:
        raise errors.system_column(column.id)
    if column.locked and not ctx.may_edit_locked:
        raise errors.locked_column(column.id)
    if column.formula:
        raise errors.column_formula_cell()
    override = raw.get("overrideValidation") is True
    if override and not ctx.is_admin:
        raise errors.override_needs_admin()
    if raw.get("formula") is not None:
        return _formula_cell(raw["formula"])
    strict = raw.get("strict") is not False
    if raw.get("objectValue") is not None:
        cell = _from_object_value(column, raw["objectValue"], strict, ctx)
    else:
        cell = _from_value(column, raw.get("value"), strict, raw.get("displayValue"), ctx)
    if column.validation and not override:
        _check_validation(column, cell)
    cell.hyperlink = raw.get("hyperlink") or None
    cell.link_in = raw.get("linkInFromCell") or None
    return cell


def _check_shape(raw: Mapping[str, Any], ctx: WriteContext) -> None:
    present = {key for key in _VALUE_KEYS if raw.get(key) is not None}
    if "formula" in present and present - {"formula"}:
        raise errors.formula_with_value()
    if {"hyperlink", "linkInFromCell"} <= present:
        raise errors.hyperlink_and_cell_link()
    link = raw.get("hyperlink")
    if (
        isinstance(link, dict)
        and link.get("url")
        and (link.get("sheetId") or link.get("reportId") or link.get("sightId"))
    ):
        raise errors.hyperlink_url_with_target()
    if {"value", "objectValue"} <= present:
        raise errors.value_and_object_value()
    if "linkInFromCell" in present and ctx.adding:
        # Cell links can only be put on cells of rows that already exist.
        raise errors.attribute_not_allowed("cell.linkInFromCell")
    if not any(key in raw for key in _VALUE_KEYS):
        raise errors.missing_attribute("cell.value")


def _formula_cell(formula: Any) -> Cell:
    if not isinstance(formula, str) or not formula.startswith("="):
        raise errors.formula_without_equals()
    return Cell(formula=formula)


def _primitive(value: Any) -> Any:
    if value is not None and not isinstance(value, str | int | float | bool):
        raise errors.invalid_cell_value()
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise errors.value_too_long(MAX_CELL_CHARS, len(value))
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _from_value(column: Column, value: Any, strict: bool, display: Any, ctx: WriteContext) -> Cell:
    value = _primitive(value)
    if value is None or value == "":
        return Cell(value=False) if column.type == "CHECKBOX" else Cell()
    kind = column.type
    if kind in ("MULTI_PICKLIST", "MULTI_CONTACT_LIST"):
        raise errors.use_object_value()
    if kind == "CHECKBOX":
        return Cell(value=_checkbox(column, value, strict))
    if kind == "DATE":
        return Cell(value=_date(column, value, strict))
    if kind in ("DATETIME", "ABSTRACT_DATETIME"):
        raise errors.strict_mismatch(column.id, value, kind)
    if kind == "PICKLIST":
        return Cell(value=_picklist(column, value, strict))
    if kind == "CONTACT_LIST":
        return _contact_value(column, value, strict, display, ctx)
    if kind == "TEXT_NUMBER" and not strict and isinstance(value, str):
        return Cell(value=_maybe_number(value))
    return Cell(value=value)


def _maybe_number(text: str) -> Any:
    stripped = text.strip()
    if not _NUMBER.match(stripped):
        return text
    number = float(stripped)
    return int(number) if number.is_integer() and "e" not in stripped.lower() else number


def _checkbox(column: Column, value: Any, strict: bool) -> bool:
    if isinstance(value, bool):
        return value
    if not strict:
        word = str(value).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise errors.strict_mismatch(column.id, value, "CHECKBOX")


def _date(column: Column, value: Any, strict: bool) -> str:
    if isinstance(value, str):
        parsed = parse_date(value)
        if parsed is not None:
            return parsed.isoformat()
        if not strict:
            lenient = _lenient_date(value)
            # The web app keeps text it cannot read as a date in a DATE column.
            return lenient.isoformat() if lenient else value
    elif not strict and not isinstance(value, bool):
        return str(value)
    raise errors.strict_mismatch(column.id, value, "DATE")


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD`` or a full ISO-8601 timestamp (its date part)."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _lenient_date(text: str) -> date | None:
    for pattern in _LENIENT_DATES:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _picklist(column: Column, value: Any, strict: bool) -> Any:
    if isinstance(value, bool):
        if strict:
            raise errors.strict_mismatch(column.id, value, "PICKLIST")
        return "true" if value else "false"
    if strict and column.options is not None and str(value) not in column.options:
        # strict (the default) takes only an option; strict=false keeps the text, as the
        # web app does unless the column restricts values to the list (validation).
        raise errors.strict_mismatch(column.id, value, "PICKLIST")
    return value


def _contact_value(
    column: Column, value: Any, strict: bool, display: Any, ctx: WriteContext
) -> Cell:
    if isinstance(value, str) and _EMAIL.match(value.strip()):
        return Cell(contact=_contact(value.strip(), display, ctx))
    if strict:
        raise errors.strict_mismatch(column.id, value, "CONTACT_LIST")
    return Cell(value=str(value))


def _contact(email: str, name: Any, ctx: WriteContext) -> dict[str, str]:
    known = ctx.directory.get(email.lower())
    if known is not None:
        return known.contact()
    return {"email": email, "name": str(name) if name else email}


def _from_object_value(column: Column, obj: Any, strict: bool, ctx: WriteContext) -> Cell:
    if not isinstance(obj, dict):
        return _from_value(column, obj, strict, None, ctx)
    kind = obj.get("objectType")
    expected = _OBJECT_TYPES.get(column.type)
    if kind not in (expected or ()):
        raise errors.wrong_object_type(column.id, ", ".join(expected or ("none",)))
    if kind == "MULTI_PICKLIST":
        return _multi_picklist(column, obj)
    if kind == "DATE":
        return Cell(value=_date(column, obj.get("value"), True))
    if kind == "CONTACT":
        contact = _contact_object(column, obj, ctx)
        return (
            Cell(items=[contact]) if column.type == "MULTI_CONTACT_LIST" else Cell(contact=contact)
        )
    return Cell(items=[_contact_object(column, item, ctx) for item in _values(obj)] or None)


_OBJECT_TYPES: dict[str, tuple[str, ...]] = {
    "MULTI_PICKLIST": ("MULTI_PICKLIST",),
    "CONTACT_LIST": ("CONTACT",),
    "MULTI_CONTACT_LIST": ("MULTI_CONTACT", "CONTACT"),
    "DATE": ("DATE",),
}


def _values(obj: Mapping[str, Any]) -> list[Any]:
    values = obj.get("values")
    if values is None:
        raise errors.missing_attribute("cell.objectValue.values")
    if not isinstance(values, list):
        raise errors.invalid_attribute_value(values, "cell.objectValue.values")
    return values


def _multi_picklist(column: Column, obj: Mapping[str, Any]) -> Cell:
    items = [_primitive(item) for item in _values(obj)]
    if any(isinstance(item, bool) or item in (None, "") for item in items):
        raise errors.strict_mismatch(column.id, items, "MULTI_PICKLIST")
    return Cell(items=items or None)


def _contact_object(column: Column, obj: Any, ctx: WriteContext) -> dict[str, str]:
    if not isinstance(obj, dict):
        raise errors.wrong_object_type(column.id, "CONTACT")
    email = obj.get("email")
    if not email:
        raise errors.missing_attribute("cell.objectValue.email")
    if not isinstance(email, str) or not _EMAIL.match(email):
        raise errors.strict_mismatch(column.id, email, column.type)
    return _contact(email, obj.get("name"), ctx)


def _check_validation(column: Column, cell: Cell) -> None:
    """``validation: true`` restricts PICKLIST/MULTI_PICKLIST to the options (and contact
    columns to their contactOptions); anything else is refused like a type mismatch."""
    options = column.options
    if column.type == "PICKLIST" and options is not None and cell.value not in (None, ""):
        _require_option(column, cell.value, options)
    if column.type == "MULTI_PICKLIST" and column.options is not None:
        for item in cell.items or ():
            _require_option(column, item, column.options)
    if column.type in ("CONTACT_LIST", "MULTI_CONTACT_LIST") and column.contact_options:
        allowed = {option.get("email", "").lower() for option in column.contact_options}
        people = ([cell.contact] if cell.contact else []) + list(cell.items or ())
        for person in people:
            if person["email"].lower() not in allowed:
                raise errors.strict_mismatch(column.id, person["email"], column.type)
    if column.type == "DATE" and isinstance(cell.value, str) and parse_date(cell.value) is None:
        raise errors.strict_mismatch(column.id, cell.value, column.type)


def _require_option(column: Column, value: Any, options: list[str]) -> None:
    if str(value) not in options:
        raise errors.strict_mismatch(column.id, value, column.type)
