"""A row that is not linked (creating records from rows is off, or a duplicate Id) is stored
as a link with record_id None and state "linked". From then on it is planned as a linked row
whose record is unknown: its note is wiped on the next edit, and when the owner turns
"create records from rows" on, the row is never created."""

from __future__ import annotations

from sync.store import repo
from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals, pipeline

from .conftest import status_of


def test_turning_creation_on_creates_records_for_rows_typed_before(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet, wf = pipeline(world, prefix)
    world.tick()
    name = f"{prefix} typed while creation was off"
    row_id = world.ss.add_row(
        sheet, {"Deal": name, "Stage": "Prospecting", "Close": "2027-01-15", "Amount": 5}
    )
    world.tick()
    assert "creating records from rows is off" in status_of(world, sheet, row_id)
    with world.store.unit() as session:  # the owner turns the option on
        # (directly: repo.save_workflow cannot update a workflow, see test_review_reimport.py)
        repo.workflow_row(session, wf).create_records_from_rows = True
    world.ss.edit_cells(sheet, row_id, {"Amount": 6})
    world.tick()
    world.tick()
    created = [r for r in world.sf.records("Opportunity") if r["Name"] == name]
    assert len(created) == 1


def test_the_not_linked_note_stays_while_the_row_is_edited(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    row_id = world.ss.add_row(sheet, {"Deal": f"{prefix} a note"})
    world.tick()
    assert "creating records from rows is off" in status_of(world, sheet, row_id)
    world.ss.edit_cells(sheet, row_id, {"Deal": f"{prefix} a longer note"})
    world.tick()
    assert "creating records from rows is off" in status_of(world, sheet, row_id)


def test_a_pasted_duplicate_keeps_its_duplicate_note(world: World) -> None:
    prefix, ids = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    copy = world.ss.add_row(sheet, {"Deal": f"{prefix} copy", "Salesforce Id": ids[0]})
    world.tick()
    assert status_of(world, sheet, copy).startswith("Duplicate")
    world.ss.edit_cells(sheet, copy, {"Amount": 1})
    world.tick()
    assert status_of(world, sheet, copy).startswith("Duplicate")
