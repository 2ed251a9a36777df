"""Review findings whose fix is a refusal or a note rather than the behaviour first asked."""

from __future__ import annotations

import pytest

from sync.errors import ConfigurationError
from sync.model import Condition, Direction, Filter, OnRecordDeleted, WorkflowOptions

from .conftest import World, status_of
from .test_basic_flow import deals, pipeline


def test_a_typed_row_outside_the_filter_is_not_created_and_says_why(world: World) -> None:
    prefix, _ = deals(world, 1)
    options = WorkflowOptions(
        create_records_from_rows=True, on_record_deleted=OnRecordDeleted.DELETE_ROW
    )
    sheet, _ = pipeline(world, prefix, options=options)
    world.tick()
    row_id = world.ss.add_row(
        sheet, {"Deal": "Typed without the prefix", "Stage": "Prospecting", "Close": "2027-01-15"}
    )
    world.tick()
    world.tick()
    assert not [
        r for r in world.sf.records("Opportunity") if r["Name"] == "Typed without the prefix"
    ]
    assert (
        status_of(world, sheet, row_id)
        == "Not created: these values do not match this workflow's filter"
    )


def test_a_filter_on_an_unmapped_field_blocks_creating_with_a_note(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Close", "DATE"), ("Stage", "TEXT_NUMBER"))
    world.workflow(
        sheet,
        [
            ("Name", "Deal", Direction.BOTH),
            ("CloseDate", "Close", Direction.BOTH),
            ("StageName", "Stage", Direction.BOTH),
        ],
        flt=Filter((Condition("Name", "starts with", prefix), Condition("Amount", ">", 0))),
        options=WorkflowOptions(create_records_from_rows=True),
    )
    world.tick()
    row_id = world.ss.add_row(
        sheet, {"Deal": f"{prefix} new", "Stage": "Prospecting", "Close": "2027-01-15"}
    )
    world.tick()
    assert "filter uses fields this sheet does not map" in status_of(world, sheet, row_id)


def test_a_second_workflow_on_the_same_id_column_is_refused(world: World) -> None:
    prefix, _ = deals(world, 1)
    connections = world.connect()
    sheet, _ = pipeline(world, prefix, connections=connections)
    with pytest.raises(ConfigurationError, match="already keeps the links of workflow"):
        world.workflow(
            sheet, [("Name", "Deal", Direction.BOTH)], connections=connections, name="second"
        )
