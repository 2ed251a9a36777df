"""JSON forms of sheets, columns, rows, cells and discussions as the API returns them.

What a cell looks like depends on the column type and on the request: ``level`` decides
whether MULTI_PICKLIST / MULTI_CONTACT_LIST columns show as themselves (level 2 / 1) or
as TEXT_NUMBER holding a joined string (the backward-compatible default), and
``include=objectValue`` adds the typed ``objectValue``. CHECKBOX and DATE cells carry no
``displayValue``; an empty cell is just ``{"columnId": ...}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import formulas
from .model import (
    MULTI_TYPES,
    Cell,
    Column,
    Comment,
    Discussion,
    Row,
    Sheet,
    SsUser,
    can_admin,
    iso,
)

People = Mapping[str, SsUser]  # alias -> user
_NO_DISPLAY = {"CHECKBOX", "DATE", "DATETIME", "ABSTRACT_DATETIME"}


@dataclass(frozen=True)
class View:
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    level: int = 0
    column_ids: frozenset[int] | None = None
    for_editor: bool = False  # the caller cannot unlock: locked things are lockedForUser

    def has(self, name: str) -> bool:
        return name in self.include

    @property
    def writer_info(self) -> bool:
        return "rowWriterInfo" in self.include or "writerInfo" in self.include

    def shows(self, column: Column) -> bool:
        return self.column_ids is None or column.id in self.column_ids


def effective_type(column: Column, level: int) -> str:
    needed = MULTI_TYPES.get(column.type)
    return "TEXT_NUMBER" if needed is not None and level < needed else column.type


def column_json(
    column: Column, index: int, level: int = 0, for_editor: bool = False
) -> dict[str, Any]:
    shown = effective_type(column, level)
    out: dict[str, Any] = {
        "id": column.id,
        "version": MULTI_TYPES.get(shown, 0),
        "index": index,
        "title": column.title,
        "type": shown,
    }
    if column.primary:
        out["primary"] = True
    if column.options is not None and shown in ("PICKLIST", "MULTI_PICKLIST"):
        out["options"] = list(column.options)
    if column.contact_options and shown in ("CONTACT_LIST", "MULTI_CONTACT_LIST"):
        out["contactOptions"] = [dict(option) for option in column.contact_options]
    optional = {
        "symbol": column.symbol,
        "systemColumnType": column.system_column_type,
        "autoNumberFormat": column.auto_number_format,
        "description": column.description,
        "tags": column.tags,
        "formula": column.formula,
    }
    out.update({key: value for key, value in optional.items() if value})
    out["validation"] = column.validation
    out["width"] = column.width
    if column.hidden:
        out["hidden"] = True
    if column.locked:
        out.update(locked=True, lockedForUser=for_editor)
    return out


def display_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value)


class SheetRenderer:
    """Renders one sheet for one caller."""

    def __init__(self, sheet: Sheet, people: People, view: View) -> None:
        self.sheet = sheet
        self.people = people
        self.view = view
        self._by_title = {c.title: c for c in sheet.columns}
        self._evaluating: set[tuple[int, int]] = set()

    # -- cells ----------------------------------------------------------------------
    def cell(self, row: Row, column: Column) -> dict[str, Any] | None:
        out: dict[str, Any] = {"columnId": column.id}
        shown = effective_type(column, self.view.level)
        if self.view.has("columnType"):
            out["columnType"] = shown
        if column.system_column_type:
            self._system_cell(out, row, column)
            return out
        if column.formula:  # a column formula decides every cell of the column
            out["formula"] = column.formula
            formula_cell = Cell(formula=column.formula)
            self._put_value(out, Cell(value=self._formula_value(row, column, formula_cell)), shown)
            return out
        stored = row.cells.get(column.id)
        if stored is None:
            return None if "nonexistentCells" in self.view.exclude else out
        if stored.formula is not None:
            out["formula"] = stored.formula
            self._put_value(out, Cell(value=self._formula_value(row, column, stored)), shown)
        else:
            self._put_value(out, stored, shown)
        if stored.hyperlink:
            out["hyperlink"] = _hyperlink(stored.hyperlink)
        if stored.link_in:
            out["linkInFromCell"] = {"status": "OK", **stored.link_in}
        return out

    def _put_value(self, out: dict[str, Any], cell: Cell, shown: str) -> None:
        if cell.items:
            self._put_items(out, cell.items, shown)
        elif cell.contact is not None:
            out.update(value=cell.contact["email"], displayValue=cell.contact["name"])
            if self.view.has("objectValue"):
                out["objectValue"] = {"objectType": "CONTACT", **cell.contact}
        elif cell.value not in (None, ""):
            out["value"] = cell.value
            if shown not in _NO_DISPLAY:
                out["displayValue"] = display_text(cell.value)
            if self.view.has("objectValue"):
                out["objectValue"] = (
                    {"objectType": "DATE", "value": cell.value} if shown == "DATE" else cell.value
                )

    def _put_items(self, out: dict[str, Any], items: list[Any], shown: str) -> None:
        contacts = isinstance(items[0], dict)
        labels = [item["name"] for item in items] if contacts else [display_text(i) for i in items]
        joined = ", ".join(labels)
        if shown == "TEXT_NUMBER":  # backward-compatible view of a MULTI_* column
            out.update(value=joined, displayValue=joined)
            if self.view.has("objectValue"):
                out["objectValue"] = joined
            return
        out["displayValue"] = joined
        if self.view.has("objectValue"):
            out["objectValue"] = (
                {
                    "objectType": "MULTI_CONTACT",
                    "values": [{"objectType": "CONTACT", **item} for item in items],
                }
                if contacts
                else {"objectType": "MULTI_PICKLIST", "values": list(items)}
            )

    def _system_cell(self, out: dict[str, Any], row: Row, column: Column) -> None:
        kind = column.system_column_type
        if kind in ("CREATED_DATE", "MODIFIED_DATE"):
            out["value"] = iso(row.created_at if kind == "CREATED_DATE" else row.modified_at)
        elif kind in ("CREATED_BY", "MODIFIED_BY"):
            person = self.people[row.created_by if kind == "CREATED_BY" else row.modified_by]
            self._put_value(out, Cell(contact=person.contact()), column.type)
        elif (stored := row.cells.get(column.id)) is not None:  # AUTO_NUMBER
            self._put_value(out, stored, column.type)

    def plain_value(self, row: Row, column: Column) -> Any:
        """The primitive a formula sees when it refers to this cell."""
        if column.formula:
            return self._formula_value(row, column, Cell(formula=column.formula))
        stored = row.cells.get(column.id)
        if stored is None:
            return None
        if stored.formula is not None:
            return self._formula_value(row, column, stored)
        if stored.contact is not None:
            return stored.contact["email"]
        if stored.items:
            return ", ".join(display_text(i) for i in stored.items)
        return stored.value

    def _formula_value(self, row: Row, column: Column, stored: Cell) -> Any:
        key = (row.id, column.id)
        if key in self._evaluating:  # a circular reference
            return "#CIRCULAR REFERENCE"
        self._evaluating.add(key)
        try:
            return formulas.evaluate(
                stored.formula or "", lambda title, number: self._ref(row, title, number)
            )
        finally:
            self._evaluating.discard(key)

    def _ref(self, row: Row, title: str, number: int | None) -> Any:
        column = self._by_title[title]
        target = row if number is None else self.sheet.rows[number - 1]
        return self.plain_value(target, column)

    # -- rows -----------------------------------------------------------------------
    def row(
        self, row: Row, number: int, *, sibling: int | None, sheet_fields: bool = False
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"id": row.id}
        if sheet_fields:
            out["sheetId"] = self.sheet.id
        out["rowNumber"] = number
        if row.parent_id is not None:
            out["parentId"] = row.parent_id
        if sibling is not None:
            out["siblingId"] = sibling
        out["expanded"] = row.expanded
        if row.locked:
            out.update(locked=True, lockedForUser=self.view.for_editor)
        out.update(createdAt=iso(row.created_at), modifiedAt=iso(row.modified_at))
        if self.view.writer_info:
            out["createdBy"] = self.people[row.created_by].contact()
            out["modifiedBy"] = self.people[row.modified_by].contact()
        if self.view.has("rowPermalink"):
            out["permalink"] = f"{self.sheet.permalink}&row={row.id}"
        cells = [self.cell(row, c) for c in self.sheet.columns if self.view.shows(c)]
        out["cells"] = [cell for cell in cells if cell is not None]
        if self.view.has("discussions"):
            found = [d for d in self.sheet.discussions if d.row_id == row.id]
            out["discussions"] = [discussion_json(d, self.people, True) for d in found]
        return out

    def rows(self, rows: list[Row], *, sheet_fields: bool = False) -> list[dict[str, Any]]:
        positions = row_positions(self.sheet)
        return [
            self.row(r, positions[r.id][0], sibling=positions[r.id][1], sheet_fields=sheet_fields)
            for r in rows
        ]

    def columns(self) -> list[dict[str, Any]]:
        return [
            column_json(c, i, self.view.level, self.view.for_editor)
            for i, c in enumerate(self.sheet.columns)
            if self.view.shows(c)
        ]


def _hyperlink(link: dict[str, Any]) -> dict[str, Any]:
    """Links to a sheet or report come back with that object's permalink as ``url``."""
    target = link.get("sheetId") or link.get("reportId") or link.get("sightId")
    if link.get("url") or not isinstance(target, int):
        return dict(link)
    return {"url": f"https://app.smartsheet.com/b/home?lx={_base36(target)}", **link}


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while number:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
    return text or "0"


