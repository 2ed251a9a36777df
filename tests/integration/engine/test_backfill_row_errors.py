"""Issue #11 point 4: every row the backfill adds carries its row error in `Sync Status`
(it sat in the database only), and the error clears when the record is fixed."""

from __future__ import annotations

import uuid

from sync.model import Condition, Direction, Filter

from .conftest import World, status_of


def test_a_backfilled_row_shows_its_error_and_clears_it_when_fixed(world: World) -> None:
    prefix = f"T{uuid.uuid4().hex[:6]}"
    long_id = world.sf.insert("Account", {"Name": f"{prefix} long", "Description": "x" * 5000})
    fine_id = world.sf.insert("Account", {"Name": f"{prefix} fine", "Description": "short"})
    sheet = world.sheet(("Name", "TEXT_NUMBER"), ("About", "TEXT_NUMBER"))
    world.workflow(
        sheet,
        [("Name", "Name", Direction.BOTH), ("Description", "About", Direction.TO_SMARTSHEET)],
        object_name="Account",
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    report = world.tick()
    assert report.failures == []
    long_row = world.row_of(sheet, long_id)
    assert long_row.get("About") is None
    assert "4,000" in status_of(world, sheet, long_row["_id"])
    assert status_of(world, sheet, world.row_of(sheet, fine_id)["_id"]) == ""
    world.sf.update("Account", long_id, {"Description": "now short"})
    world.tick()
    fixed = world.row_of(sheet, long_id)
    assert fixed["About"] == "now short"
    assert status_of(world, sheet, fixed["_id"]) == ""
