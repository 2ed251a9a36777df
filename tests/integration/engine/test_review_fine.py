"""Probes that turned out fine (kept as regression checks)."""

from __future__ import annotations

import threading

from sync.model import OnRecordDeleted, WorkflowOptions
from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals, pipeline

from .conftest import status_of


def test_a_cleared_or_edited_id_cell_is_put_back(world: World) -> None:
    prefix, ids = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    a, b = world.row_of(sheet, ids[0])["_id"], world.row_of(sheet, ids[1])["_id"]
    world.ss.edit_cells(sheet, a, {"Salesforce Id": ""})
    world.ss.edit_cells(sheet, b, {"Salesforce Id": ids[0]})
    world.tick()
    world.tick()
    assert world.row_of(sheet, ids[0])["_id"] == a
    assert world.row_of(sheet, ids[1])["_id"] == b
    assert len(world.rows(sheet)) == 2


def test_two_pasted_rows_with_one_id_create_nothing(world: World) -> None:
    prefix, ids = deals(world, 1)
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(create_records_from_rows=True))
    world.tick()
    for _ in range(2):
        world.ss.add_row(sheet, {"Deal": f"{prefix} pasted", "Salesforce Id": ids[0]})
    world.tick()
    world.tick()
    assert [r["Name"] for r in world.sf.records("Opportunity") if r["Name"].startswith(prefix)] == [
        f"{prefix} deal 0"
    ]
    assert len(world.rows(sheet)) == 3


def test_a_record_deleted_after_its_row_was_deleted(world: World) -> None:
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(
        world, prefix, options=WorkflowOptions(on_record_deleted=OnRecordDeleted.DELETE_ROW)
    )
    world.tick()
    world.ss.delete_row(sheet, world.row_of(sheet, ids[0])["_id"])
    world.tick()
    world.sf.delete("Opportunity", ids[0])
    report = world.tick()
    world.tick()
    assert report.failures == []
    assert sorted(r["Salesforce Id"] for r in world.rows(sheet)) == sorted(ids[1:])


def test_a_sheet_edit_made_while_we_write_the_same_row_is_kept(world: World) -> None:
    prefix, ids = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    world.tick()
    row_id = world.row_of(sheet, ids[0])["_id"]
    world.sf.update("Opportunity", ids[0], {"Amount": 2222})
    world.ss.control.slow("rows.update", 0.6)  # our write lands after the person's edit
    timer = threading.Timer(
        0.2, lambda: world.ss.edit_cells(sheet, row_id, {"Deal": f"{prefix} typed meanwhile"})
    )
    timer.start()
    world.tick()
    timer.join()
    world.tick()
    assert world.sf.get_record("Opportunity", ids[0])["Name"] == f"{prefix} typed meanwhile"
    row = world.row_of(sheet, ids[0])
    assert row["Amount"] == 2222 and row["Deal"] == f"{prefix} typed meanwhile"


def test_a_second_workflow_joining_a_running_group_backfills(world: World, warp) -> None:
    prefix, ids = deals(world, 3)
    connections = world.connect()
    pipeline(world, prefix, connections=connections)
    world.tick()
    warp.advance(10)
    world.tick()
    sheet_b, _ = pipeline(world, prefix, connections=connections)
    world.tick()
    world.tick()
    assert sorted(r["Salesforce Id"] for r in world.rows(sheet_b)) == sorted(ids)


def test_a_new_workflow_on_a_sheet_that_has_ids_relinks_without_duplicates(world: World) -> None:
    prefix, ids = deals(world, 3)
    connections = world.connect()
    sheet, first = pipeline(world, prefix, connections=connections)
    world.tick()
    world.ss.edit_cells(sheet, world.row_of(sheet, ids[0])["_id"], {"Amount": 1})
    from datetime import UTC, datetime

    from sync.store import repo

    with world.store.unit() as session:  # deleted and imported again under a new id
        wf = repo.to_workflow(repo.workflow_row(session, first))
        repo.delete_workflow(session, first)
    with world.store.unit() as session:
        from dataclasses import replace

        repo.save_workflow(session, replace(wf, id=0, name="again"), datetime.now(UTC))
    world.tick()
    world.tick()
    assert sorted(r["Salesforce Id"] for r in world.rows(sheet)) == sorted(ids)
    assert all(status_of(world, sheet, r["_id"]) == "" for r in world.rows(sheet))
