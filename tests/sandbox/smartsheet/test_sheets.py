"""Listing, creating and reading sheets with the real SDK."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import smartsheet

from sandbox.smartsheet import SmartsheetEmulator

from .conftest import ClientFactory
from .helpers import cell, column_ids, failure, http, raw_json


def test_list_shows_only_accessible_sheets_with_access_level(client_for: ClientFactory) -> None:
    owned = client_for("owner").Sheets.list_sheets()
    assert [s.name for s in owned.data] == ["Pipeline", "Support Queue", "Sync Target"]
    assert {str(s.access_level) for s in owned.data} == {"OWNER"}
    shared = client_for("viewer").Sheets.list_sheets()
    assert [(s.name, str(s.access_level)) for s in shared.data] == [("Pipeline", "VIEWER")]
    editor = client_for("editor").Sheets.list_sheets(include=["ownerInfo", "sheetVersion"])
    assert editor.data[0].owner == "morgan.lee@example.com"
    assert editor.data[0].version >= 1


def test_list_pages_like_an_index_result(
    client_for: ClientFactory, emulator: SmartsheetEmulator
) -> None:
    for number in range(5):
        emulator.create_sheet(
            f"Extra {number}", [{"title": "A", "type": "TEXT_NUMBER", "primary": True}]
        )
    client = client_for("owner")
    second = client.Sheets.list_sheets(page_size=3, page=2)
    assert (second.page_number, second.page_size, second.total_pages, second.total_count) == (
        2,
        3,
        3,
        8,
    )
    assert len(second.data) == 3
    past_end = client.Sheets.list_sheets(page_size=3, page=9)
    assert past_end.page_number == 3 and len(past_end.data) == 2  # the last page
    everything = client.Sheets.list_sheets(include_all=True)
    assert everything.total_pages == 1 and len(everything.data) == 8


def test_create_sheet_returns_result_with_columns(owner: smartsheet.Smartsheet) -> None:
    spec = smartsheet.models.Sheet(
        {
            "name": "Made by API",
            "columns": [
                {"title": "Name", "type": "TEXT_NUMBER", "primary": True},
                {"title": "Due", "type": "DATE"},
                {"title": "Status", "type": "PICKLIST", "options": ["Open", "Done"]},
            ],
        }
    )
    with pytest.warns(DeprecationWarning):  # the SDK marks Home.create_sheet deprecated
        created = owner.Home.create_sheet(spec)
    assert (created.message, created.result_code) == ("SUCCESS", 0)
    sheet = created.result
    assert str(sheet.access_level) == "OWNER"
    assert [(c.title, c.index, c.primary) for c in sheet.columns] == [
        ("Name", 0, True),
        ("Due", 1, None),
        ("Status", 2, None),
    ]
    assert owner.Sheets.get_sheet(sheet.id).total_row_count == 0


def test_create_sheet_errors(owner: smartsheet.Smartsheet) -> None:
    def create(columns: list[Any]) -> object:
        return owner.Passthrough.post("/sheets", {"name": "X", "columns": columns})

    assert failure(lambda: create([]))[:2] == (400, 1054)
    assert failure(lambda: create([{"title": "A", "type": "TEXT_NUMBER"}]))[:2] == (400, 1055)
    assert failure(lambda: create([{"title": "A", "type": "DATE", "primary": True}]))[:2] == (
        400,
        1057,
    )
    duplicate = [
        {"title": "A", "type": "TEXT_NUMBER", "primary": True},
        {"title": "A", "type": "TEXT_NUMBER"},
    ]
    assert failure(lambda: create(duplicate))[:2] == (400, 1133)
    system_only = [
        {"title": "A", "type": "TEXT_NUMBER", "primary": True},
        {"title": "When", "type": "DATETIME"},
    ]
    assert failure(lambda: create(system_only))[:2] == (400, 1089)


def test_unshared_sheet_is_not_found_for_others(client_for: ClientFactory, support: int) -> None:
    assert failure(lambda: client_for("editor").Sheets.get_sheet(support))[:2] == (404, 1006)
    assert failure(lambda: client_for("owner").Sheets.get_sheet(123))[:2] == (404, 1006)


def test_get_sheet_basics(owner: smartsheet.Smartsheet, pipeline: int) -> None:
    sheet = owner.Sheets.get_sheet(pipeline)
    body = raw_json(sheet)
    assert sheet.total_row_count == 40 and len(sheet.rows) == 40
    assert [r.row_number for r in sheet.rows[:3]] == [1, 2, 3]
    assert sheet.rows[1].sibling_id == sheet.rows[0].id
    assert sum(1 for c in sheet.columns if c.primary) == 1
    assert len(str(sheet.id)) == 16
    assert body["accessLevel"] == "OWNER"
    assert body["createdAt"].endswith("Z") and body["modifiedAt"].endswith("Z")


def test_multi_columns_are_text_unless_level_asks(
    owner: smartsheet.Smartsheet, pipeline: int
) -> None:
    plain = raw_json(owner.Sheets.get_sheet(pipeline))
    tags = next(c for c in plain["columns"] if c["title"] == "Tags")
    assert tags["type"] == "TEXT_NUMBER"
    leveled = raw_json(owner.Sheets.get_sheet(pipeline, level=2, include=["objectValue"]))
    tags = next(c for c in leveled["columns"] if c["title"] == "Tags")
    assert (tags["type"], tags["version"]) == ("MULTI_PICKLIST", 2)
    with_tags = [
        c
        for r in leveled["rows"]
        for c in r["cells"]
        if c["columnId"] == tags["id"] and "objectValue" in c
    ]
    assert with_tags and with_tags[0]["objectValue"]["objectType"] == "MULTI_PICKLIST"
    same_cell_plain = next(
        c for r in plain["rows"] for c in r["cells"] if c["columnId"] == tags["id"] and "value" in c
    )
    assert isinstance(same_cell_plain["value"], str)


def test_column_ids_and_exclude_nonexistent_cells(
    owner: smartsheet.Smartsheet, pipeline: int
) -> None:
    ids = column_ids(owner, pipeline)
    narrow = owner.Sheets.get_sheet(pipeline, column_ids=[ids["Deal"], ids["Amount"]])
    assert [c.title for c in narrow.columns] == ["Deal", "Amount"]
    assert {c.column_id for c in narrow.rows[0].cells} == {ids["Deal"], ids["Amount"]}
    full = owner.Sheets.get_sheet(pipeline)
    assert any(c.column_id == ids["Salesforce Id"] for c in full.rows[0].cells)
    lean = owner.Sheets.get_sheet(pipeline, exclude="nonexistentCells")
    assert all(c.column_id != ids["Salesforce Id"] for c in lean.rows[0].cells)
    assert failure(lambda: owner.Sheets.get_sheet(pipeline, column_ids=[42]))[:2] == (400, 1036)


def test_row_filters_and_paging(owner: smartsheet.Smartsheet, pipeline: int) -> None:
    sheet = owner.Sheets.get_sheet(pipeline)
    picked = [sheet.rows[3].id, sheet.rows[7].id]
    assert [r.id for r in owner.Sheets.get_sheet(pipeline, row_ids=picked).rows] == picked
    by_number = owner.Sheets.get_sheet(pipeline, row_numbers=[1, 40])
    assert [r.row_number for r in by_number.rows] == [1, 40]
    page = owner.Sheets.get_sheet(pipeline, page_size=15, page=3)
    assert [r.row_number for r in page.rows] == list(range(31, 41))
    assert page.total_row_count == 40


def test_rows_modified_since(
    owner: smartsheet.Smartsheet, emulator: SmartsheetEmulator, pipeline: int
) -> None:
    sheet = owner.Sheets.get_sheet(pipeline)
    later = emulator.clock() + timedelta(hours=1)
    emulator.clock = lambda: later
    emulator.edit_cells(pipeline, sheet.rows[5].id, {"Amount": 1})
    mark = (later - timedelta(seconds=1)).isoformat()
    changed = owner.Sheets.get_sheet(pipeline, rows_modified_since=mark)
    assert [r.id for r in changed.rows] == [sheet.rows[5].id]
    zulu = later.strftime("%Y-%m-%dT%H:%M:%SZ")  # inclusive at the second
    assert len(owner.Sheets.get_sheet(pipeline, rows_modified_since=zulu).rows) == 1
    bad = failure(lambda: owner.Sheets.get_sheet(pipeline, rows_modified_since="yesterday"))
    assert bad[:2] == (400, 1018)


def test_version_endpoint_and_if_version_after(
    owner: smartsheet.Smartsheet, emulator: SmartsheetEmulator, pipeline: int
) -> None:
    version = owner.Sheets.get_sheet_version(pipeline).version
    unchanged = http(
        "GET",
        f"{emulator.api_base}/sheets/{pipeline}",
        emulator.token_for("owner"),
        params={"ifVersionAfter": version},
    )
    assert unchanged.json() == {"version": version}
    row_id = owner.Sheets.get_sheet(pipeline).rows[0].id
    emulator.edit_cells(pipeline, row_id, {"Deal": "Changed"})
    assert owner.Sheets.get_sheet_version(pipeline).version == version + 1
    newer = owner.Sheets.get_sheet(pipeline, if_version_after=version)
    assert newer.version == version + 1 and len(newer.rows) == 40


def test_writer_info_and_discussions_includes(
    owner: smartsheet.Smartsheet, emulator: SmartsheetEmulator, pipeline: int
) -> None:
    row_id = owner.Sheets.get_sheet(pipeline).rows[2].id
    emulator.edit_cells(pipeline, row_id, {"Deal": "Edited"}, as_user="editor")
    body = raw_json(owner.Sheets.get_sheet(pipeline, include=["rowWriterInfo"], row_ids=[row_id]))
    row = body["rows"][0]
    assert row["modifiedBy"] == {"email": "sam.rivera@example.com", "name": "Sam Rivera"}
    assert row["createdBy"]["email"] == "morgan.lee@example.com"
    ids = column_ids(owner, pipeline)
    fetched = owner.Sheets.get_sheet(pipeline, row_ids=[row_id])
    assert cell(fetched.rows[0], ids["Deal"]).value == "Edited"
    assert "modifiedBy" not in raw_json(fetched)["rows"][0]
