"""Issue #11 points 4-6: what syncbot did not do with a row is said in the row."""

from __future__ import annotations

import uuid

from sync.model import WorkflowOptions
from sync.planner import Notes

from .conftest import World, status_of
from .test_basic_flow import pipeline


def test_a_typed_id_of_a_record_the_owner_cannot_see_is_explained_in_the_row(
    world: World,
) -> None:
    prefix = f"T{uuid.uuid4().hex[:6]}"
    mine = world.sf.insert(
        "Opportunity",
        {"Name": f"{prefix} mine", "StageName": "Prospecting", "CloseDate": "2027-01-01"},
        as_user="rep",
    )
    hidden = world.sf.insert(
        "Opportunity",
        {"Name": f"{prefix} hidden", "StageName": "Prospecting", "CloseDate": "2027-01-01"},
    )
    sheet, _ = pipeline(world, prefix, connections=world.connect(sf_user="rep"))
    world.tick()
    assert [r["Salesforce Id"] for r in world.rows(sheet)] == [mine]
    before = world.sf.get_record("Opportunity", hidden)
    row_id = world.ss.add_row(sheet, {"Deal": "mine now", "Salesforce Id": hidden})
    report = world.tick()
    assert report.failures == []
    assert status_of(world, sheet, row_id) == Notes.UNKNOWN_RECORD
    assert world.sf.get_record("Opportunity", hidden) == before
    assert len([r for r in world.sf.records("Opportunity") if r["Name"] == "mine now"]) == 0


def test_a_value_typed_into_a_one_way_column_of_a_new_row_is_said_not_sent(
    world: World,
) -> None:
    prefix = f"T{uuid.uuid4().hex[:6]}"
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(create_records_from_rows=True))
    world.tick()
    name = f"{prefix} typed"
    row_id = world.ss.add_row(
        sheet,
        {"Deal": name, "Account": "Typed Co", "Stage": "Prospecting", "Close": "2027-01-15"},
    )
    report = world.tick()
    assert report.failures == []
    [record] = [r for r in world.sf.records("Opportunity") if r["Name"] == name]
    assert record["AccountId"] is None
    assert status_of(world, sheet, row_id) == Notes.ONE_WAY.format(fields="Account.Name")
