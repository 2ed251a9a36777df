"""GET /sheets?modifiedSince=…: which sheets changed since a moment, one call per token.

The real endpoint filters on the sheet's modifiedAt (inclusive, at the second), returns
`version` per sheet only with include=sheetVersion, and pages like any IndexResult."""

from __future__ import annotations

from datetime import timedelta

import smartsheet

from sandbox.smartsheet import SmartsheetEmulator

from .conftest import ClientFactory
from .helpers import http


def test_only_sheets_modified_since_are_listed_with_their_version(
    owner: smartsheet.Smartsheet, emulator: SmartsheetEmulator, pipeline: int
) -> None:
    later = emulator.clock() + timedelta(hours=1)
    emulator.clock = lambda: later
    row_id = owner.Sheets.get_sheet(pipeline).rows[0].id
    emulator.edit_cells(pipeline, row_id, {"Deal": "Changed"})
    since = later - timedelta(seconds=1)
    changed = owner.Sheets.list_sheets(include="sheetVersion", modified_since=since)
    assert [s.id for s in changed.data] == [pipeline]
    assert changed.data[0].version == owner.Sheets.get_sheet_version(pipeline).version
    assert changed.data[0].modified_at is not None
    quiet = owner.Sheets.list_sheets(modified_since=later + timedelta(seconds=1))
    assert (quiet.total_count, quiet.data) == (0, [])


def test_version_only_with_include_sheet_version(owner: smartsheet.Smartsheet) -> None:
    plain = owner.Sheets.list_sheets().to_dict()["data"]
    assert plain and all("version" not in s for s in plain)


def test_modified_since_pages_and_counts_only_the_changed(
    client_for: ClientFactory, emulator: SmartsheetEmulator
) -> None:
    later = emulator.clock() + timedelta(hours=1)
    emulator.clock = lambda: later
    created = [
        emulator.create_sheet(f"New {n}", [{"title": "A", "type": "TEXT_NUMBER", "primary": True}])
        for n in range(5)
    ]
    client = client_for("owner")
    since = later - timedelta(seconds=1)
    first = client.Sheets.list_sheets(modified_since=since, page_size=2, page=1)
    assert (first.total_count, first.total_pages, len(first.data)) == (5, 3, 2)
    third = client.Sheets.list_sheets(modified_since=since, page_size=2, page=3)
    assert [s.id for s in first.data + third.data] == [created[0], created[1], created[4]]


def test_a_bad_modified_since_is_refused(emulator: SmartsheetEmulator) -> None:
    # the SDK only sends a datetime, so the malformed value goes over plain HTTP
    token = emulator.token_for("owner")
    refused = http("GET", f"{emulator.api_base}/sheets", token, params={"modifiedSince": "soon"})
    assert (refused.status_code, refused.json()["errorCode"]) == (400, 1018)
