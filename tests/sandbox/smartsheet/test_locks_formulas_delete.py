"""Locked columns and rows, column formulas, strict picklists and deleting a sheet, through
the real smartsheet SDK (Smartsheet API 2.0 error codes table).

| who             | locks/unlocks | writes a locked column | edits a locked row | lockedForUser |
|-----------------|---------------|------------------------|--------------------|---------------|
| Owner, Admin    | yes           | yes                    | yes                | false         |
| Editor          | 403 1004      | 403 1039               | 403 1050           | true          |

Nobody writes a cell of a column with a column formula (400 1302). Only the owner deletes
a sheet; afterwards it is 404 1006 for everyone.
"""

from __future__ import annotations

from typing import Any

import smartsheet
from smartsheet.models import Column, Row

from sandbox.smartsheet import SmartsheetEmulator

from .conftest import ClientFactory
from .helpers import column_ids, failure


def first_row(client: smartsheet.Smartsheet, sheet_id: int) -> int:
    return int(client.Sheets.get_sheet(sheet_id, page_size=1).rows[0].id)


def update_cell(
    client: smartsheet.Smartsheet, sheet_id: int, row_id: int, column_id: int, value: Any
) -> Any:
    row = Row({"id": row_id, "cells": [{"columnId": column_id, "value": value}]})
    return client.Sheets.update_rows(sheet_id, [row])


def lock_column(client: smartsheet.Smartsheet, sheet_id: int, column_id: int) -> Any:
    return client.Sheets.update_column(sheet_id, column_id, Column({"locked": True}))


def raw_sheet(client: smartsheet.Smartsheet, sheet_id: int) -> dict[str, Any]:
    body: dict[str, Any] = client.Sheets.get_sheet(sheet_id).request_response.json()
    return body


def test_an_editor_cannot_lock_a_column_but_the_owner_and_an_admin_can(
    emulator: SmartsheetEmulator, client_for: ClientFactory, pipeline: int
) -> None:
    emulator.share(pipeline, "editor", "EDITOR")
    emulator.share(pipeline, "viewer", "ADMIN")
    stage = column_ids(client_for("owner"), pipeline)["Stage"]

    refused = failure(lambda: lock_column(client_for("editor"), pipeline, stage))
    lock_column(client_for("viewer"), pipeline, stage)

    assert refused[:2] == (403, 1004)
    assert client_for("owner").Sheets.get_column(pipeline, stage).locked is True


def test_an_editor_writing_a_locked_column_gets_1039(
    emulator: SmartsheetEmulator, client_for: ClientFactory, pipeline: int
) -> None:
    owner, editor = client_for("owner"), client_for("editor")
    emulator.share(pipeline, "editor", "EDITOR")
    amount = column_ids(owner, pipeline)["Amount"]
    row_id = first_row(owner, pipeline)
    lock_column(owner, pipeline, amount)

    status, code, message = failure(lambda: update_cell(editor, pipeline, row_id, amount, 5))
    adding = failure(
        lambda: editor.Sheets.add_rows(
            pipeline, [Row({"toBottom": True, "cells": [{"columnId": amount, "value": 1}]})]
        )
    )
    update_cell(owner, pipeline, row_id, amount, 7)  # the owner still can

    assert (status, code) == (403, 1039) and message.startswith("Cannot edit a locked column")
    assert adding[:2] == (403, 1039)
    assert emulator.sheet_rows(pipeline)[0]["cells"][1]["value"] == 7


def test_locked_and_locked_for_user_are_reported_for_the_caller(
    emulator: SmartsheetEmulator, client_for: ClientFactory, pipeline: int
) -> None:
    owner = client_for("owner")
    emulator.share(pipeline, "editor", "EDITOR")
    amount = column_ids(owner, pipeline)["Amount"]
    row_id = first_row(owner, pipeline)
    lock_column(owner, pipeline, amount)
    emulator.lock_row(pipeline, row_id)

    as_owner, as_editor = raw_sheet(owner, pipeline), raw_sheet(client_for("editor"), pipeline)
    column_of = {
        s: next(c for c in b["columns"] if c["id"] == amount)
        for s, b in (("owner", as_owner), ("editor", as_editor))
    }
    row_of = {s: b["rows"][0] for s, b in (("owner", as_owner), ("editor", as_editor))}

    assert (column_of["owner"]["locked"], column_of["owner"]["lockedForUser"]) == (True, False)
    assert (column_of["editor"]["locked"], column_of["editor"]["lockedForUser"]) == (True, True)
    assert (row_of["owner"]["locked"], row_of["owner"]["lockedForUser"]) == (True, False)
    assert (row_of["editor"]["locked"], row_of["editor"]["lockedForUser"]) == (True, True)
    listed = client_for("editor").Sheets.get_columns(pipeline, include_all=True).data
    assert next(c for c in listed if c.id == amount).locked_for_user is True


