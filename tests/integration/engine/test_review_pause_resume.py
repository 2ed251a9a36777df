"""Pausing a workflow removes it from its group, but the group watermark keeps moving for
the siblings, so on resume the workflow never sees the Salesforce edits made while it was
paused. And a safety stop tells the owner to "resume the workflow to go ahead", but resuming
meets the same stop again: there is no way to go ahead."""

from __future__ import annotations

from datetime import UTC, datetime

from sync.model import OnRecordDeleted, WorkflowOptions
from sync.store import repo
from sync.workflows import resume
from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals, pipeline


def _set_state(world: World, wf: int, state: str) -> None:
    with world.store.unit() as session:
        if state == "paused":
            repo.pause_workflows(session, [wf], "paused by the owner", datetime.now(UTC))
        else:
            repo.workflow_row(session, wf).state = "active"


def test_edits_made_while_paused_arrive_after_resume(world: World, warp) -> None:
    prefix, ids = deals(world, 2)
    connections = world.connect()
    sheet_a, wf_a = pipeline(world, prefix, connections=connections)
    sheet_c, _ = pipeline(world, prefix, connections=connections)  # same org, same object
    world.tick()
    _set_state(world, wf_a, "paused")
    world.sf.update("Opportunity", ids[0], {"Amount": 5151})
    world.tick()
    assert world.row_of(sheet_c, ids[0])["Amount"] == 5151  # the sibling got it
    warp.advance(10)
    world.sf.update("Opportunity", ids[1], {"Amount": 6262})  # life goes on in the org
    world.tick()
    warp.advance(10)
    world.tick()
    _set_state(world, wf_a, "active")
    world.tick()
    world.tick()
    assert world.row_of(sheet_a, ids[1])["Amount"] == 6262  # the later edit arrives
    assert world.row_of(sheet_a, ids[0])["Amount"] == 5151  # the one made while paused?


def test_resuming_after_a_safety_stop_goes_ahead(world: World) -> None:
    prefix, ids = deals(world, 12)
    sheet, wf = pipeline(
        world, prefix, options=WorkflowOptions(on_record_deleted=OnRecordDeleted.DELETE_ROW)
    )
    world.tick()
    for record_id in ids[:8]:
        world.sf.delete("Opportunity", record_id)
    first = world.tick()
    assert any("would remove 8 of 12" in f for f in first.failures)
    resume(world.store, wf, datetime.now(UTC))  # resumed without accepting: stops again
    assert any("would remove 8 of 12" in f for f in world.tick().failures)
    assert len(world.rows(sheet)) == 12
    resume(world.store, wf, datetime.now(UTC), accept_changes=True)  # checked, and accepted
    again = world.tick()
    assert again.failures == [], again.failures
    assert len(world.rows(sheet)) == 4
