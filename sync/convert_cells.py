"""Smartsheet cells: what a read cell holds, and the CellWrite for each column type.

Only sync.convert uses this module; it decides the canonical values these functions take.
"""

from __future__ import annotations

from collections.abc import Callable

from sync.convert_compat import CELL_LIMIT
from sync.convert_dates import datetime_for_cell, time_for_cell
from sync.convert_errors import ConversionError, shown
from sync.convert_kinds import Kind, kind_of
from sync.convert_numbers import plain
from sync.convert_text import in_field_order
from sync.model import Canon, Cell, CellWrite, ColumnType, SalesforceField, SheetColumn

Scalar = str | int | float | bool
Raw = Scalar | list[str] | None  # what a cell holds, before the field's rules apply


def _contact(value: object) -> str | None:
    if not isinstance(value, dict):
        return None
    found = value.get("email") or value.get("name")
    return str(found) if found else None


def cell_raw(cell: Cell) -> Raw:
    """What a cell holds: objectValue when present, else value, else displayValue."""
    obj = cell.object_value
    if isinstance(obj, dict):  # with include=objectValue plain cells carry a primitive
        kind, values = obj.get("objectType"), obj.get("values")
        if kind == "MULTI_PICKLIST" and isinstance(values, list):
            return [str(v) for v in values]
        if kind == "MULTI_CONTACT" and isinstance(values, list):
            return [c for c in map(_contact, values) if c]
        if kind == "CONTACT":
            return _contact(obj)
        inner = obj.get("value")
        if isinstance(inner, str | int | float | bool):
            return inner
    if cell.value is not None and cell.value != "":
        return cell.value
    return cell.display_value


def _cannot_write(field: SalesforceField, column: SheetColumn) -> ConversionError:
    return ConversionError(
        field.name,
        f'{field.label}: column "{column.title}" ({column.type.value}) cannot hold this field',
    )


def _text_cell(text: str, field: SalesforceField) -> CellWrite:
    if len(text) > CELL_LIMIT:
        raise ConversionError(
            field.name,
            f"{field.label}: text is {len(text):,} characters long, "
            f"a sheet cell holds at most {CELL_LIMIT:,}",
        )
    return CellWrite(value=text)


def _text_number_cell(canon: Canon, field: SalesforceField, column: SheetColumn) -> CellWrite:
    kind = kind_of(field)
    if isinstance(canon, bool):
        return CellWrite(value="true" if canon else "false")
    if isinstance(canon, int | float):
        return CellWrite(value=f"{plain(canon)}%" if kind == Kind.PERCENT else canon)
    if isinstance(canon, tuple):
        return _text_cell(";".join(in_field_order(canon, field)), field)
    if canon is None:
        return CellWrite()
    if kind == Kind.DATETIME:
        return CellWrite(value=datetime_for_cell(canon))
    if kind == Kind.TIME:
        return CellWrite(value=time_for_cell(canon))
    return _text_cell(canon, field)


def _date_cell(canon: Canon, field: SalesforceField, column: SheetColumn) -> CellWrite:
    kind = kind_of(field)
    if kind not in (Kind.DATE, Kind.DATETIME) or not isinstance(canon, str):
        raise _cannot_write(field, column)
    return CellWrite(value=canon[:10])  # a date-time keeps its UTC date


def _checkbox_cell(canon: Canon, field: SalesforceField, column: SheetColumn) -> CellWrite:
    if not isinstance(canon, bool):
        raise _cannot_write(field, column)
    return CellWrite(value=canon)


def _fits_options(values: tuple[str, ...], field: SalesforceField, column: SheetColumn) -> bool:
    """Whether all values are options; a column restricted to its options refuses the rest."""
    outside = [v for v in values if v not in column.options]
    if outside and column.validation:
        where = f'column "{column.title}"'
        raise ConversionError(
            field.name, f"{field.label}: {shown(outside[0])} is not one of the options of {where}"
        )
    return not outside


def _picklist_cell(canon: Canon, field: SalesforceField, column: SheetColumn) -> CellWrite:
    if not isinstance(canon, str) or kind_of(field) not in (Kind.PICKLIST, Kind.TEXT):
        raise _cannot_write(field, column)
    # Always lenient: a strict PICKLIST write takes only the sheet's current options (1042),
    # and the options cached at set-up may have changed since. strict=False keeps a value
    # that is not an option as free text, as the UI does; a restricted column still
    # refuses it (validation), which _fits_options reports first.
    _fits_options((canon,), field, column)
    return CellWrite(value=canon, strict=False)


def _multi_picklist_cell(canon: Canon, field: SalesforceField, column: SheetColumn) -> CellWrite:
    if kind_of(field) not in (Kind.PICKLIST, Kind.MULTIPICKLIST):
        raise _cannot_write(field, column)
    values = canon if isinstance(canon, tuple) else (str(canon),)
    strict = _fits_options(values, field, column)
    ordered = in_field_order(values, field)
    return CellWrite(
        object_value={"objectType": "MULTI_PICKLIST", "values": ordered}, strict=strict
    )


def _contact_cell(canon: Canon, field: SalesforceField, column: SheetColumn) -> CellWrite:
    if kind_of(field) != Kind.EMAIL or not isinstance(canon, str):
        raise _cannot_write(field, column)
    return CellWrite(value=canon)


def _multi_contact_cell(canon: Canon, field: SalesforceField, column: SheetColumn) -> CellWrite:
    if kind_of(field) != Kind.EMAIL or not isinstance(canon, str):
        raise _cannot_write(field, column)
    contact = {"objectType": "CONTACT", "email": canon}
    return CellWrite(object_value={"objectType": "MULTI_CONTACT", "values": [contact]})


CELL_WRITERS: dict[ColumnType, Callable[[Canon, SalesforceField, SheetColumn], CellWrite]] = {
    ColumnType.TEXT_NUMBER: _text_number_cell,
    ColumnType.DATE: _date_cell,
    ColumnType.CHECKBOX: _checkbox_cell,
    ColumnType.PICKLIST: _picklist_cell,
    ColumnType.MULTI_PICKLIST: _multi_picklist_cell,
    ColumnType.CONTACT_LIST: _contact_cell,
    ColumnType.MULTI_CONTACT_LIST: _multi_contact_cell,
}
