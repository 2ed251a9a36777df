"""The test-facing shortcuts that stand in for a person using the web app, and the seed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import smartsheet

from sandbox.smartsheet import SmartsheetEmulator
from sandbox.smartsheet.errors import ApiError

from .conftest import ClientFactory
from .helpers import cell, column_ids, failure, raw_json


def test_seed_is_deterministic() -> None:
    first, second = SmartsheetEmulator(seed_size=5), SmartsheetEmulator(seed_size=5)
    assert first.find_sheet("Pipeline") == second.find_sheet("Pipeline")
    assert first.token_for("owner") == second.token_for("owner")
    assert first.client_id == second.client_id
    pipeline = first.find_sheet("Pipeline")
    strip = {"createdAt", "modifiedAt"}
    rows = [{k: v for k, v in r.items() if k not in strip} for r in first.sheet_rows(pipeline)]
    again = [{k: v for k, v in r.items() if k not in strip} for r in second.sheet_rows(pipeline)]
    assert rows == again and len(rows) == 5
    other = SmartsheetEmulator(seed_size=5, seed=12)
    assert other.find_sheet("Pipeline") != pipeline


def test_seeded_sharing(emulator: SmartsheetEmulator) -> None:
    pipeline = emulator.sheets[emulator.find_sheet("Pipeline")]
    assert pipeline.shares == {"editor": "EDITOR", "viewer": "VIEWER"}
    assert emulator.sheets[emulator.find_sheet("Sync Target")].rows == []
    assert set(emulator.users) == {"owner", "editor", "viewer"}


def test_edit_cells_is_seen_like_a_browser_edit(
    emulator: SmartsheetEmulator, owner: smartsheet.Smartsheet, pipeline: int
) -> None:
    ids = column_ids(owner, pipeline)
    row_id = owner.Sheets.get_sheet(pipeline).rows[3].id
    version = owner.Sheets.get_sheet_version(pipeline).version
    later = emulator.clock() + timedelta(hours=2)
    emulator.clock = lambda: later
    emulator.edit_cells(
        pipeline,
        row_id,
        {"Amount": "750", "Tags": ["SMB", "Partner"], "Owner": "alex.chen@example.com"},
        as_user="editor",
    )
    assert owner.Sheets.get_sheet_version(pipeline).version == version + 1
    body = raw_json(
        owner.Sheets.get_row(pipeline, row_id, include="writerInfo,objectValue", level=2)
    )
    assert body["modifiedBy"]["email"] == "sam.rivera@example.com"
    assert body["modifiedAt"] == later.strftime("%Y-%m-%dT%H:%M:%SZ")
    by_column = {c["columnId"]: c for c in body["cells"]}
    assert by_column[ids["Amount"]]["value"] == 750  # typed in, parsed like the web app
    assert by_column[ids["Tags"]]["objectValue"]["values"] == ["SMB", "Partner"]
    assert by_column[ids["Owner"]]["displayValue"] == "Alex Chen"


def test_sheet_snapshot_is_the_owners_get_sheet(
    emulator: SmartsheetEmulator, pipeline: int
) -> None:
    plain = emulator.sheet(pipeline)
    assert [c["title"] for c in plain["columns"]][:2] == ["Deal", "Amount"]
    assert plain["accessLevel"] == "OWNER" and len(plain["rows"]) == 40
    tags = next(c for c in emulator.sheet(pipeline, level=2)["columns"] if c["title"] == "Tags")
    assert tags["type"] == "MULTI_PICKLIST"


def test_add_and_delete_row(
    emulator: SmartsheetEmulator, owner: smartsheet.Smartsheet, target: int
) -> None:
    row_id = emulator.add_row(target, {"Name": "Typed by hand", "Amount": 5}, as_user="owner")
    rows = emulator.sheet_rows(target)
    assert [r["id"] for r in rows] == [row_id]
    ids = column_ids(owner, target)
    assert cell(owner.Sheets.get_sheet(target).rows[0], ids["Name"]).value == "Typed by hand"
    emulator.delete_row(target, row_id)
    assert owner.Sheets.get_sheet(target).total_row_count == 0


def test_browser_edits_respect_validation(emulator: SmartsheetEmulator, support: int) -> None:
    row_id = emulator.sheets[support].rows[0].id
    with pytest.raises(ApiError) as caught:
        emulator.edit_cells(support, row_id, {"Priority": "Whenever"})
    assert caught.value.code == 1042 and "PICKLIST" in caught.value.message


def test_create_sheet_and_share(emulator: SmartsheetEmulator, client_for: ClientFactory) -> None:
    sheet_id = emulator.create_sheet(
        "Editor's own", [{"title": "Item", "type": "TEXT_NUMBER", "primary": True}], owner="editor"
    )
    editor, viewer = client_for("editor"), client_for("viewer")
    assert str(editor.Sheets.get_sheet(sheet_id).access_level) == "OWNER"
    assert failure(lambda: viewer.Sheets.get_sheet(sheet_id))[:2] == (404, 1006)
    emulator.share(sheet_id, "viewer", "ADMIN")
    assert str(viewer.Sheets.get_sheet(sheet_id).access_level) == "ADMIN"
    with pytest.raises(ValueError):
        emulator.share(sheet_id, "viewer", "BOSS")


def test_reset_restores_the_seed(
    emulator: SmartsheetEmulator, owner: smartsheet.Smartsheet, pipeline: int
) -> None:
    emulator.delete_row(pipeline, emulator.sheets[pipeline].rows[0].id)
    owner.Users.get_current_user()
    emulator.reset()
    assert len(emulator.sheet_rows(pipeline)) == 40
    assert emulator.control.count() == 0
    assert owner.Users.get_current_user().email  # the same token works after a reset
