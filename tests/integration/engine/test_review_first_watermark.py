"""On a group's first tick the incremental query is skipped and the watermark would become
now - overlap, but only if every member succeeded. If one member fails (here: its sheet lacks
a mapped column, so it is paused), the watermark stays None; the next tick again skips the
query and starts from ITS now - overlap, so a sibling's Salesforce edits made in between are
never fetched."""

from __future__ import annotations

from sync.model import Condition, Direction, Filter
from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals, pipeline


def test_a_broken_sibling_on_the_first_tick_does_not_hide_later_edits(world: World, warp) -> None:
    prefix, ids = deals(world, 2)
    connections = world.connect()
    sheet, _ = pipeline(world, prefix, connections=connections)
    broken = world.sheet(("Something else", "TEXT_NUMBER"))
    world.workflow(
        broken,
        [("Name", "Deal", Direction.BOTH)],  # no "Deal" column: this workflow fails and pauses
        connections=connections,
        flt=Filter((Condition("Name", "starts with", prefix),)),
        name="broken",
    )
    report = world.tick()
    assert report.failures  # the sibling failed
    assert world.row_of(sheet, ids[0])["Amount"] == 1000  # the good workflow backfilled
    world.sf.update("Opportunity", ids[0], {"Amount": 4242})
    warp.advance(5)
    world.tick()
    world.tick()
    assert world.row_of(sheet, ids[0])["Amount"] == 4242
