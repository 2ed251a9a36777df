"""Column definitions from request bodies: creating sheets, adding and updating columns."""

from __future__ import annotations

from typing import Any

from . import errors
from .model import Column, IdSource, Sheet

COLUMN_TYPES = {
    "TEXT_NUMBER",
    "DATE",
    "DATETIME",
    "ABSTRACT_DATETIME",
    "CHECKBOX",
    "PICKLIST",
    "MULTI_PICKLIST",
    "CONTACT_LIST",
    "MULTI_CONTACT_LIST",
    "DURATION",
    "PREDECESSOR",
}
_PROJECT_TYPES = {"ABSTRACT_DATETIME", "DURATION", "PREDECESSOR"}
_SYSTEM_TYPES = {
    "AUTO_NUMBER": "TEXT_NUMBER",
    "CREATED_BY": "CONTACT_LIST",
    "MODIFIED_BY": "CONTACT_LIST",
    "CREATED_DATE": "DATETIME",
    "MODIFIED_DATE": "DATETIME",
}
_OPTION_TYPES = {"PICKLIST", "MULTI_PICKLIST"}
_CONTACT_TYPES = {"CONTACT_LIST", "MULTI_CONTACT_LIST"}


def new_column(raw: Any, ids: IdSource) -> Column:
    if not isinstance(raw, dict):
        raise errors.unparsable("each column must be a JSON object")
    for required in ("title", "type"):
        if not raw.get(required):
            raise errors.missing_attribute(f"column.{required}")
    column = Column(
        id=ids.next(),
        title=str(raw["title"]),
        type=str(raw["type"]),
        primary=raw.get("primary") is True,
    )
    _apply_attributes(column, raw)
    return column


def _apply_attributes(column: Column, raw: dict[str, Any]) -> None:
    kind = str(raw.get("type", column.type))
    system = raw.get("systemColumnType", column.system_column_type)
    _check_type(kind, system)
    if raw.get("options") and kind not in _OPTION_TYPES:
        raise errors.options_not_allowed(kind)
    if raw.get("contactOptions") and kind not in _CONTACT_TYPES:
        raise errors.options_not_allowed(kind)
    column.type, column.system_column_type = kind, system
    if "options" in raw:
        column.options = [str(option) for option in raw["options"] or []]
    elif kind not in _OPTION_TYPES:
        column.options = None
    if "contactOptions" in raw:
        column.contact_options = list(raw["contactOptions"] or [])
    if "formula" in raw:
        column.formula = _column_formula(raw["formula"])
    simple = {
        "validation": "validation",
        "width": "width",
        "hidden": "hidden",
        "locked": "locked",
        "symbol": "symbol",
        "description": "description",
        "autoNumberFormat": "auto_number_format",
        "title": "title",
    }
    for key, attribute in simple.items():
        if key in raw:
            setattr(column, attribute, raw[key])


def _column_formula(formula: Any) -> str | None:
    """A column formula (e.g. ``=Amount@row * 2``); null or "" removes it."""
    if formula in (None, ""):
        return None
    if not isinstance(formula, str) or not formula.startswith("="):
        raise errors.formula_without_equals()
    return formula


def _check_type(kind: str, system: Any) -> None:
    if kind not in COLUMN_TYPES:
        raise errors.invalid_attribute_value(kind, "column.type")
    if kind in _PROJECT_TYPES:
        raise errors.project_column_type(kind)
    if system is None:
        if kind == "DATETIME":
            raise errors.system_type_only()
        return
    if _SYSTEM_TYPES.get(system) != kind:
        raise errors.ApiError(
            400, 1079, f"Column type {kind} is not supported for system column type {system}."
        )


def check_new_sheet_columns(columns: list[Column]) -> None:
    if sum(c.primary for c in columns) != 1:
        raise errors.one_primary_column()
    if any(c.primary and c.type != "TEXT_NUMBER" for c in columns):
        raise errors.primary_must_be_text()
    if len({c.title for c in columns}) != len(columns):
        raise errors.input_titles_not_unique()


def add_columns(sheet: Sheet, raws: list[Any], ids: IdSource) -> list[Column]:
    """Insert new columns at their ``index`` (required, 0..column count)."""
    added: list[tuple[int, Column]] = []
    for raw in raws:
        column = new_column(raw, ids)
        index = raw.get("index")
        if index is None:
            raise errors.missing_attribute("column.index")
        if not isinstance(index, int) or not 0 <= index <= len(sheet.columns) + len(added):
            raise errors.invalid_attribute_value(index, "column.index")
        if column.primary:
            raise errors.attribute_not_allowed("column.primary")
        added.append((index, column))
    titles = [c.title for _, c in added]
    if len(set(titles)) != len(titles):
        raise errors.input_titles_not_unique()
    if set(titles) & {c.title for c in sheet.columns}:
        raise errors.titles_not_unique()
    for index, column in added:
        sheet.columns.insert(index, column)
    return [column for _, column in added]


def update_column(sheet: Sheet, column: Column, raw: Any) -> None:
    if not isinstance(raw, dict):
        raise errors.unparsable("the column must be a JSON object")
    if column.primary and raw.get("type", "TEXT_NUMBER") != "TEXT_NUMBER":
        raise errors.primary_must_be_text()
    title = raw.get("title")
    if title is not None and any(c.title == title and c is not column for c in sheet.columns):
        raise errors.titles_not_unique()
    _apply_attributes(column, raw)
    index = raw.get("index")
    if index is not None:
        if not isinstance(index, int) or not 0 <= index < len(sheet.columns):
            raise errors.invalid_attribute_value(index, "column.index")
        sheet.columns.remove(column)
        sheet.columns.insert(index, column)


def delete_column(sheet: Sheet, column: Column) -> None:
    if column.primary:
        raise errors.column_not_deletable()
    sheet.columns.remove(column)
    for row in sheet.rows:
        row.cells.pop(column.id, None)
