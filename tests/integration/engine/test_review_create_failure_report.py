"""A row whose record creation Salesforce refuses shows the reason in its status cell, but
the outcome is dropped before row errors are recorded: no DM to the owner, nothing in the
run history (`/sync errors`)."""

from __future__ import annotations

from sync.model import WorkflowOptions
from sync.store import ledger
from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals, pipeline


def test_a_refused_creation_is_reported_to_the_owner(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet, wf = pipeline(world, prefix, options=WorkflowOptions(create_records_from_rows=True))
    world.tick()
    row_id = world.ss.add_row(sheet, {"Deal": f"{prefix} no stage"})
    world.tick()
    status = next(r for r in world.rows(sheet) if r["_id"] == row_id)["Sync Status"]
    assert "Required fields are missing" in status
    assert any("Required fields are missing" in m for m in world.notifier.messages())
    with world.store.unit() as session:
        assert any("Required fields" in e.message for e in ledger.open_errors(session, wf))


def test_fixing_the_row_then_creates_the_record_once(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(create_records_from_rows=True))
    world.tick()
    name = f"{prefix} fixed later"
    row_id = world.ss.add_row(sheet, {"Deal": name})
    world.tick()
    world.tick()
    world.ss.edit_cells(sheet, row_id, {"Stage": "Prospecting", "Close": "2027-02-01"})
    world.tick()
    world.tick()
    created = [r for r in world.sf.records("Opportunity") if r["Name"] == name]
    assert len(created) == 1
    row = world.row_of(sheet, created[0]["Id"])
    assert row["_id"] == row_id and row.get("Sync Status") in (None, "")
