"""Creating records from rows: a CREATING link (the crash guard) is never left again. The
note tells the owner to "put the record Id in the Id column, or clear this note", but the
planner returns early for CREATING links and does neither; and when the record WAS created
before the crash, the next tick adds a second row for it."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history

from sync.model import WorkflowOptions
from sync.planner import Notes
from sync.store.tables import RecordLink
from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals, pipeline

from .conftest import status_of

NEW_ROW = {"Stage": "Prospecting", "Close": "2027-01-15", "Amount": 321}


def _created(world: World, name: str) -> list[dict]:
    return [r for r in world.sf.records("Opportunity") if r["Name"] == name]


def test_clearing_the_maybe_created_note_retries_the_creation(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(create_records_from_rows=True))
    world.tick()
    name = f"{prefix} typed in the sheet"
    row_id = world.ss.add_row(sheet, {"Deal": name, **NEW_ROW})
    world.sf.control.inject("collections.create", 503, times=3)  # Salesforce down: not created
    world.tick()
    assert _created(world, name) == []
    world.tick()
    assert status_of(world, sheet, row_id).startswith("syncbot may already have created")
    world.ss.edit_cells(sheet, row_id, {"Sync Status": ""})  # "...or clear this note"
    world.tick()
    world.tick()
    assert len(_created(world, name)) == 1, "the row is stuck: never created"


def test_typing_the_record_id_into_a_maybe_created_row_links_it(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(create_records_from_rows=True))
    world.tick()
    name = f"{prefix} typed in the sheet"
    row_id = world.ss.add_row(sheet, {"Deal": name, **NEW_ROW})
    world.sf.control.inject("collections.create", 503, times=3)
    world.tick()
    world.tick()
    # the owner creates it by hand and types its Id, as the note says
    record = world.sf.insert(
        "Opportunity", {"Name": name, "StageName": "Prospecting", "CloseDate": "2027-01-15"}
    )
    world.ss.edit_cells(sheet, row_id, {"Salesforce Id": record})
    world.tick()
    world.tick()
    world.ss.edit_cells(sheet, row_id, {"Amount": 999})
    world.tick()
    assert world.sf.get_record("Opportunity", record)["Amount"] == 999
    assert status_of(world, sheet, row_id) == ""


class SimulatedCrash(Exception):
    pass


def test_a_crash_after_salesforce_created_the_record_adds_no_second_row(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(create_records_from_rows=True))
    world.tick()
    name = f"{prefix} typed in the sheet"
    world.ss.add_row(sheet, {"Deal": name, **NEW_ROW})
    crashed: list[bool] = []

    def crash_once(session: Session, *_: object) -> None:
        for obj in session.dirty:
            if (
                isinstance(obj, RecordLink)
                and "creating" in (get_history(obj, "state").deleted or ())
                and not crashed
            ):
                crashed.append(True)
                raise SimulatedCrash("power cut after Salesforce created the record")

    event.listen(world.store.sessions, "before_flush", crash_once)
    try:
        report = world.tick()  # the engine logs the failed group and goes on
    finally:
        event.remove(world.store.sessions, "before_flush", crash_once)
    assert crashed and any("unexpected SimulatedCrash" in f for f in report.failures)
    assert len(_created(world, name)) == 1  # created once, not recorded
    world.tick()
    world.tick()
    assert len(_created(world, name)) == 1
    rows = [r for r in world.rows(sheet) if r.get("Deal") == name]
    assert len(rows) == 1, [(r["_id"], r.get("Salesforce Id"), r.get("Sync Status")) for r in rows]
    assert rows[0].get("Sync Status") in (None, "", Notes.MAYBE_CREATED)
