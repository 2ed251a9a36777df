"""The engine on Smartsheet's real rules (issue #10, points 1-4): locked columns, column
formulas, strict picklists whose options change, and a sheet deleted under a workflow.

| situation                                          | what the owner gets                  |
|----------------------------------------------------|--------------------------------------|
| Editor owner maps to a locked column               | set-up refused, column named         |
| a column locked after set-up (Editor owner)        | workflow paused once, column named   |
| a lock, when the owner owns the sheet              | nothing: Owner and Admins may write  |
| a column formula as a target                       | set-up refused, column named         |
| a column formula as a "to Salesforce" source       | works                                |
| a column formula added after set-up                | workflow paused once, column named   |
| picklist options changed after set-up              | writes keep working                  |
| the sheet deleted while the workflow uses it       | workflow paused with a message       |
"""

from __future__ import annotations

from sync.model import Condition, Direction, FieldMapping, Filter
from sync.store import repo
from sync.workflow_file import WorkflowFileError, WorkflowSpec
from sync.workflows import import_specs

from .conftest import OWNER, TEAM, World
from .test_basic_flow import deals

BOTH, TO_SHEET, TO_SF = Direction.BOTH, Direction.TO_SMARTSHEET, Direction.TO_SALESFORCE


def shared_sheet(world: World, *extra: tuple[str, str] | tuple[str, str, dict[str, object]]) -> int:
    """A sheet of the "owner" shared with "editor" as EDITOR. It has syncbot's Id and
    status columns already: only Owner and Admins may add columns."""
    own = (("Salesforce Id", "TEXT_NUMBER"), ("Sync Status", "TEXT_NUMBER"))
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Amount", "TEXT_NUMBER"), *extra, *own)
    world.ss.share(sheet, "editor", "EDITOR")
    return sheet


def a_spec(
    world: World,
    connections: tuple[int, int],
    sheet: int,
    prefix: str,
    fields: list[tuple[str, str, Direction]],
) -> WorkflowSpec:
    with world.store.unit() as session:
        org = repo.get_connection(session, connections[0]).org_id  # type: ignore[union-attr]
    return WorkflowSpec(
        name=f"wf {prefix}",
        team=TEAM,
        owner=OWNER,
        org=org,
        object="Opportunity",
        sheet=sheet,
        fields=tuple(FieldMapping(f, c, d) for f, c, d in fields),
        filter=Filter((Condition("Name", "starts with", prefix),)),
    )


def set_up(world: World, spec: WorkflowSpec) -> list[str]:
    """The problems set-up reports ([] when the workflow was saved)."""
    try:
        import_specs(world.store, world.connectors, [spec], world.engine.clock.now())
    except WorkflowFileError as exc:
        return exc.problems
    return []


def paused_reason(world: World, wf: int) -> str:
    with world.store.unit() as session:
        row = repo.workflow_row(session, wf)
        assert row.state == "paused", "the workflow should be paused"
        return row.paused_reason


def row_statuses(world: World, sheet: int) -> list[str]:
    return [r.get("Sync Status") or "" for r in world.rows(sheet)]


