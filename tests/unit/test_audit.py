"""The pure parts of the audit trail: which values a run logs (and who caused them), the
editor on row error reports, and how pending reverts become link plans."""

from __future__ import annotations

from datetime import UTC, datetime

from sync.audit import changes_written, plan_reverts, with_editors
from sync.changes import CREATED, NewChange, display
from sync.executor import Execution, Outcome, Written
from sync.layout import AUDIT_FIELDS, Layout, ResolvedMapping, record_seen
from sync.model import (
    ColumnType,
    Direction,
    FieldMapping,
    SalesforceField,
    SalesforceType,
    SheetColumn,
    Workflow,
)
from sync.planner import Action, FieldRule, Link, LinkPlan, LinkState, RecordSeen, RowSeen, Snapshot
from sync.ports import ErrorReport

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
REC, ROW = "006000000000001AAA", 501
REP, EDITOR = "005000000000002AAA", "sam@example.com"


def a_layout(**directions: Direction) -> Layout:
    mappings = tuple(
        ResolvedMapping(
            SalesforceField(name, name, SalesforceType.STRING, updateable=True),
            SheetColumn(100 + i, f"{name} column", ColumnType.TEXT_NUMBER),
            FieldRule(name, d.to_sheet, d.to_salesforce),
        )
        for i, (name, d) in enumerate(directions.items())
    )
    wf = Workflow(
        id=7,
        name="wf",
        team_id="T1",
        owner_id="U1",
        salesforce_connection_id=1,
        smartsheet_connection_id=2,
        object_name="Opportunity",
        sheet_id=9,
        fields=tuple(FieldMapping(n, f"{n} column", d) for n, d in directions.items()),
    )
    id_col = SheetColumn(1, "Salesforce Id", ColumnType.TEXT_NUMBER)
    status_col = SheetColumn(2, "Sync Status", ColumnType.TEXT_NUMBER)
    return Layout(wf, mappings, {}, id_col, status_col, AUDIT_FIELDS)


def a_snapshot(layout: Layout, *, record: dict[str, object], row: dict[str, object]) -> Snapshot:
    return Snapshot(
        layout.rules,
        layout.workflow.options,
        (),
        {REC: RecordSeen(REC, record, modified_by=REP)} if record else {},  # type: ignore[arg-type]
        {ROW: RowSeen(ROW, REC, row, modified_by=EDITOR)} if row else {},  # type: ignore[arg-type]
    )


def wrote(direction: str, values: dict[str, object], before: dict[str, object]) -> Execution:
    plan = LinkPlan(REC, ROW, before, dict(before))  # type: ignore[arg-type]
    out = Outcome((REC, ROW), REC, ROW, {}, LinkState.LINKED, "", "", {})
    return Execution(outcomes=[out], written=[Written(plan, out, direction, values)])  # type: ignore[arg-type]


# -- who changed a record ----------------------------------------------------------------
def test_the_salesforce_editor_is_named_by_the_user_relationship_else_by_id() -> None:
    layout = a_layout(Amount=Direction.BOTH)
    named = {"Id": REC, "Amount": 9, "LastModifiedById": REP, "LastModifiedBy": {"Name": "Riley"}}
    hidden = {"Id": REC, "Amount": 9, "LastModifiedById": REP, "LastModifiedBy": None}

    assert "LastModifiedBy.Name" in layout.query_fields  # asked in the group's one query
    assert record_seen(named, layout).modified_by == "Riley"
    assert record_seen(hidden, layout).modified_by == REP  # a User it may not read
    assert (
        record_seen(named, layout).values == record_seen(hidden, layout).values == {"Amount": "9"}
    )


# -- what a run logs ---------------------------------------------------------------------
def test_a_value_sent_to_the_sheet_replaces_the_cell_read_and_names_the_salesforce_editor() -> None:
    layout = a_layout(Amount=Direction.BOTH)
    snapshot = a_snapshot(layout, record={"Amount": "9"}, row={"Amount": "5"})
    [line] = changes_written(
        layout, snapshot, wrote("to_smartsheet", {"Amount": "9"}, {"Amount": "4"}), NOW
    )
    assert (line.before, line.after, line.caused_by) == ("5", "9", REP)
    assert (line.column, line.record_id, line.row_id, line.workflow_id) == (
        "Amount column",
        REC,
        ROW,
        7,
    )


def test_a_value_sent_to_salesforce_names_the_rows_editor() -> None:
    layout = a_layout(Amount=Direction.BOTH)
    snapshot = a_snapshot(layout, record={}, row={"Amount": "6"})
    [line] = changes_written(
        layout, snapshot, wrote("to_salesforce", {"Amount": "6"}, {"Amount": "4"}), NOW
    )
    # the record was not fetched this tick: what Salesforce held is the last synced value
    assert (line.before, line.after, line.caused_by, line.direction) == (
        "4",
        "6",
        EDITOR,
        "to_salesforce",
    )


def test_empty_values_of_a_new_row_are_not_logged() -> None:
    layout = a_layout(Amount=Direction.BOTH, Name=Direction.BOTH)
    snapshot = a_snapshot(layout, record={"Amount": None, "Name": "Ada"}, row={})
    lines = changes_written(
        layout, snapshot, wrote("to_smartsheet", {"Amount": None, "Name": "Ada"}, {}), NOW
    )
    assert [(line.field, line.before, line.after) for line in lines] == [("Name", None, "Ada")]


