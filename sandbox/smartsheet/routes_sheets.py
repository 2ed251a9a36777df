"""Current user, sheets (list, create, get, version) and columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from sandbox.core import json_response

from . import columns, errors, query
from .access import admin_sheet, request_view, visible_sheet
from .api import Caller, endpoint
from .model import Row, Sheet, can_admin, iso
from .render import column_json, sheet_json, sheet_summary, success
from .seed import make_sheet

if TYPE_CHECKING:
    from .emulator import SmartsheetEmulator


class SheetRoutes:
    @endpoint()
    def on_users_me(self: SmartsheetEmulator, request: Request, caller: Caller) -> Response:
        user = caller.user
        owned = sum(1 for s in self.sheets.values() if s.owner == user.alias)
        return json_response(
            {
                "id": user.id,
                "email": user.email,
                "firstName": user.first_name,
                "lastName": user.last_name,
                "locale": "en_US",
                "timeZone": "US/Pacific",
                "account": {"name": "Syncbot Sandbox", "id": self.account_id},
                "admin": user.alias == "owner",
                "licensedSheetCreator": True,
                "groupAdmin": False,
                "resourceViewer": False,
                "alternateEmails": [],
                "sheetCount": owned,
                "lastLogin": iso(self.clock()),
                "title": "",
                "department": "",
                "company": "",
                "workPhone": "",
                "mobilePhone": "",
                "role": "",
            }
        )

    # -- sheets -----------------------------------------------------------------------
    @endpoint("READ_SHEETS")
    def on_sheets_list(self: SmartsheetEmulator, request: Request, caller: Caller) -> Response:
        include = query.words(request.args, "include")
        since = query.timestamp(request.args, "modifiedSince")
        visible = sorted(
            (s for s in self.sheets.values() if s.access_level(caller.alias)),
            key=lambda s: s.name.lower(),
        )
        if since is not None:
            visible = [s for s in visible if s.modified_at >= since]
        data = [sheet_summary(s, caller.alias, include, self.users) for s in visible]
        return json_response(query.page(data, request.args))

    @endpoint("CREATE_SHEETS")
    def on_sheets_create(self: SmartsheetEmulator, request: Request, caller: Caller) -> Response:
        body = query.json_body(request)
        if not isinstance(body, dict):
            raise errors.unparsable("the sheet must be a JSON object")
        if not body.get("name"):
            raise errors.missing_attribute("sheet.name")
        raw_columns = body.get("columns")
        if not raw_columns or not isinstance(raw_columns, list):
            raise errors.sheet_needs_columns()
        sheet = make_sheet(self.ids, str(body["name"]), raw_columns, caller.alias, self.moment())
        self.sheets[sheet.id] = sheet
        result = {
            "id": sheet.id,
            "name": sheet.name,
            "accessLevel": "OWNER",
            "permalink": sheet.permalink,
            "columns": [column_json(c, i) for i, c in enumerate(sheet.columns)],
        }
        return json_response(success(result))

    @endpoint("READ_SHEETS")
    def on_sheets_get(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int
    ) -> Response:
        sheet = visible_sheet(self, sheet_id, caller)
        args = request.args
        after = query.integer(args, "ifVersionAfter")
        if after is not None and after >= sheet.version:
            return json_response({"version": sheet.version})
        view = request_view(request, sheet, caller)
        rows = _select_rows(sheet, args)
        return json_response(sheet_json(sheet, caller.alias, view, rows, self.users))

    @endpoint("READ_SHEETS")
    def on_sheets_version(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int
    ) -> Response:
        return json_response({"version": visible_sheet(self, sheet_id, caller).version})

    @endpoint("DELETE_SHEETS")
    def on_sheets_delete(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int
    ) -> Response:
        """Only the owner deletes a sheet (Admins cannot); it is gone for every share."""
        sheet = visible_sheet(self, sheet_id, caller)
        if sheet.access_level(caller.alias) != "OWNER":
            raise errors.not_authorized()
        del self.sheets[sheet.id]
        return json_response(success())

    # -- columns ----------------------------------------------------------------------
    @endpoint("READ_SHEETS")
    def on_columns_list(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int
    ) -> Response:
        sheet = visible_sheet(self, sheet_id, caller)
        level = query.integer(request.args, "level") or 0
        editor = not can_admin(sheet.access_level(caller.alias))
        data = [column_json(c, i, level, editor) for i, c in enumerate(sheet.columns)]
        return json_response(query.page(data, request.args))

    @endpoint("READ_SHEETS")
    def on_columns_get(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int, column_id: int
    ) -> Response:
        sheet = visible_sheet(self, sheet_id, caller)
        column = _column(sheet, column_id)
        level = query.integer(request.args, "level") or 0
        editor = not can_admin(sheet.access_level(caller.alias))
        return json_response(column_json(column, sheet.columns.index(column), level, editor))

    @endpoint("ADMIN_SHEETS")
    def on_columns_add(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int
    ) -> Response:
        sheet = admin_sheet(self, sheet_id, caller)
        body = query.json_body(request)
        added = columns.add_columns(sheet, body if isinstance(body, list) else [body], self.ids)
        sheet.touch(self.moment())
        rendered = [column_json(c, sheet.columns.index(c)) for c in added]
        return json_response(success(rendered if isinstance(body, list) else rendered[0]))

    @endpoint("ADMIN_SHEETS")
    def on_columns_update(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int, column_id: int
    ) -> Response:
        sheet = admin_sheet(self, sheet_id, caller)
        column = _column(sheet, column_id)
        columns.update_column(sheet, column, query.json_body(request))
        sheet.touch(self.moment())
        return json_response(success(column_json(column, sheet.columns.index(column))))

    @endpoint("ADMIN_SHEETS")
    def on_columns_delete(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int, column_id: int
    ) -> Response:
        sheet = admin_sheet(self, sheet_id, caller)
        columns.delete_column(sheet, _column(sheet, column_id))
        sheet.touch(self.moment())
        return json_response(success(version=sheet.version))


def _column(sheet: Sheet, column_id: int) -> Any:
    column = sheet.column(column_id)
    if column is None:
        raise errors.not_found()
    return column


def _select_rows(sheet: Sheet, args: query.Args) -> list[Row]:
    rows = list(sheet.rows)
    wanted = query.ids(args, "rowIds")
    if wanted is not None:
        rows = [r for r in rows if r.id in set(wanted)]
    numbers = query.ids(args, "rowNumbers")
    if numbers is not None:
        rows = [r for r in rows if sheet.rows.index(r) + 1 in set(numbers)]
    since = query.timestamp(args, "rowsModifiedSince")
    if since is not None:
        rows = [r for r in rows if r.modified_at >= since]
    size = query.integer(args, "pageSize", minimum=1)
    page = query.integer(args, "page", minimum=1)
    if size is not None or page is not None:
        size = size or query.DEFAULT_PAGE_SIZE
        start = ((page or 1) - 1) * size
        rows = rows[start : start + size]
    return rows