# -- 1. locked columns ------------------------------------------------------------------
def test_an_editor_owner_cannot_map_to_a_locked_column(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet = shared_sheet(world)
    world.ss.lock_column(sheet, "Amount")
    connections = world.connect(ss_user="editor")

    problems = set_up(
        world,
        a_spec(
            world, connections, sheet, prefix, [("Name", "Deal", BOTH), ("Amount", "Amount", BOTH)]
        ),
    )
    from_sheet = set_up(
        world,
        a_spec(
            world, connections, sheet, prefix, [("Name", "Deal", BOTH), ("Amount", "Amount", TO_SF)]
        ),
    )

    assert len(problems) == 1
    assert "“Amount” is locked" in problems[0] and "owner or an admin" in problems[0]
    assert from_sheet == []  # reading a locked column is fine


def test_a_lock_added_later_pauses_the_workflow_once_naming_the_column(world: World) -> None:
    prefix, ids = deals(world, 3)
    sheet = shared_sheet(world)
    connections = world.connect(ss_user="editor")
    wf = world.workflow(
        sheet,
        [("Name", "Deal", BOTH), ("Amount", "Amount", BOTH)],
        connections=connections,
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    assert world.tick().failures == []
    world.ss.lock_column(sheet, "Amount")
    for record in ids:
        world.sf.update("Opportunity", record, {"Amount": 777})

    report = world.tick()

    reason = paused_reason(world, wf)
    assert "“Amount” is locked" in reason
    assert len([f for f in report.failures if f"workflow {wf}" in f]) == 1
    assert not any(status for status in row_statuses(world, sheet)), "no error per row"
    assert [m for m in world.notifier.messages() if "Amount" in m] == [reason]


def test_a_lock_does_not_stop_a_workflow_whose_owner_owns_the_sheet(world: World) -> None:
    prefix, ids = deals(world, 1)
    sheet = shared_sheet(world)
    world.workflow(
        sheet,
        [("Name", "Deal", BOTH), ("Amount", "Amount", BOTH)],
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    world.tick()
    world.ss.lock_column(sheet, "Amount")
    world.sf.update("Opportunity", ids[0], {"Amount": 4321})

    assert world.tick().failures == []
    assert world.row_of(sheet, ids[0])["Amount"] == 4321


# -- 2. column formulas ---------------------------------------------------------------------
def test_a_formula_column_is_refused_as_a_target(world: World) -> None:
    prefix, _ = deals(world, 1)
    sheet = shared_sheet(world, ("Double", "TEXT_NUMBER"))
    world.ss.set_column(sheet, "Double", formula="=Amount@row * 2")
    connections = world.connect()

    problems = set_up(
        world,
        a_spec(
            world, connections, sheet, prefix, [("Name", "Deal", BOTH), ("Amount", "Double", BOTH)]
        ),
    )

    assert len(problems) == 1 and "“Double” is computed by a column formula" in problems[0]
    assert "“to Salesforce” only" in problems[0]


def test_a_formula_column_feeds_salesforce(world: World) -> None:
    prefix, ids = deals(world, 1)
    sheet = shared_sheet(world, ("Double", "TEXT_NUMBER"))
    world.ss.set_column(sheet, "Double", formula="=Amount@row * 2")
    world.workflow(
        sheet,
        [("Name", "Deal", BOTH), ("Amount", "Double", TO_SF)],
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    world.tick()
    row = world.row_of(sheet, ids[0])

    world.ss.edit_cells(sheet, row["_id"], {"Amount": 21})  # "Amount" is an unmapped column
    report = world.tick()

    assert report.failures == []
    assert world.row_of(sheet, ids[0])["Double"] == 42
    assert world.sf.get_record("Opportunity", ids[0])["Amount"] == 42


def test_a_column_formula_added_later_pauses_the_workflow_naming_the_column(
    world: World,
) -> None:
    prefix, ids = deals(world, 2)
    sheet = shared_sheet(world)
    wf = world.workflow(
        sheet,
        [("Name", "Deal", BOTH), ("Amount", "Amount", TO_SHEET)],
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    world.tick()
    world.ss.set_column(sheet, "Amount", formula="=2 * 21")
    for record in ids:
        world.sf.update("Opportunity", record, {"Amount": 99})

    world.tick()

    assert "“Amount” is computed by a column formula" in paused_reason(world, wf)
    assert not any(status for status in row_statuses(world, sheet))


# -- 3. strict picklists --------------------------------------------------------------------
def test_writes_keep_working_when_the_picklist_options_change_after_set_up(
    world: World,
) -> None:
    prefix, ids = deals(world, 2, StageName="Qualification")
    options = {"options": ["Prospecting", "Qualification"]}
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Stage", "PICKLIST", options))
    world.workflow(
        sheet,
        [("Name", "Deal", BOTH), ("StageName", "Stage", TO_SHEET)],
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    assert world.tick().failures == []
    # Someone edits the dropdown: "Prospecting" goes, "Closed Won" comes.
    world.ss.set_column(sheet, "Stage", options=["Qualification", "Closed Won"])
    world.sf.update("Opportunity", ids[0], {"StageName": "Prospecting"})
    world.sf.update("Opportunity", ids[1], {"StageName": "Closed Won"})

    report = world.tick()

    assert report.failures == []
    assert world.row_of(sheet, ids[0])["Stage"] == "Prospecting"  # kept as text, as the UI does
    assert world.row_of(sheet, ids[1])["Stage"] == "Closed Won"
    assert row_statuses(world, sheet) == ["", ""]


# -- 4. a deleted sheet ---------------------------------------------------------------------
def test_a_deleted_sheet_pauses_the_workflow_with_a_message(world: World) -> None:
    prefix, ids = deals(world, 1)
    sheet = shared_sheet(world)
    wf = world.workflow(
        sheet,
        [("Name", "Deal", BOTH), ("Amount", "Amount", BOTH)],
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    world.tick()
    world.ss.delete_sheet(sheet)
    world.sf.update("Opportunity", ids[0], {"Amount": 5})

    world.tick()
    reason = paused_reason(world, wf)
    calls = world.ss.control.count("*")
    world.tick()

    assert "is gone" in reason and "Deleted Items" in reason
    assert any("is gone" in m for m in world.notifier.messages())
    assert world.ss.control.count("*") == calls  # paused: the sheet is not asked again
