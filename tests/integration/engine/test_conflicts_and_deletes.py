"""Both sides edited; records deleted or leaving the filter; rows deleted in the sheet."""

from __future__ import annotations

import time

import pytest

from sync.errors import SafetyStop
from sync.model import ConflictPolicy, OnRecordDeleted, WorkflowOptions

from .conftest import World
from .test_basic_flow import deals, pipeline


def _edit_both(world: World, sheet: int, record_id: str, prefix: str, sheet_first: bool) -> None:
    row = world.row_of(sheet, record_id)
    edits = [
        lambda: world.sf.update("Opportunity", record_id, {"Name": f"{prefix} from salesforce"}),
        lambda: world.ss.edit_cells(sheet, row["_id"], {"Deal": f"{prefix} from the sheet"}),
    ]
    if sheet_first:
        edits.reverse()
    edits[0]()
    time.sleep(1.1)  # Smartsheet keeps seconds: make "newest" unambiguous
    edits[1]()


@pytest.mark.parametrize(
    ("policy", "sheet_first", "winner"),
    [
        (ConflictPolicy.SALESFORCE_WINS, False, "from salesforce"),
        (ConflictPolicy.SMARTSHEET_WINS, False, "from the sheet"),
        (ConflictPolicy.NEWEST_WINS, True, "from salesforce"),
        (ConflictPolicy.NEWEST_WINS, False, "from the sheet"),
    ],
)
def test_both_edited_the_policy_decides(
    world: World, policy: ConflictPolicy, sheet_first: bool, winner: str
) -> None:
    """| policy          | edited last | winner     |
    | salesforce_wins | sheet       | Salesforce |
    | smartsheet_wins | sheet       | sheet      |
    | newest_wins     | Salesforce  | Salesforce |
    | newest_wins     | sheet       | sheet      |"""
    prefix, ids = deals(world, 1)
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(conflicts=policy))
    world.tick()
    _edit_both(world, sheet, ids[0], prefix, sheet_first)
    report = world.tick()
    assert sum(e.stats.conflicts for e in report.executions.values()) == 1
    expected = f"{prefix} {winner}"
    assert world.sf.get_record("Opportunity", ids[0])["Name"] == expected
    assert world.row_of(sheet, ids[0])["Deal"] == expected


@pytest.mark.parametrize("option", list(OnRecordDeleted))
def test_a_deleted_record_follows_the_workflow_option(
    world: World, option: OnRecordDeleted
) -> None:
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(on_record_deleted=option))
    world.tick()
    row_id = world.row_of(sheet, ids[0])["_id"]
    world.sf.delete("Opportunity", ids[0])
    world.tick()
    rows = {r["_id"]: r for r in world.rows(sheet)}
    if option is OnRecordDeleted.DELETE_ROW:
        assert row_id not in rows
    elif option is OnRecordDeleted.MARK:
        assert rows[row_id]["Sync Status"] == "Deleted in Salesforce"
    else:
        assert row_id in rows and rows[row_id].get("Sync Status") in (None, "")
    assert len(rows) == (2 if option is OnRecordDeleted.DELETE_ROW else 3)


def test_a_record_leaving_the_filter_is_marked_and_comes_back(world: World) -> None:
    prefix, ids = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    world.sf.update("Opportunity", ids[1], {"Name": "Renamed out of the filter"})
    world.tick()
    assert world.row_of(sheet, ids[1])["Sync Status"] == "No longer matches this workflow's filter"
    assert world.row_of(sheet, ids[1])["Deal"] == f"{prefix} deal 1"  # not followed any more
    world.sf.update("Opportunity", ids[1], {"Name": f"{prefix} back again"})
    world.tick()
    row = world.row_of(sheet, ids[1])
    assert row["Deal"] == f"{prefix} back again"
    assert row.get("Sync Status") in (None, "")


def test_a_row_deleted_in_the_sheet_is_let_go_without_touching_salesforce(world: World) -> None:
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    world.ss.delete_row(sheet, world.row_of(sheet, ids[0])["_id"])
    world.tick()
    world.tick()
    assert len(world.rows(sheet)) == 2  # not recreated
    assert world.sf.get_record("Opportunity", ids[0]) is not None


def test_a_mass_delete_stops_the_workflow_instead_of_acting(world: World) -> None:
    prefix, ids = deals(world, 12)
    sheet, wf = pipeline(
        world, prefix, options=WorkflowOptions(on_record_deleted=OnRecordDeleted.DELETE_ROW)
    )
    world.tick()
    for record_id in ids[:8]:
        world.sf.delete("Opportunity", record_id)
    report = world.tick()
    assert len(world.rows(sheet)) == 12  # nothing deleted
    assert any("would remove 8 of 12" in f for f in report.failures)
    assert any(SafetyStop.code == r.code for _, _, rs in world.notifier.sent for r in rs)
    with world.store.unit() as session:
        from sync.store import repo

        assert repo.workflow_row(session, wf).state == "paused"


def test_an_emptied_sheet_stops_the_workflow_until_the_owner_accepts(world: World) -> None:
    from datetime import UTC, datetime

    from sync.store import repo
    from sync.workflows import resume

    prefix, ids = deals(world, 3)
    sheet, wf = pipeline(world, prefix)
    world.tick()
    for row in world.rows(sheet):
        world.ss.delete_row(sheet, row["_id"])
    report = world.tick()
    assert any("suddenly empty" in f for f in report.failures)
    with world.store.unit() as session:
        assert repo.workflow_row(session, wf).state == "paused"
    resume(world.store, wf, datetime.now(UTC), accept_changes=True)
    assert world.tick().failures == []
    world.sf.update("Opportunity", ids[0], {"Amount": 1})
    world.tick()
    assert world.rows(sheet) == []  # let go: no rows come back, Salesforce untouched
    assert all(world.sf.get_record("Opportunity", i) for i in ids)
