"""After a workflow's first tick the sheet version is stored but rows_read_at is not (the
tick ends in the "idle" branch), so the next read asks only for rows modified in the last
`overlap` (120 s) before THAT tick: a sheet edit made earlier is never read."""

from __future__ import annotations

from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals, pipeline


def test_a_sheet_edit_made_soon_after_the_first_tick_reaches_salesforce(world: World, warp) -> None:
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(world, prefix)
    world.tick()  # backfill: three rows added
    row_id = world.row_of(sheet, ids[0])["_id"]
    world.ss.edit_cells(sheet, row_id, {"Amount": 777})
    warp.advance(5)  # e.g. SYNC_POLL_INTERVAL=300, or the first tick was a long backfill
    world.tick()
    world.tick()
    assert world.sf.get_record("Opportunity", ids[0])["Amount"] == 777


def test_the_same_edit_after_a_second_tick_does_reach_salesforce(world: World, warp) -> None:
    """Control: once a non-idle tick has stored rows_read_at, the window is right."""
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    world.tick()  # reads the rows the backfill added: rows_read_at is now stored
    row_id = world.row_of(sheet, ids[0])["_id"]
    world.ss.edit_cells(sheet, row_id, {"Amount": 777})
    warp.advance(5)
    world.tick()
    assert world.sf.get_record("Opportunity", ids[0])["Amount"] == 777
