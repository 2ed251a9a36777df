"""Deleted rows are looked for only when totalRowCount < the number of linked rows. A
deleted linked row plus any row that holds no link (a blank row, a row whose Id is unknown)
keeps the counts equal, so the deletion is never noticed: the link keeps pointing at a row
that is gone, and every later Salesforce edit of the record fails and is reported."""

from __future__ import annotations

from sync.model import WorkflowOptions
from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals, pipeline


def test_a_deleted_row_is_let_go_even_when_a_blank_row_was_added(world: World) -> None:
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(create_records_from_rows=True))
    world.tick()
    world.ss.delete_row(sheet, world.row_of(sheet, ids[0])["_id"])
    world.ss.add_row(sheet, {"Amount": None})  # a blank row (nothing to create yet)
    world.tick()
    world.sf.update("Opportunity", ids[0], {"Amount": 4040})
    report = world.tick()
    assert report.failures == []
    assert not any("refused" in m for m in world.notifier.messages()), world.notifier.messages()
