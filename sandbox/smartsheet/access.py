"""Who may see or change a sheet, and what a read asks for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Request

from . import errors, query
from .api import Caller
from .model import Sheet, can_admin, can_comment, can_write
from .render import View

if TYPE_CHECKING:
    from .emulator import SmartsheetEmulator


def visible_sheet(emulator: SmartsheetEmulator, sheet_id: int, caller: Caller) -> Sheet:
    sheet = emulator.sheets.get(sheet_id)
    if sheet is None or sheet.access_level(caller.alias) is None:
        raise errors.not_found()
    return sheet


def admin_sheet(emulator: SmartsheetEmulator, sheet_id: int, caller: Caller) -> Sheet:
    sheet = visible_sheet(emulator, sheet_id, caller)
    if not can_admin(sheet.access_level(caller.alias)):
        raise errors.not_authorized()
    return sheet


def request_view(request: Request, sheet: Sheet, caller: Caller | None = None) -> View:
    """include / exclude / level / columnIds of a read, checked against the sheet; locks
    show as ``lockedForUser`` to a caller who is neither Owner nor Admin."""
    args = request.args
    wanted = query.ids(args, "columnIds")
    for column_id in wanted or ():
        if sheet.column(column_id) is None:
            raise errors.invalid_column_id(column_id)
    return View(
        include=query.words(args, "include"),
        exclude=query.words(args, "exclude"),
        level=query.integer(args, "level") or 0,
        column_ids=frozenset(wanted) if wanted is not None else None,
        for_editor=caller is not None and not can_admin(sheet.access_level(caller.alias)),
    )


def writable_sheet(emulator: SmartsheetEmulator, sheet_id: int, caller: Caller) -> Sheet:
    sheet = visible_sheet(emulator, sheet_id, caller)
    if not can_write(sheet.access_level(caller.alias)):
        raise errors.not_authorized()
    return sheet


def commentable_sheet(emulator: SmartsheetEmulator, sheet_id: int, caller: Caller) -> Sheet:
    sheet = visible_sheet(emulator, sheet_id, caller)
    if not can_comment(sheet.access_level(caller.alias)):
        raise errors.not_authorized()
    return sheet
