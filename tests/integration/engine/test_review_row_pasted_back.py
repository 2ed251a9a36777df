"""A person deletes a linked row by mistake and pastes it back (or moves it by copy, paste
and delete). The new row carries the record's Id, but the record's link is now a tombstone
(row None), which _with_relinks counts as "already linked": the row is told it is a
"Duplicate: another row already holds this Salesforce Id" (no row does) and the record is
never synced again."""

from __future__ import annotations

from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals, pipeline

from .conftest import status_of


def _paste_back(world: World, sheet: int, row: dict) -> int:
    values = {k: v for k, v in row.items() if k not in ("_id", "Sync Status") and v is not None}
    return world.ss.add_row(sheet, values)


def test_a_row_pasted_back_after_a_delete_syncs_again(world: World) -> None:
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    row = world.row_of(sheet, ids[0])
    world.ss.delete_row(sheet, row["_id"])
    world.tick()  # the deletion is noticed: the link becomes a tombstone
    new_id = _paste_back(world, sheet, row)
    world.tick()
    world.tick()
    assert status_of(world, sheet, new_id) == ""
    world.sf.update("Opportunity", ids[0], {"Amount": 3131})
    world.tick()
    assert world.row_of(sheet, ids[0])["Amount"] == 3131


def test_a_row_moved_by_copy_paste_delete_in_one_go_syncs_again(world: World) -> None:
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    row = world.row_of(sheet, ids[0])
    new_id = _paste_back(world, sheet, row)
    world.ss.delete_row(sheet, row["_id"])
    world.tick()
    world.tick()
    assert status_of(world, sheet, new_id) == ""
    world.sf.update("Opportunity", ids[0], {"Amount": 3232})
    world.tick()
    assert world.row_of(sheet, ids[0])["Amount"] == 3232
