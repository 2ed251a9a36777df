"""Bulk row add/update/delete, partial success, locations and permissions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import smartsheet
from smartsheet.models import Row

from sandbox.smartsheet import SmartsheetEmulator

from .conftest import ClientFactory
from .helpers import cell, column_ids, failure, http, raw_json


def _row(cells: dict[int, Any], **extra: Any) -> Row:
    return Row({**extra, "cells": [{"columnId": k, "value": v} for k, v in cells.items()]})


def _numbers(values: list[Any]) -> list[int]:
    """Delete results come back as NumberObjectValues."""
    return [int(v.value) for v in values]


def test_add_rows_returns_result_envelope_with_new_version(
    owner: smartsheet.Smartsheet, target: int
) -> None:
    ids = column_ids(owner, target)
    before = owner.Sheets.get_sheet_version(target).version
    result = owner.Sheets.add_rows(
        target,
        [
            _row({ids["Name"]: "A", ids["Amount"]: 10}, toBottom=True),
            _row({ids["Name"]: "B"}, toBottom=True),
        ],
    )
    assert (result.message, result.result_code) == ("SUCCESS", 0)
    assert result.version == before + 1  # one bulk call, one version step
    first, second = result.result
    assert first.sheet_id == target and first.row_number == 1 and second.row_number == 2
    assert second.sibling_id == first.id
    assert cell(first, ids["Amount"]).value == 10
    assert cell(first, ids["Amount"]).display_value == "10"
    stored = owner.Sheets.get_sheet(target)
    assert [cell(r, ids["Name"]).value for r in stored.rows] == ["A", "B"]


def test_single_row_object_is_accepted(
    emulator: SmartsheetEmulator, target: int, owner: smartsheet.Smartsheet
) -> None:
    ids = column_ids(owner, target)
    answer = http(
        "POST",
        f"{emulator.api_base}/sheets/{target}/rows",
        emulator.token_for("owner"),
        json={"cells": [{"columnId": ids["Name"], "value": "solo"}]},
    )
    assert answer.status_code == 200
    assert answer.json()["result"][0]["cells"][0]["value"] == "solo"


def test_locations(owner: smartsheet.Smartsheet, target: int) -> None:
    ids = column_ids(owner, target)
    name = ids["Name"]

    def names() -> list[str]:
        return [cell(r, name).value for r in owner.Sheets.get_sheet(target).rows]

    bottom = owner.Sheets.add_rows(target, [_row({name: "one"}), _row({name: "two"})]).result
    owner.Sheets.add_rows(target, [_row({name: "top"}, toTop=True)])
    owner.Sheets.add_rows(target, [_row({name: "child"}, parentId=bottom[0].id)])
    owner.Sheets.add_rows(target, [_row({name: "after two"}, siblingId=bottom[1].id)])
    owner.Sheets.add_rows(target, [_row({name: "above one"}, siblingId=bottom[0].id, above=True)])
    assert names() == ["top", "above one", "one", "child", "two", "after two"]
    child = owner.Sheets.get_sheet(target).rows[3]
    assert child.parent_id == bottom[0].id
    moved = owner.Sheets.update_rows(target, [Row({"id": bottom[1].id, "toTop": True})])
    assert moved.result[0].row_number == 1
    assert names()[0] == "two"


def test_location_errors(owner: smartsheet.Smartsheet, target: int) -> None:
    name = column_ids(owner, target)["Name"]
    mixed = [_row({name: "a"}, toTop=True), _row({name: "b"}, toBottom=True)]
    assert failure(lambda: owner.Sheets.add_rows(target, mixed))[:2] == (400, 1123)
    orphan = [_row({name: "a"}, parentId=1234)]
    assert failure(lambda: owner.Sheets.add_rows(target, orphan))[:2] == (400, 1063)
    conflicting = [_row({name: "a"}, toTop=True, siblingId=1234)]
    assert failure(lambda: owner.Sheets.add_rows(target, conflicting))[:2] == (400, 1062)


def test_one_bad_row_fails_the_whole_add_with_detail_index(
    emulator: SmartsheetEmulator, owner: smartsheet.Smartsheet, target: int
) -> None:
    ids = column_ids(owner, target)
    body = [
        {"toBottom": True, "cells": [{"columnId": ids["Name"], "value": "fine"}]},
        {"toBottom": True, "cells": [{"columnId": 42, "value": "bad column"}]},
    ]
    answer = http(
        "POST", f"{emulator.api_base}/sheets/{target}/rows", emulator.token_for("owner"), json=body
    )
    assert answer.status_code == 400
    error = answer.json()
    assert (error["errorCode"], error["message"]) == (1036, "The columnId 42 is invalid.")
    assert error["detail"] == {"index": 1}
    assert error["refId"]
    assert owner.Sheets.get_sheet(target).total_row_count == 0  # nothing was written


def test_partial_success_add_reports_failed_items(
    owner: smartsheet.Smartsheet, target: int
) -> None:
    ids = column_ids(owner, target)
    rows = [
        _row({ids["Name"]: "ok 1"}, toBottom=True),
        Row({"toBottom": True, "cells": [{"columnId": 3, "value": "x"}]}),
        _row({ids["Name"]: "ok 2", ids["Close Date"]: "next tuesday"}, toBottom=True),
        _row({ids["Name"]: "ok 3"}, toBottom=True),
    ]
    result = owner.Sheets.add_rows_with_partial_success(target, rows)
    assert (result.message, result.result_code) == ("PARTIAL_SUCCESS", 3)
    assert [cell(r, ids["Name"]).value for r in result.result] == ["ok 1", "ok 3"]
    failed = {item.index: item.error for item in result.failed_items}
    assert set(failed) == {1, 2}
    assert failed[1].error_code == 1036
    assert failed[2].error_code == 1042 and "DATE" in failed[2].message
    assert owner.Sheets.get_sheet(target).total_row_count == 2


def test_partial_success_without_failures_is_plain_success(
    owner: smartsheet.Smartsheet, target: int
) -> None:
    name = column_ids(owner, target)["Name"]
    result = owner.Sheets.add_rows_with_partial_success(target, [_row({name: "x"})])
    assert (result.message, result.result_code) == ("SUCCESS", 0)
    assert len(result.failed_items) == 0


def test_update_rows_changes_only_given_cells(owner: smartsheet.Smartsheet, pipeline: int) -> None:
    ids = column_ids(owner, pipeline)
    original = owner.Sheets.get_sheet(pipeline).rows[0]
    result = owner.Sheets.update_rows(pipeline, [_row({ids["Amount"]: 1234.5}, id=original.id)])
    updated = result.result[0]
    assert cell(updated, ids["Amount"]).value == 1234.5
    assert cell(updated, ids["Deal"]).value == cell(original, ids["Deal"]).value
    assert updated.sheet_id is None  # update results carry no sheetId


def test_update_errors_carry_row_id(
    emulator: SmartsheetEmulator, owner: smartsheet.Smartsheet, pipeline: int
) -> None:
    ids = column_ids(owner, pipeline)
    row_id = owner.Sheets.get_sheet(pipeline).rows[0].id
    body = [{"id": row_id, "cells": [{"columnId": ids["Won"], "value": "maybe"}]}]
    answer = http(
        "PUT", f"{emulator.api_base}/sheets/{pipeline}/rows", emulator.token_for("owner"), json=body
    )
    error = answer.json()
    assert (answer.status_code, error["errorCode"]) == (400, 1042)
    assert error["detail"] == {"index": 0, "rowId": row_id}
    missing_id = [{"cells": [{"columnId": ids["Deal"], "value": "x"}]}]
    answer = http(
        "PUT",
        f"{emulator.api_base}/sheets/{pipeline}/rows",
        emulator.token_for("owner"),
        json=missing_id,
    )
    assert answer.json()["message"] == (
        "Required object attribute(s) are missing from your request: row.id."
    )


def test_partial_update_reports_unknown_row(owner: smartsheet.Smartsheet, pipeline: int) -> None:
    ids = column_ids(owner, pipeline)
    row_id = owner.Sheets.get_sheet(pipeline).rows[0].id
    rows = [_row({ids["Deal"]: "kept"}, id=row_id), _row({ids["Deal"]: "lost"}, id=99)]
    result = owner.Sheets.update_rows_with_partial_success(pipeline, rows)
    assert result.result_code == 3
    (item,) = result.failed_items
    assert (item.index, item.row_id, item.error.error_code) == (1, 99, 1006)


def test_more_than_500_rows_is_refused(owner: smartsheet.Smartsheet, target: int) -> None:
    name = column_ids(owner, target)["Name"]
    rows = [_row({name: f"r{i}"}) for i in range(501)]
    status, code, message = failure(lambda: owner.Sheets.add_rows(target, rows))
    assert (status, code) == (400, 1061)
    assert "rows" in message
    updates = [_row({name: "x"}, id=i) for i in range(501)]
    assert failure(lambda: owner.Sheets.update_rows(target, updates))[:2] == (400, 1061)


def test_delete_rows_accepts_python_booleans(
    emulator: SmartsheetEmulator, owner: smartsheet.Smartsheet, pipeline: int
) -> None:
    rows = owner.Sheets.get_sheet(pipeline).rows
    doomed = [rows[0].id, rows[1].id]
    result = owner.Sheets.delete_rows(pipeline, doomed)  # sends ignoreRowsNotFound=False
    assert sorted(_numbers(result.result)) == sorted(doomed)
    assert owner.Sheets.get_sheet(pipeline).total_row_count == 38
    assert failure(lambda: owner.Sheets.delete_rows(pipeline, doomed))[:2] == (404, 1006)
    again = owner.Sheets.delete_rows(pipeline, [doomed[0], rows[2].id], ignore_rows_not_found=True)
    assert _numbers(again.result) == [rows[2].id]
    sent = emulator.control.calls("rows.delete")[0].query
    assert sent["ignoreRowsNotFound"] == "False"


def test_delete_needs_ids(emulator: SmartsheetEmulator, pipeline: int) -> None:
    answer = http(
        "DELETE", f"{emulator.api_base}/sheets/{pipeline}/rows", emulator.token_for("owner")
    )
    assert (answer.status_code, answer.json()["errorCode"]) == (400, 1009)


def test_deleting_a_parent_deletes_its_children(owner: smartsheet.Smartsheet, target: int) -> None:
    name = column_ids(owner, target)["Name"]
    parent = owner.Sheets.add_rows(target, [_row({name: "parent"})]).result[0]
    owner.Sheets.add_rows(target, [_row({name: "kid"}, parentId=parent.id)])
    deleted = _numbers(owner.Sheets.delete_rows(target, [parent.id]).result)
    assert deleted[0] == parent.id and len(deleted) == 2
    assert owner.Sheets.get_sheet(target).total_row_count == 0


def test_get_row(owner: smartsheet.Smartsheet, pipeline: int) -> None:
    row_id = owner.Sheets.get_sheet(pipeline).rows[4].id
    row = owner.Sheets.get_row(pipeline, row_id, include="rowWriterInfo")
    body = raw_json(row)
    assert (row.id, row.sheet_id, row.row_number) == (row_id, pipeline, 5)
    assert body["modifiedBy"]["email"] == "morgan.lee@example.com"
    assert body["version"] >= 1 and body["accessLevel"] == "OWNER"
    assert failure(lambda: owner.Sheets.get_row(pipeline, 77))[:2] == (404, 1006)


def test_permissions(client_for: ClientFactory, pipeline: int, support: int) -> None:
    viewer, editor = client_for("viewer"), client_for("editor")
    ids = column_ids(viewer, pipeline)
    row_id = viewer.Sheets.get_sheet(pipeline).rows[0].id
    new = [_row({ids["Deal"]: "viewer try"})]
    assert failure(lambda: viewer.Sheets.add_rows(pipeline, new))[:2] == (403, 1004)
    assert failure(lambda: viewer.Sheets.delete_rows(pipeline, [row_id]))[:2] == (403, 1004)
    assert editor.Sheets.add_rows(pipeline, new).result[0].id
    assert failure(lambda: editor.Sheets.add_rows(support, new))[:2] == (404, 1006)


def test_every_change_bumps_version_modified_at_and_modified_by(
    emulator: SmartsheetEmulator, client_for: ClientFactory, pipeline: int
) -> None:
    editor = client_for("editor")
    ids = column_ids(editor, pipeline)
    row = editor.Sheets.get_sheet(pipeline).rows[0]
    version = editor.Sheets.get_sheet_version(pipeline).version
    later = emulator.clock() + timedelta(minutes=5)
    emulator.clock = lambda: later
    editor.Sheets.update_rows(pipeline, [_row({ids["Deal"]: "by editor"}, id=row.id)])
    assert editor.Sheets.get_sheet_version(pipeline).version == version + 1
    body = raw_json(editor.Sheets.get_row(pipeline, row.id, include="writerInfo"))
    assert body["modifiedAt"] == later.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert body["modifiedBy"]["email"] == "sam.rivera@example.com"
    assert body["createdAt"] != body["modifiedAt"]
