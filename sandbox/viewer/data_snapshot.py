"""The sheets and the Salesforce records as plain tables of display strings, newest first,
read under each emulator's lock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.salesforce import SalesforceEmulator
from sandbox.salesforce.schema import FieldDef, ObjectDef
from sandbox.smartsheet import SmartsheetEmulator

MAX_ROWS = 50  # per sheet, in sheet order
MAX_RECORDS = 20  # per object, the most recently modified

# The columns of each object's standard list view; other objects get their name field and
# the next few of their own fields.
LIST_VIEWS = {
    "Opportunity": ("Name", "AccountId", "StageName", "Amount", "CloseDate", "LastModifiedDate"),
    "Account": ("Name", "Type", "Industry", "BillingCity", "Phone", "LastModifiedDate"),
    "Contact": ("Name", "AccountId", "Title", "Email", "LastModifiedDate"),
    "Lead": ("Name", "Company", "Status", "Email", "LastModifiedDate"),
    "Case": ("CaseNumber", "Subject", "Status", "Priority", "AccountId", "LastModifiedDate"),
    "User": ("Name", "Username", "Email", "IsActive"),
}
OBJECT_ORDER = ("Opportunity", "Account", "Contact", "Case", "Lead")
_SYSTEM = {"Id", "IsDeleted", "OwnerId", "CreatedById", "LastModifiedById", "SystemModstamp"}


@dataclass(frozen=True)
class Table:
    """A grid as a person reads it: a title, column headers, rows of display strings."""

    key: str  # sheet id or object API name
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: int  # rows in the source; more than len(rows) when the table is cut


# -- Smartsheet -----------------------------------------------------------------------------
def read_sheets(smartsheet: SmartsheetEmulator, max_rows: int = MAX_ROWS) -> tuple[Table, ...]:
    with smartsheet.lock:
        newest_first = sorted(smartsheet.sheets.values(), key=lambda s: s.modified_at, reverse=True)
        return tuple(_sheet_table(smartsheet.sheet(s.id), max_rows) for s in newest_first)


def _sheet_table(sheet: dict[str, Any], max_rows: int) -> Table:
    columns = [c for c in sheet.get("columns", []) if not c.get("hidden")]
    rows = sheet.get("rows", [])
    grid = []
    for row in rows[:max_rows]:
        cells = {c.get("columnId"): c for c in row.get("cells", [])}
        shown = (cell_text(cells.get(col["id"], {}), col) for col in columns)
        grid.append((str(row.get("rowNumber", "")), *shown))
    titles = ("", *(str(c["title"]) for c in columns))
    return Table(str(sheet["id"]), str(sheet["name"]), titles, tuple(grid), len(rows))


def cell_text(cell: dict[str, Any], column: dict[str, Any]) -> str:
    if column.get("type") == "CHECKBOX":
        return "☑" if cell.get("value") is True else "☐"
    shown = cell.get("displayValue", cell.get("value"))
    return "" if shown is None else str(shown)


# -- Salesforce -----------------------------------------------------------------------------
def read_records(
    salesforce: SalesforceEmulator, max_records: int = MAX_RECORDS
) -> tuple[Table, ...]:
    with salesforce.lock:
        catalog = salesforce.catalog
        records = {name: salesforce.records(name) for name in _ordered(catalog)}
    names = {r["Id"]: str(r.get("Name") or r["Id"]) for rows in records.values() for r in rows}
    return tuple(
        _record_table(catalog[name], rows, names, max_records)
        for name, rows in records.items()
        if rows
    )


def _ordered(catalog: dict[str, ObjectDef]) -> list[str]:
    rest = [name for name in catalog if name not in OBJECT_ORDER]
    return [name for name in OBJECT_ORDER if name in catalog] + rest


def _record_table(
    obj: ObjectDef, rows: list[dict[str, Any]], names: dict[str, str], limit: int
) -> Table:
    fields = list_view(obj)
    newest = sorted(rows, key=lambda r: (str(r.get("LastModifiedDate") or ""), r["Id"]))[::-1]
    grid = tuple(
        (str(r["Id"]), *(field_text(r.get(f.name), f, names) for f in fields))
        for r in newest[:limit]
    )
    titles = ("Id", *(_header(f) for f in fields))
    return Table(obj.name, obj.label_plural, titles, grid, len(rows))


def _header(field: FieldDef) -> str:
    # A lookup column shows the record's name, as in a list view: "Account", not "Account ID".
    return field.label.removesuffix(" ID") if field.reference_to else field.label


def list_view(obj: ObjectDef) -> list[FieldDef]:
    wanted = LIST_VIEWS.get(obj.name)
    if wanted is None:
        own = [f.name for f in obj.fields if f.name not in _SYSTEM and not f.name_field]
        wanted = (obj.name_field.name, *own[:5])
    return [f for f in (obj.field(name) for name in wanted) if f is not None]


def field_text(value: Any, field: FieldDef, names: dict[str, str]) -> str:
    if value is None:
        return ""
    if field.reference_to:
        return names.get(str(value), str(value))
    if isinstance(value, bool):
        return "✓" if value else ""
    if field.type == "currency" and isinstance(value, int | float):
        return f"{value:,.2f}"
    if field.type == "datetime":
        return str(value)[:16].replace("T", " ")
    return str(value)
