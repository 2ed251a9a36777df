"""Answers to the builder's external selects (type-ahead), within Slack's limits:
at most 100 options in all, texts of at most 75 characters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from handlers.builder.ids import NEW_COLUMN_VALUE, NEW_SHEET_VALUE
from handlers.views.kit import option, plain
from handlers.views.limits import MAX_OPTIONS, guard_options
from sync.convert import Compat, Compatibility
from sync.model import SalesforceField, SheetColumn
from sync.ports import ObjectInfo, SheetInfo

Options = dict[str, Any]


def object_options(objects: Sequence[ObjectInfo]) -> Options:
    """Grouped Standard / Custom, label first with the API name (which tells them apart)."""
    standard = [o for o in objects if not o.custom]
    custom = [o for o in objects if o.custom]
    # Share the 100 options so that a search matching many standard objects still shows
    # the custom ones (up to half the list), which are what people look for most.
    standard = standard[: MAX_OPTIONS - min(len(custom), MAX_OPTIONS // 2)]
    custom = custom[: MAX_OPTIONS - len(standard)]
    groups = [
        (label, items) for label, items in (("Standard", standard), ("Custom", custom)) if items
    ]
    return guard_options(
        {
            "option_groups": [
                {"label": plain(label, 75), "options": [_object(o) for o in items]}
                for label, items in groups
            ]
        }
    )


def _object(info: ObjectInfo) -> dict[str, Any]:
    return option(f"{info.label} ({info.name})", info.name)


def field_options(fields: Sequence[SalesforceField]) -> Options:
    return guard_options({"options": [_field(f) for f in fields[:MAX_OPTIONS]]})


def _field(field: SalesforceField) -> dict[str, Any]:
    read_only = "" if field.writable else " · read-only"
    return option(f"{field.label} ({field.name}){read_only}", field.name)


def sheet_options(sheets: Sequence[SheetInfo], query: str) -> Options:
    """Sheets the user may edit (syncbot writes with their rights), and New sheet."""
    q = query.strip().lower()
    editable = [s for s in sheets if s.editable and q in s.name.lower()]
    items = [option("+ New sheet", NEW_SHEET_VALUE)]
    items += [option(s.name, str(s.id)) for s in editable[: MAX_OPTIONS - 1]]
    return guard_options({"options": items})


def column_options(columns: Sequence[tuple[SheetColumn, Compatibility]], query: str) -> Options:
    """For sheets too wide for a static list: compatible columns only, and new column."""
    q = query.strip().lower()
    usable = [(c, v) for c, v in columns if v.level is not Compat.NO and q in c.title.lower()]
    items = [option("+ New column", NEW_COLUMN_VALUE)]
    items += [
        option(("⚠ " if v.level is Compat.WARN else "") + c.title, c.title)
        for c, v in usable[: MAX_OPTIONS - 1]
    ]
    return guard_options({"options": items})