def row_positions(sheet: Sheet) -> dict[int, tuple[int, int | None]]:
    """row id -> (rowNumber, siblingId): the sibling is the previous row with the same parent."""
    last_child: dict[int | None, int] = {}
    positions: dict[int, tuple[int, int | None]] = {}
    for number, row in enumerate(sheet.rows, start=1):
        positions[row.id] = (number, last_child.get(row.parent_id))
        last_child[row.parent_id] = row.id
    return positions


def comment_json(comment: Comment, people: People) -> dict[str, Any]:
    return {
        "id": comment.id,
        "text": comment.text,
        "createdBy": people[comment.created_by].contact(),
        "createdAt": iso(comment.created_at),
        "modifiedAt": iso(comment.modified_at),
    }


def discussion_json(discussion: Discussion, people: People, with_comments: bool) -> dict[str, Any]:
    last = discussion.comments[-1]
    out: dict[str, Any] = {"id": discussion.id, "title": discussion.title}
    if with_comments:
        out["comments"] = [comment_json(c, people) for c in discussion.comments]
    out.update(
        commentCount=len(discussion.comments),
        accessLevel="OWNER",
        parentId=discussion.row_id,
        parentType="ROW" if discussion.row_id is not None else "SHEET",
        lastCommentedAt=iso(last.created_at),
        lastCommentedUser=people[last.created_by].contact(),
        createdBy=people[discussion.created_by].contact(),
        readOnly=False,
    )
    return out


