"""Cost does not grow with workflows; a crash repeats work but never duplicates rows."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from sync.model import Condition, Direction, Filter
from sync.store.tables import RecordLink

from .conftest import World
from .test_basic_flow import deals, named_deals, pipeline


def test_two_workflows_on_one_object_share_one_query(world: World) -> None:
    prefix, ids = deals(world, 2)
    connections = world.connect()
    sheet_a, _ = pipeline(world, prefix, connections=connections)
    sheet_b, _ = pipeline(world, prefix, connections=connections)
    world.tick()
    world.sf.control.reset_counters()
    world.sf.update("Opportunity", ids[0], {"Amount": 999})
    world.tick()
    assert world.sf.control.count("query*") == 1
    assert world.row_of(sheet_a, ids[0])["Amount"] == 999
    assert world.row_of(sheet_b, ids[0])["Amount"] == 999


def test_fifty_workflows_on_two_objects_cost_two_queries_on_an_idle_tick(world: World) -> None:
    connections = world.connect()
    sheets = []
    for i in range(50):
        sheet = world.sheet(("Name", "TEXT_NUMBER"))
        sheets.append(sheet)
        object_name = "Opportunity" if i % 2 else "Account"
        world.workflow(
            sheet,
            [("Name", "Name", Direction.BOTH)],
            object_name=object_name,
            connections=connections,
            name=f"wf {i}",
            flt=Filter((Condition("Name", "starts with", f"none-{i}-"),)),
        )
    world.tick()  # set-up tick: describes, columns, backfills
    world.tick()
    world.sf.control.reset_counters()
    world.ss.control.reset_counters()
    world.tick()
    assert world.sf.control.count("query*") == 2
    assert world.sf.control.count("query.more") == 0
    assert world.sf.control.count("*") == 2
    # one listing of the sheets modified since the last look, not a version check per sheet
    assert world.ss.control.count("sheets.version") == 0
    assert world.ss.control.count("sheets.list") == 1
    assert world.ss.control.count("*") == 1


class SimulatedCrash(Exception):
    pass


def test_a_crash_between_writing_rows_and_committing_never_duplicates(world: World) -> None:
    prefix, ids = deals(world, 4)
    sheet, _ = pipeline(world, prefix)
    crashed = []

    def note_links(session: Session, *_: object) -> None:
        if any(isinstance(o, RecordLink) for o in session.new):
            session.info["new_links"] = True

    def note_inserts(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        # links go in as one executemany of plain tuples (sync/store/bulk.py), past the ORM
        if statement.startswith("INSERT INTO record_links"):
            inserts.append(world.ss.control.count("rows.add"))

    def crash_once(session: Session) -> None:
        # after the rows were added (the links stored before, as intents, do not count)
        rows_added = world.ss.control.count("rows.add") > 0
        links_after_rows = session.info.get("new_links") or any(inserts)
        if not crashed and rows_added and links_after_rows:
            crashed.append(True)
            raise SimulatedCrash("power cut after the rows were written")

    inserts: list[int] = []
    db = world.store.sessions.kw["bind"]
    event.listen(world.store.sessions, "before_flush", note_links)
    event.listen(db, "before_cursor_execute", note_inserts)
    event.listen(world.store.sessions, "before_commit", crash_once)
    report = world.tick()
    assert crashed and any("unexpected SimulatedCrash" in f for f in report.failures)
    event.remove(world.store.sessions, "before_commit", crash_once)
    event.remove(world.store.sessions, "before_flush", note_links)
    event.remove(db, "before_cursor_execute", note_inserts)
    assert len(world.rows(sheet)) == 4  # written, but not recorded
    world.tick()
    world.tick()
    rows = world.rows(sheet)
    assert sorted(r["Salesforce Id"] for r in rows) == sorted(ids)
    world.sf.update("Opportunity", ids[0], {"Amount": 31337})
    world.tick()
    assert world.row_of(sheet, ids[0])["Amount"] == 31337


@pytest.mark.slow
def test_a_backfill_of_twenty_thousand_records_streams_with_progress(world: World) -> None:
    prefix = f"B{uuid.uuid4().hex[:6]}"
    for i in range(20_000):
        world.sf.insert(
            "Opportunity",
            {
                "Name": f"{prefix} {i:05d}",
                "StageName": "Prospecting",
                "CloseDate": "2027-03-01",
                "Amount": i,
            },
        )
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Amount", "TEXT_NUMBER"))
    wf = world.workflow(
        sheet,
        [("Name", "Deal", Direction.BOTH), ("Amount", "Amount", Direction.BOTH)],
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    report = world.tick()
    assert report.failures == []
    assert len(world.ss.sheet_rows(sheet)) == 20_000
    assert world.ss.control.count("rows.add") == 40  # 500 rows a call
    done = [p for p in world.progress if p[0] == wf]
    assert done[-1][1:] == (20_000, 20_000)
    # one report per step of 500 records (one row add each), in order
    assert [p[1] for p in done] == list(range(500, 20_001, 500))
    world.ss.control.reset_counters()
    world.tick()
    assert world.ss.control.count("rows.*") == 0


def test_smartsheet_failing_mid_backfill_sends_no_later_page_and_the_next_tick_adds_the_rest(
    world: World,
) -> None:
    # steps of 500 records are read, sent and stored overlapped: an outage in the middle
    # of query page 2 (its first 500 rows in, the next call refused) must stop the steps
    # behind it, and the next tick add the rest without a duplicate row
    sheet, wf = named_deals(world, 5_000)
    outage = {"errorCode": 4000, "message": "An unexpected error has occurred."}
    world.ss.control.inject("rows.add", 500, outage, times=1_000, after=5)

    report = world.tick()

    assert report.failures
    # 4 calls for page 1, 1 for page 2's first 500 rows, 3 tries of its next 500, none after
    assert world.ss.control.count("rows.add") == 8
    assert len(world.ss.sheet_rows(sheet)) == 2_500
    # the five steps whose rows went in were stored, the failed one and those after it not
    assert [p[1] for p in world.progress if p[0] == wf] == [500, 1_000, 1_500, 2_000, 2_500]
    world.ss.control.clear_faults()
    world.tick()
    names = [r["Deal"] for r in world.rows(sheet)]
    assert len(names) == 5_000 and len(set(names)) == 5_000
