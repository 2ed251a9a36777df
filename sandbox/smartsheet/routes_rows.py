"""Rows (add, update, delete, get) and row discussions with their comments."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from sandbox.core import json_response

from . import errors, query, rows
from .access import commentable_sheet, request_view, visible_sheet, writable_sheet
from .api import Caller, endpoint
from .model import Comment, Discussion, can_admin
from .render import SheetRenderer, comment_json, discussion_json, row_positions, success

if TYPE_CHECKING:
    from .emulator import SmartsheetEmulator


class RowRoutes:
    @endpoint("WRITE_SHEETS")
    def on_rows_add(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int
    ) -> Response:
        return _bulk(self, request, caller, sheet_id, rows.add_rows)

    @endpoint("WRITE_SHEETS")
    def on_rows_update(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int
    ) -> Response:
        return _bulk(self, request, caller, sheet_id, rows.update_rows)

    @endpoint("WRITE_SHEETS")
    def on_rows_delete(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int
    ) -> Response:
        sheet = writable_sheet(self, sheet_id, caller)
        ids = query.ids(request.args, "ids")
        if not ids:
            raise errors.missing_parameter("ids")
        ignore = bool(query.flag(request.args, "ignoreRowsNotFound"))
        admin = can_admin(sheet.access_level(caller.alias))
        deleted = rows.delete_rows(sheet, ids, ignore, may_edit_locked=admin)
        if deleted:
            sheet.touch(self.moment())
        return json_response(success(deleted, sheet.version))

    @endpoint("READ_SHEETS")
    def on_rows_get(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int, row_id: int
    ) -> Response:
        sheet = visible_sheet(self, sheet_id, caller)
        row = sheet.row(row_id)
        if row is None:
            raise errors.not_found()
        renderer = SheetRenderer(sheet, self.users, request_view(request, sheet, caller))
        number, sibling = row_positions(sheet)[row.id]
        out = renderer.row(row, number, sibling=sibling, sheet_fields=True)
        out.update(version=sheet.version, accessLevel=sheet.access_level(caller.alias))
        return json_response(out)

    # -- discussions ------------------------------------------------------------------
    @endpoint("WRITE_SHEETS")
    def on_discussions_create(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int, row_id: int
    ) -> Response:
        sheet = commentable_sheet(self, sheet_id, caller)
        if sheet.row(row_id) is None:
            raise errors.not_found()
        body = query.json_body(request)
        comment = body.get("comment") if isinstance(body, dict) else None
        if not isinstance(comment, dict):
            raise errors.missing_attribute("discussion.comment")
        text = _comment_text(comment, "discussion.comment")
        moment = self.moment()
        discussion = Discussion(
            self.ids.next(), row_id, str(body.get("title") or text), caller.alias
        )
        discussion.comments.append(Comment(self.ids.next(), text, caller.alias, moment, moment))
        sheet.discussions.append(discussion)
        sheet.touch(moment)
        return json_response(success(discussion_json(discussion, self.users, True), sheet.version))

    @endpoint("READ_SHEETS")
    def on_discussions_list(
        self: SmartsheetEmulator, request: Request, caller: Caller, sheet_id: int, row_id: int
    ) -> Response:
        sheet = visible_sheet(self, sheet_id, caller)
        if sheet.row(row_id) is None:
            raise errors.not_found()
        with_comments = "comments" in query.words(request.args, "include")
        found = [
            discussion_json(d, self.users, with_comments)
            for d in sheet.discussions
            if d.row_id == row_id
        ]
        return json_response(query.page(found, request.args))

    @endpoint("WRITE_SHEETS")
    def on_comments_add(
        self: SmartsheetEmulator,
        request: Request,
        caller: Caller,
        sheet_id: int,
        discussion_id: int,
    ) -> Response:
        sheet = commentable_sheet(self, sheet_id, caller)
        discussion = next((d for d in sheet.discussions if d.id == discussion_id), None)
        if discussion is None:
            raise errors.not_found()
        body = query.json_body(request)
        if not isinstance(body, dict):
            raise errors.unparsable("the comment must be a JSON object")
        moment = self.moment()
        comment = Comment(
            self.ids.next(), _comment_text(body, "comment"), caller.alias, moment, moment
        )
        discussion.comments.append(comment)
        sheet.touch(moment)
        return json_response(success(comment_json(comment, self.users), sheet.version))


def _bulk(
    emulator: SmartsheetEmulator,
    request: Request,
    caller: Caller,
    sheet_id: int,
    operation: Callable[[rows.RowWrite, list[Any], bool], rows.BulkOutcome],
) -> Response:
    """Shared by add and update: the Result (or PARTIAL_SUCCESS BulkItemResult) envelope."""
    sheet = writable_sheet(emulator, sheet_id, caller)
    raws = rows.as_row_list(query.json_body(request))
    partial = bool(query.flag(request.args, "allowPartialSuccess"))
    adding = operation is rows.add_rows
    job = emulator.row_job(sheet, caller.alias, adding=adding)
    outcome = operation(job, raws, partial)
    if outcome.rows:
        sheet.touch(job.moment)
    renderer = SheetRenderer(sheet, emulator.users, request_view(request, sheet, caller))
    body = success(renderer.rows(outcome.rows, sheet_fields=adding), sheet.version)
    if partial and outcome.failures:
        body.update(message="PARTIAL_SUCCESS", resultCode=3, failedItems=outcome.failures)
    return json_response(body)


def _comment_text(comment: dict[str, Any], prefix: str) -> str:
    if "createdBy" in comment:
        raise errors.attribute_not_allowed(f"{prefix}.createdBy")
    text = comment.get("text")
    if not text:
        raise errors.missing_attribute("comment.text")
    return str(text)