def test_a_new_row_is_one_line_holding_its_values_as_the_columns_name_them() -> None:
    layout = a_layout(Amount=Direction.BOTH, Name=Direction.BOTH, Stage=Direction.BOTH)
    values = {"Amount": 1200.0, "Name": "Ada", "Stage": None}
    snapshot = a_snapshot(layout, record=values, row={})
    execution = wrote("to_smartsheet", values, {})
    execution.written[0].plan.action = Action.ADD_ROW
    [line] = changes_written(layout, snapshot, execution, NOW)
    assert (line.field, line.before, line.direction) == (CREATED, None, "to_smartsheet")
    assert line.after == ("Amount column: 1200", "Name column: Ada")  # the empty one left out
    assert (line.record_id, line.row_id, line.caused_by) == (REC, ROW, REP)


def test_a_record_made_from_a_row_is_one_line_naming_the_rows_editor() -> None:
    layout = a_layout(Name=Direction.BOTH)
    snapshot = a_snapshot(layout, record={}, row={"Name": "Ada"})
    execution = wrote("to_salesforce", {"Name": "Ada"}, {})
    execution.written[0].plan.action = Action.CREATE_RECORD
    [line] = changes_written(layout, snapshot, execution, NOW)
    assert (line.field, line.after, line.caused_by) == (CREATED, ("Name column: Ada",), EDITOR)


# -- editors on row error reports ----------------------------------------------------------
def report(key: str, scope: str = "row") -> ErrorReport:
    return ErrorReport(7, "wf", scope, key, "row_error", "Amount: bad")


def test_row_reports_get_the_rows_last_editor_whether_keyed_by_record_or_row() -> None:
    layout = a_layout(Amount=Direction.BOTH)
    snapshot = a_snapshot(layout, record={}, row={"Amount": "x"})
    execution = wrote("to_salesforce", {}, {})
    got = with_editors(
        [report(REC), report(f"row:{ROW}"), report("row:999"), report("", scope="workflow")],
        snapshot,
        execution,
    )
    assert [r.editor_email for r in got] == [EDITOR, EDITOR, None, None]


# -- reverts -------------------------------------------------------------------------------
def a_revert(name: str, undo: object, back_to: object, direction: str) -> NewChange:
    return NewChange(
        7, NOW, REC, ROW, name, f"{name} column", undo, back_to, direction, "U9", revert_of=1
    )  # type: ignore[arg-type]


def test_a_revert_goes_to_every_side_the_direction_allows() -> None:
    layout = a_layout(A=Direction.BOTH, B=Direction.TO_SMARTSHEET, C=Direction.TO_SALESFORCE)
    link = Link(REC, ROW, {"A": "new", "B": "new", "C": "new"})
    batch = plan_reverts(
        layout,
        [
            (11, a_revert("A", "new", "old", "to_smartsheet")),
            (12, a_revert("B", "new", "old", "to_smartsheet")),
            (13, a_revert("C", "new", "old", "to_salesforce")),
        ],
        [link],
    )
    [p] = batch.plan.links
    assert p.to_sheet == {"A": "old", "B": "old"}
    assert p.to_salesforce == {"A": "old", "C": "old"}
    assert p.after == {"A": "old", "B": "old", "C": "old"}
    assert batch.refused == {}
    assert set(batch.targets) == {11, 12, 13}


def test_a_revert_is_refused_when_the_value_changed_again_or_the_link_is_gone() -> None:
    layout = a_layout(A=Direction.BOTH)
    changed = plan_reverts(
        layout, [(11, a_revert("A", "new", "old", "to_smartsheet"))], [Link(REC, ROW, {"A": "x"})]
    )
    assert "changed again" in changed.refused[11] and "“x”" in changed.refused[11]
    assert changed.plan.links == []
    marked = Link(REC, ROW, {"A": "new"}, LinkState.MARKED)
    gone = plan_reverts(layout, [(11, a_revert("A", "new", "old", "to_smartsheet"))], [marked])
    assert "no longer linked" in gone.refused[11]
    unmapped = plan_reverts(
        layout, [(11, a_revert("Z", "new", "old", "to_smartsheet"))], [Link(REC, ROW, {})]
    )
    assert "no longer mapped" in unmapped.refused[11]


def test_multi_values_compare_as_values_whatever_json_made_of_them() -> None:
    layout = a_layout(A=Direction.BOTH)
    link = Link(REC, ROW, {"A": ["x", "y"]})  # type: ignore[dict-item]
    batch = plan_reverts(layout, [(11, a_revert("A", ("x", "y"), ("x",), "to_smartsheet"))], [link])
    assert batch.refused == {}


def test_of_two_reverts_of_one_value_the_later_wins() -> None:
    layout = a_layout(A=Direction.BOTH)
    link = Link(REC, ROW, {"A": "new"})
    batch = plan_reverts(
        layout,
        [
            (11, a_revert("A", "new", "old", "to_smartsheet")),
            (12, a_revert("A", "new", "older", "to_smartsheet")),
        ],
        [link],
    )
    assert batch.plan.links[0].to_sheet == {"A": "older"}
    assert set(batch.targets) == {12}
    assert "later revert" in batch.refused[11]


def test_display_reads_like_the_sheet() -> None:
    assert [display(v) for v in (None, "", 1000.0, 2.5, True, ("a", "b"), "x")] == [
        None,
        None,
        "1000",
        "2.5",
        "true",
        "a, b",
        "x",
    ]
