"""Importing many workflows fetches each describe once per connection and object and
each sheet's columns once, whatever the number of workflows (DESIGN: `workflows import`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sync.ids import to_18
from sync.model import Direction, FieldMapping
from sync.store import repo
from sync.workflow_file import WorkflowSpec
from sync.workflows import import_specs

from .conftest import OWNER, TEAM, World


def test_twenty_workflows_on_one_object_cost_one_describe_and_one_read_per_sheet(
    world: World,
) -> None:
    world.connect()
    sheets = [world.sheet(("Deal", "TEXT_NUMBER"), ("Amount", "TEXT_NUMBER")) for _ in range(20)]
    specs = [
        WorkflowSpec(
            name=f"import {n}",
            team=TEAM,
            owner=OWNER,
            org=to_18(world.sf.org_id),
            object="Opportunity",
            sheet=sheet,
            fields=(
                FieldMapping("Name", "Deal", Direction.BOTH),
                FieldMapping("Amount", "Amount", Direction.BOTH),
            ),
        )
        for n, sheet in enumerate(sheets)
    ]
    world.sf.control.reset_counters()
    world.ss.control.reset_counters()
    ids = import_specs(world.store, world.connectors, specs, datetime.now(UTC))
    assert len(ids) == 20
    assert world.sf.control.count("describe") == 1
    assert world.sf.control.count("*") == 1
    assert world.ss.control.count("sheets.get") == 20  # each sheet's columns, once
    # validation has no side effect: the Id and status columns come with the first sync
    assert world.ss.control.count("columns.add") == 0
    assert world.ss.control.count("*") == 20


def test_thirty_workflows_of_three_owners_cost_one_describe_per_connection(
    world: World,
) -> None:
    owners = [f"U0IMPORT{n:03d}" for n in range(3)]
    connections = [world.connect(owner=owner) for owner in owners]
    sheets = [world.sheet(("Deal", "TEXT_NUMBER"), ("Amount", "TEXT_NUMBER")) for _ in range(30)]
    specs = [
        WorkflowSpec(
            name=f"import {n}",
            team=TEAM,
            owner=owners[n % 3],
            org=to_18(world.sf.org_id),
            object="Opportunity",
            sheet=sheet,
            fields=(
                FieldMapping("Name", "Deal", Direction.BOTH),
                FieldMapping("Amount", "Amount", Direction.BOTH),
            ),
        )
        for n, sheet in enumerate(sheets)
    ]
    world.sf.control.reset_counters()
    world.ss.control.reset_counters()
    ids = import_specs(world.store, world.connectors, specs, datetime.now(UTC))
    assert len(set(ids)) == 30
    assert world.sf.control.count("describe") == 3  # once per (connection, object)
    assert world.sf.control.count("*") == 3
    assert world.ss.control.count("sheets.get") == 30
    assert world.ss.control.count("*") == 30
    with world.store.unit() as session:
        saved = {wf.id: wf for wf in repo.workflows(session, team_id=TEAM)}
    # each workflow runs on its own owner's connections
    for n, workflow_id in enumerate(ids):
        assert saved[workflow_id].owner_id == owners[n % 3]
        assert saved[workflow_id].salesforce_connection_id == connections[n % 3][0]
        assert saved[workflow_id].smartsheet_connection_id == connections[n % 3][1]
