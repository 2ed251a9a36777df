"""Values cross in the directions each mapping allows, and our own writes never echo."""

from __future__ import annotations

import uuid

from sync.model import Condition, Direction, Filter

from .conftest import World

BOTH, TO_SHEET, TO_SF = Direction.BOTH, Direction.TO_SMARTSHEET, Direction.TO_SALESFORCE


def deals(world: World, n: int = 3, **values: object) -> tuple[str, list[str]]:
    """n fresh opportunities whose names share a prefix the workflow filters on."""
    prefix = f"T{uuid.uuid4().hex[:6]}"
    account = world.sf.insert("Account", {"Name": f"{prefix} Holdings"})
    ids = [
        world.sf.insert(
            "Opportunity",
            {
                "Name": f"{prefix} deal {i}",
                "StageName": "Prospecting",
                "CloseDate": "2026-12-31",
                "Amount": 1000 * (i + 1),
                "AccountId": account,
                **values,
            },
        )
        for i in range(n)
    ]
    return prefix, ids


def named_deals(world: World, n: int) -> tuple[int, int]:
    """n bare opportunities and a workflow copying their names to a one-column sheet:
    (sheet, workflow). For backfills of thousands, where only the rows' count matters."""
    prefix = f"N{uuid.uuid4().hex[:6]}"
    for i in range(n):
        deal = {"Name": f"{prefix} {i:05d}", "StageName": "Prospecting", "CloseDate": "2027-03-01"}
        world.sf.insert("Opportunity", deal)
    sheet = world.sheet(("Deal", "TEXT_NUMBER"))
    wf = world.workflow(
        sheet, [("Name", "Deal", BOTH)], flt=Filter((Condition("Name", "starts with", prefix),))
    )
    return sheet, wf


def pipeline(world: World, prefix: str, **kwargs: object) -> tuple[int, int]:
    sheet = world.sheet(
        ("Deal", "TEXT_NUMBER"),
        ("Account", "TEXT_NUMBER"),
        ("Stage", "TEXT_NUMBER"),
        ("Amount", "TEXT_NUMBER"),
        ("Close", "DATE"),
    )
    wf = world.workflow(
        sheet,
        [
            ("Name", "Deal", BOTH),
            ("Account.Name", "Account", TO_SHEET),
            ("StageName", "Stage", BOTH),
            ("Amount", "Amount", BOTH),
            ("CloseDate", "Close", BOTH),
        ],
        flt=Filter((Condition("Name", "starts with", prefix),)),
        **kwargs,
    )  # type: ignore[arg-type]
    return sheet, wf


def test_new_records_become_rows_with_every_mapped_value(world: World) -> None:
    prefix, ids = deals(world)
    sheet, _ = pipeline(world, prefix)
    report = world.tick()
    assert report.failures == []
    rows = world.rows(sheet)
    assert sorted(r["Salesforce Id"] for r in rows) == sorted(ids)
    row = world.row_of(sheet, ids[1])
    assert row["Deal"] == f"{prefix} deal 1"
    assert row["Account"] == f"{prefix} Holdings"
    assert row["Amount"] == 2000
    assert row["Close"] == "2026-12-31"
    assert row["Stage"] == "Prospecting"


def test_a_second_tick_with_no_edits_writes_nothing(world: World) -> None:
    prefix, _ = deals(world)
    pipeline(world, prefix)
    world.tick()
    before_sf = world.sf.control.count("collections.*")
    before_rows = world.ss.control.count("rows.*")
    report = world.tick()
    report_again = world.tick()
    assert world.sf.control.count("collections.*") == before_sf
    assert world.ss.control.count("rows.*") == before_rows
    for r in (report, report_again):
        stats = [e.stats for e in r.executions.values()]
        assert all(s.rows_updated == 0 and s.records_updated == 0 for s in stats)


def test_an_edit_in_salesforce_reaches_the_cell(world: World) -> None:
    prefix, ids = deals(world)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    world.sf.update("Opportunity", ids[0], {"Amount": 4321.5, "StageName": "Qualification"})
    world.tick()
    row = world.row_of(sheet, ids[0])
    assert row["Amount"] == 4321.5
    assert row["Stage"] == "Qualification"


def test_an_edit_in_the_sheet_reaches_salesforce(world: World) -> None:
    prefix, ids = deals(world)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    row = world.row_of(sheet, ids[2])
    world.ss.edit_cells(sheet, row["_id"], {"Deal": f"{prefix} renamed", "Amount": 77})
    world.tick()
    record = world.sf.get_record("Opportunity", ids[2])
    assert record["Name"] == f"{prefix} renamed"
    assert record["Amount"] == 77


def test_a_related_field_shows_and_an_edit_to_it_is_put_back(world: World) -> None:
    prefix, ids = deals(world)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    row = world.row_of(sheet, ids[0])
    world.ss.edit_cells(sheet, row["_id"], {"Account": "Someone Else Inc"})
    world.tick()
    assert world.row_of(sheet, ids[0])["Account"] == f"{prefix} Holdings"
    account_id = world.sf.get_record("Opportunity", ids[0])["AccountId"]
    assert world.sf.get_record("Account", account_id)["Name"] == f"{prefix} Holdings"


def test_a_type_mismatch_shows_in_the_status_column_and_clears_when_fixed(world: World) -> None:
    prefix, ids = deals(world)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    row = world.row_of(sheet, ids[0])
    world.ss.edit_cells(sheet, row["_id"], {"Amount": "12k", "Deal": f"{prefix} still syncs"})
    world.tick()
    status = world.row_of(sheet, ids[0])["Sync Status"]
    assert "Amount" in status and "12k" in status
    record = world.sf.get_record("Opportunity", ids[0])
    assert record["Amount"] == 1000  # untouched
    assert record["Name"] == f"{prefix} still syncs"  # the rest of the row went through
    assert any("12k" in m for m in world.notifier.messages())
    world.ss.edit_cells(sheet, row["_id"], {"Amount": 1500})
    world.tick()
    assert world.row_of(sheet, ids[0]).get("Sync Status") in (None, "")
    assert world.sf.get_record("Opportunity", ids[0])["Amount"] == 1500
