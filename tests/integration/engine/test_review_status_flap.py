"""A row error is cleared (and the owner told "resolved", then told again) whenever the row's
record is re-seen in the overlap window while the row itself is not re-read. Because the
group watermark falls back to the newest change seen, a quiet org re-sees that record on
every tick, so the clear / re-report cycle never ends."""

from __future__ import annotations

from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals, pipeline

from .conftest import dm_pairs, status_of


def test_an_error_in_one_cell_survives_a_salesforce_edit_to_another_field(world: World) -> None:
    prefix, ids = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    row_id = world.row_of(sheet, ids[0])["_id"]
    world.ss.edit_cells(sheet, row_id, {"Amount": "12k"})
    world.tick()  # error shown
    world.tick()  # our status write is read back: settled
    assert "12k" in status_of(world, sheet, row_id)
    world.sf.update("Opportunity", ids[0], {"Name": f"{prefix} renamed in Salesforce"})
    world.tick()
    row = world.row_of(sheet, ids[0])
    assert row["Deal"] == f"{prefix} renamed in Salesforce"
    assert row["Amount"] == "12k"  # the bad value is still in the cell...
    assert "12k" in (row.get("Sync Status") or ""), "...but its error was cleared"


def test_quiet_ticks_do_not_keep_rewriting_the_status_or_dm_the_owner(world: World) -> None:
    prefix, ids = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    row_id = world.row_of(sheet, ids[0])["_id"]
    world.ss.edit_cells(sheet, row_id, {"Amount": "12k"})
    world.tick()
    world.tick()
    world.sf.update("Opportunity", ids[0], {"Name": f"{prefix} renamed in Salesforce"})
    world.tick()
    world.tick()
    world.tick()
    world.ss.control.reset_counters()
    sent_before = len(dm_pairs(world))
    for _ in range(9):  # nothing changes anywhere from here on
        world.tick()
    assert world.ss.control.count("rows.update") == 0, "status cell rewritten on quiet ticks"
    assert dm_pairs(world)[sent_before:] == [], "owner DM'd resolved/new again and again"


def test_the_cycle_does_not_stop_when_the_overlap_window_has_long_passed(
    world: World, warp
) -> None:
    """The watermark is set to the newest SystemModstamp seen, even when that is older than
    the watermark the query started from, so the last-changed record stays in every query."""
    prefix, ids = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    row_id = world.row_of(sheet, ids[0])["_id"]
    world.ss.edit_cells(sheet, row_id, {"Amount": "12k"})
    world.tick()
    world.tick()
    world.sf.update("Opportunity", ids[0], {"Name": f"{prefix} renamed in Salesforce"})
    for _ in range(3):
        world.tick()
    world.ss.control.reset_counters()
    for _ in range(5):
        warp.advance(20)  # 20 minutes between ticks, nothing edited anywhere
        world.tick()
    assert world.ss.control.count("rows.update") == 0
