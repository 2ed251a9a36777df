"""What Salesforce rejects becomes a row error in plain words; the rest still syncs."""

from __future__ import annotations

import uuid

from sync.model import Condition, Direction, Filter, WorkflowOptions

from .conftest import World
from .test_basic_flow import deals, pipeline


def test_a_validation_rule_is_shown_in_the_row(world: World) -> None:
    prefix, ids = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    world.ss.edit_cells(sheet, world.row_of(sheet, ids[0])["_id"], {"Amount": -5})
    world.ss.edit_cells(sheet, world.row_of(sheet, ids[1])["_id"], {"Amount": 5})
    world.tick()
    status = world.row_of(sheet, ids[0])["Sync Status"]
    assert "Amount cannot be negative" in status
    assert world.sf.get_record("Opportunity", ids[0])["Amount"] == 1000
    assert world.sf.get_record("Opportunity", ids[1])["Amount"] == 5


def test_a_restricted_picklist_value_is_rejected_with_its_reason(world: World) -> None:
    prefix = f"P{uuid.uuid4().hex[:6]}"
    record = world.sf.insert("Project__c", {"Name": f"{prefix} one", "Status__c": "Planned"})
    sheet = world.sheet(("Project", "TEXT_NUMBER"), ("Status", "TEXT_NUMBER"))
    world.workflow(
        sheet,
        [("Name", "Project", Direction.BOTH), ("Status__c", "Status", Direction.BOTH)],
        object_name="Project__c",
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    world.tick()
    world.ss.edit_cells(sheet, world.row_of(sheet, record)["_id"], {"Status": "Dreaming"})
    world.tick()
    status = world.row_of(sheet, record)["Sync Status"]
    assert "Dreaming" in status
    assert world.sf.get_record("Project__c", record)["Status__c"] == "Planned"


def test_a_new_row_creates_a_record_exactly_once(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(create_records_from_rows=True))
    world.tick()
    world.ss.add_row(
        sheet,
        {
            "Deal": f"{prefix} typed in the sheet",
            "Stage": "Prospecting",
            "Close": "2027-01-15",
            "Amount": 321,
        },
    )
    world.tick()
    world.tick()
    created = [
        r for r in world.sf.records("Opportunity") if r["Name"] == f"{prefix} typed in the sheet"
    ]
    assert len(created) == 1
    row = world.row_of(sheet, created[0]["Id"])
    assert row["Amount"] == 321
    assert len(world.rows(sheet)) == 2


def test_a_new_row_is_left_alone_when_creating_records_is_off(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    row_id = world.ss.add_row(sheet, {"Deal": f"{prefix} just a note"})
    world.tick()
    assert not [r for r in world.sf.records("Opportunity") if r["Name"] == f"{prefix} just a note"]
    row = next(r for r in world.rows(sheet) if r["_id"] == row_id)
    assert "creating records from rows is off" in row["Sync Status"]


def test_a_row_with_missing_required_values_does_not_create_a_half_record(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(create_records_from_rows=True))
    world.tick()
    row_id = world.ss.add_row(sheet, {"Deal": f"{prefix} no stage"})
    world.tick()
    assert not [r for r in world.sf.records("Opportunity") if r["Name"] == f"{prefix} no stage"]
    status = next(r for r in world.rows(sheet) if r["_id"] == row_id)["Sync Status"]
    assert "Required fields are missing" in status
