"""Issue #11 point 0: after a crash between writing and storing the links, syncbot knows
what it wrote, so a person's later edit of such a row or record is an edit, not a conflict
that the default policy (Salesforce wins) would undo."""

from __future__ import annotations

from sync.model import WorkflowOptions

from .conftest import World
from .crash import crash_after
from .test_basic_flow import deals, pipeline


def test_a_row_edited_after_a_crash_that_lost_its_links_goes_to_salesforce(
    world: World,
) -> None:
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(world, prefix)
    with crash_after(world.store, lambda: world.ss.control.count("rows.add") > 0) as crashed:
        report = world.tick()
    assert crashed and report.failures  # rows written, their links never committed
    row = next(r for r in world.rows(sheet) if r["Salesforce Id"] == ids[1])
    world.ss.edit_cells(sheet, row["_id"], {"Amount": 4242})
    report = world.tick()
    assert report.failures == []
    assert world.sf.get_record("Opportunity", ids[1])["Amount"] == 4242
    assert world.row_of(sheet, ids[1])["Amount"] == 4242
    assert len(world.rows(sheet)) == 3


def test_a_row_edited_after_a_crash_that_lost_its_created_record_goes_to_salesforce(
    world: World,
) -> None:
    prefix, _ = deals(world, 1)
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(create_records_from_rows=True))
    world.tick()
    name = f"{prefix} typed in the sheet"
    row_id = world.ss.add_row(
        sheet, {"Deal": name, "Stage": "Prospecting", "Close": "2027-01-15", "Amount": 321}
    )
    created = world.sf.control.count("collections.create")
    with crash_after(
        world.store, lambda: world.sf.control.count("collections.create") > created
    ) as crashed:
        world.tick()
    assert crashed  # the record exists, its id was never stored nor written to the row
    [record] = [r for r in world.sf.records("Opportunity") if r["Name"] == name]
    world.ss.edit_cells(sheet, row_id, {"Amount": 654})
    report = world.tick()
    assert report.failures == []
    assert world.sf.get_record("Opportunity", record["Id"])["Amount"] == 654
    assert [r["Id"] for r in world.sf.records("Opportunity") if r["Name"] == name] == [record["Id"]]
    assert world.row_of(sheet, record["Id"])["Amount"] == 654