def sheet_summary(
    sheet: Sheet, alias: str, include: frozenset[str], people: People
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": sheet.id,
        "name": sheet.name,
        "accessLevel": sheet.access_level(alias),
    }
    if "sheetVersion" in include:
        out["version"] = sheet.version
    if "ownerInfo" in include:
        out.update(owner=people[sheet.owner].email, ownerId=people[sheet.owner].id)
    out.update(
        permalink=sheet.permalink,
        createdAt=iso(sheet.created_at),
        modifiedAt=iso(sheet.modified_at),
    )
    return out


def sheet_json(
    sheet: Sheet, alias: str, view: View, rows: list[Row], people: People
) -> dict[str, Any]:
    level = sheet.access_level(alias)
    renderer = SheetRenderer(sheet, people, view)
    out: dict[str, Any] = {
        "id": sheet.id,
        "name": sheet.name,
        "version": sheet.version,
        "totalRowCount": len(sheet.rows),
        "accessLevel": level,
        "effectiveAttachmentOptions": [
            "FILE",
            "ONEDRIVE",
            "GOOGLE_DRIVE",
            "DROPBOX",
            "BOX_COM",
            "EVERNOTE",
            "EGNYTE",
            "LINK",
        ],
        "ganttEnabled": False,
        "dependenciesEnabled": False,
        "resourceManagementEnabled": False,
        "cellImageUploadEnabled": True,
        "userSettings": {"criticalPathEnabled": False, "displaySummaryTasks": True},
        "userPermissions": {
            "summaryPermissions": "ADMIN"
            if can_admin(level)
            else "READ_WRITE"
            if level != "VIEWER"
            else "READ_ONLY"
        },
        "hasSummaryFields": False,
        "permalink": sheet.permalink,
        "createdAt": iso(sheet.created_at),
        "modifiedAt": iso(sheet.modified_at),
        "isMultiPicklistAvailable": True,
    }
    if view.has("ownerInfo"):
        out.update(owner=people[sheet.owner].email, ownerId=people[sheet.owner].id)
    out["columns"] = renderer.columns()
    out["rows"] = renderer.rows(rows)
    if view.has("discussions"):
        out["discussions"] = [discussion_json(d, people, True) for d in sheet.discussions]
    return out


def success(result: Any = None, version: int | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"message": "SUCCESS", "resultCode": 0}
    if result is not None:
        body["result"] = result
    if version is not None:
        body["version"] = version
    body.update(extra)
    return body