def test_an_editor_cannot_edit_lock_or_delete_a_locked_row(
    emulator: SmartsheetEmulator, client_for: ClientFactory, pipeline: int
) -> None:
    owner, editor = client_for("owner"), client_for("editor")
    emulator.share(pipeline, "editor", "EDITOR")
    deal = column_ids(owner, pipeline)["Deal"]
    row_id = first_row(owner, pipeline)
    owner.Sheets.update_rows(pipeline, [Row({"id": row_id, "locked": True})])

    edited = failure(lambda: update_cell(editor, pipeline, row_id, deal, "Renamed"))
    unlocked = failure(
        lambda: editor.Sheets.update_rows(pipeline, [Row({"id": row_id, "locked": False})])
    )
    deleted = failure(lambda: editor.Sheets.delete_rows(pipeline, [row_id]))

    assert edited[:3] == (403, 1050, "You cannot edit a locked row.")
    assert unlocked[:2] == (403, 1004)
    assert deleted[:2] == (403, 1092)
    update_cell(owner, pipeline, row_id, deal, "Renamed")  # Owner edits it all the same


def test_a_column_formula_computes_every_cell_and_refuses_writes(
    client_for: ClientFactory, pipeline: int
) -> None:
    owner = client_for("owner")
    ids = column_ids(owner, pipeline)
    row_id = first_row(owner, pipeline)
    amount = raw_sheet(owner, pipeline)["rows"][0]["cells"][1].get("value")
    owner.Sheets.update_column(
        pipeline, ids["Salesforce Id"], Column({"formula": "=Amount@row * 2"})
    )

    status, code, message = failure(
        lambda: update_cell(owner, pipeline, row_id, ids["Salesforce Id"], "x")
    )
    body = raw_sheet(owner, pipeline)
    shown = next(c for c in body["columns"] if c["id"] == ids["Salesforce Id"])
    cell = next(c for c in body["rows"][0]["cells"] if c["columnId"] == ids["Salesforce Id"])

    assert (status, code, message) == (400, 1302, "Cannot edit column formula cells.")
    assert shown["formula"] == "=Amount@row * 2"
    assert cell["formula"] == "=Amount@row * 2" and cell["value"] == amount * 2


def test_a_strict_picklist_takes_only_its_options(client_for: ClientFactory, pipeline: int) -> None:
    owner = client_for("owner")
    stage = column_ids(owner, pipeline)["Stage"]
    row_id = first_row(owner, pipeline)

    refused = failure(lambda: update_cell(owner, pipeline, row_id, stage, "Maybe later"))
    update_cell(owner, pipeline, row_id, stage, "Prospecting")

    assert refused[:2] == (400, 1042)
    assert refused[2].endswith("did not conform to the strict requirements for type PICKLIST.")


def test_only_the_owner_deletes_a_sheet_and_then_it_is_gone(
    emulator: SmartsheetEmulator, client_for: ClientFactory, pipeline: int
) -> None:
    emulator.share(pipeline, "viewer", "ADMIN")

    by_admin = failure(lambda: client_for("viewer").Sheets.delete_sheet(pipeline))
    answer = client_for("owner").Sheets.delete_sheet(pipeline)
    after = failure(lambda: client_for("owner").Sheets.get_sheet(pipeline))
    listed = client_for("owner").Sheets.list_sheets(include_all=True).data

    assert by_admin[:2] == (403, 1004)
    assert answer.request_response.json() == {"message": "SUCCESS", "resultCode": 0}
    assert after[:2] == (404, 1006)
    assert pipeline not in {s.id for s in listed}
