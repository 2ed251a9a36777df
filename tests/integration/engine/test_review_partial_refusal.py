"""When Smartsheet refuses one row of a bulk write (allowPartialSuccess), the executor keeps
the old synced value "so the change is tried again when it changes again". Nothing else
brings it back: once the record leaves the query window, the Salesforce edit never reaches
the row (update refused) or the record never gets a row at all (add refused)."""

from __future__ import annotations

from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals, pipeline


def _refuse_one_row(world: World, endpoint: str, row_id: int | None, times: int) -> None:
    """The next `times` calls refuse their one row (e.g. the row is locked for a while)."""
    failed = {
        "index": 0,
        "error": {"errorCode": 1008, "message": "Unable to parse request.", "refId": "r1"},
    }
    if row_id is not None:
        failed["rowId"] = row_id
    world.ss.control.inject(
        endpoint,
        200,
        {"message": "PARTIAL_SUCCESS", "resultCode": 3, "result": [], "failedItems": [failed]},
        times=times,
    )


def _let_time_pass(world: World, warp, endpoint: str) -> None:
    warp.advance(10)
    deals(world, 1)  # unrelated opportunities keep changing
    world.tick()  # the row is still refused (the retry happens, and fails again)
    warp.advance(10)
    world.tick()
    world.ss.control.clear_faults()  # Smartsheet accepts the row again from here on


def test_a_salesforce_edit_whose_row_update_was_refused_arrives_later(world: World, warp) -> None:
    prefix, ids = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    world.tick()
    row_id = world.row_of(sheet, ids[0])["_id"]
    world.sf.update("Opportunity", ids[0], {"Amount": 8888})
    _refuse_one_row(world, "rows.update", row_id, times=2)
    world.tick()
    assert world.row_of(sheet, ids[0])["Amount"] == 1000  # refused this time
    _let_time_pass(world, warp, "rows.update")
    world.tick()
    assert world.row_of(sheet, ids[0])["Amount"] == 8888


def test_a_record_whose_new_row_was_refused_gets_a_row_later(world: World, warp) -> None:
    prefix, _ids = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    world.tick()
    new = world.sf.insert(
        "Opportunity",
        {"Name": f"{prefix} late", "StageName": "Prospecting", "CloseDate": "2027-01-01"},
    )
    _refuse_one_row(world, "rows.add", None, times=2)
    world.tick()
    _let_time_pass(world, warp, "rows.add")
    world.tick()
    assert new in [r["Salesforce Id"] for r in world.rows(sheet)]
