"""A new workflow on a sheet that already holds two rows with the same Id: the backfill maps
Id → row with a dict, so one of the two rows is "consumed" without being linked or noted;
it never gets the Duplicate note."""

from __future__ import annotations

from sync.model import Condition, Direction, Filter
from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals

from .conftest import status_of


def test_both_copies_of_an_id_are_accounted_for_on_the_first_tick(world: World) -> None:
    prefix, ids = deals(world, 2)
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Salesforce Id", "TEXT_NUMBER"))
    world.ss.add_row(sheet, {"Salesforce Id": ids[0], "Deal": "first copy"})
    world.ss.add_row(sheet, {"Salesforce Id": ids[0], "Deal": "second copy"})
    world.workflow(
        sheet,
        [("Name", "Deal", Direction.BOTH)],
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    world.tick()
    world.tick()
    rows = world.rows(sheet)
    assert len(rows) == 3  # two copies + the row for ids[1]
    copies = [r for r in rows if r.get("Salesforce Id") == ids[0]]
    statuses = sorted(status_of(world, sheet, r["_id"]) for r in copies)
    assert statuses[0] == "" and statuses[1].startswith("Duplicate"), statuses
