"""Updating an existing workflow (what `workflows import` does for a known name, and what
`/sync edit` will do) either crashes, or leaves the engine's per-workflow state as it was:
a widened filter is never backfilled, so records that now match get no row until they
happen to change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sync.model import Condition, Direction, Filter
from sync.store import repo
from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals


def test_saving_an_existing_workflow_again_works(world: World) -> None:
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Amount", "TEXT_NUMBER"))
    wf_id = world.workflow(
        sheet, [("Name", "Deal", Direction.BOTH), ("Amount", "Amount", Direction.BOTH)]
    )
    with world.store.unit() as session:
        wf = repo.to_workflow(repo.workflow_row(session, wf_id))
    with world.store.unit() as session:
        assert repo.save_workflow(session, replace(wf, name="renamed"), datetime.now(UTC)) == wf_id


def test_widening_the_filter_brings_in_the_records_that_now_match(world: World, warp) -> None:
    prefix, ids = deals(world, 2)
    world.sf.update("Opportunity", ids[1], {"StageName": "Qualification"})
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Stage", "TEXT_NUMBER"))
    wf = world.workflow(
        sheet,
        [("Name", "Deal", Direction.BOTH), ("StageName", "Stage", Direction.BOTH)],
        flt=Filter(
            (Condition("Name", "starts with", prefix), Condition("StageName", "=", "Prospecting"))
        ),
    )
    world.tick()
    assert [r["Salesforce Id"] for r in world.rows(sheet)] == [ids[0]]
    warp.advance(10)
    deals(world, 1)  # other opportunities change in the org meanwhile
    world.tick()
    warp.advance(10)
    world.tick()
    with world.store.unit() as session:  # the owner drops the stage condition
        current = repo.to_workflow(repo.workflow_row(session, wf))
        wider = Filter((Condition("Name", "starts with", prefix),))
        repo.save_workflow(session, replace(current, filter=wider), datetime.now(UTC))
    world.tick()
    world.tick()
    assert sorted(r["Salesforce Id"] for r in world.rows(sheet)) == sorted(ids)
