"""The audit trail: every value syncbot writes, who caused it, and reverts that go through
the normal sync path (directions respected), all against the sandbox with the real SDKs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sync.audit import AuditLog, ChangeEntry, RevertRefused, UnknownChange
from sync.model import Condition, Direction, Filter
from sync.poller import EngineConfig, Syncer

from .conftest import Warp, World
from .test_basic_flow import deals, pipeline

BOTH, TO_SHEET = Direction.BOTH, Direction.TO_SMARTSHEET
EDITOR_EMAIL = "sam.rivera@example.com"  # the sandbox's Smartsheet "editor"


def log_of(world: World) -> AuditLog:
    return AuditLog(world.store)


def synced_pipeline(world: World, n: int = 2) -> tuple[int, int, list[str]]:
    """A synced workflow over n deals owned by the sales rep, the sheet shared to an editor."""
    rep = world.sf.users["rep"].id
    prefix, ids = deals(world, n, OwnerId=rep)
    sheet, wf = pipeline(world, prefix)
    world.ss.share(sheet, "editor", "EDITOR")
    world.tick()
    return sheet, wf, ids


def lines_for(world: World, wf: int, field: str) -> list[ChangeEntry]:
    return [e for e in log_of(world).history(wf, limit=500) if e.field == field]


def test_a_salesforce_edit_gets_a_history_line_naming_its_editor(world: World) -> None:
    sheet, wf, ids = synced_pipeline(world)
    row_id = world.row_of(sheet, ids[0])["_id"]
    world.sf.update("Opportunity", ids[0], {"Amount": 5000}, as_user="rep")
    world.tick()

    latest = log_of(world).history(wf, limit=1)[0]
    assert (latest.record_id, latest.row_id) == (ids[0], row_id)
    assert (latest.field, latest.column) == ("Amount", "Amount")
    assert (latest.before, latest.after) == ("1000", "5000")
    assert latest.direction == "to_smartsheet"
    assert latest.caused_by == world.sf.users["rep"].name  # "Riley Brooks", not 005…
    assert latest.revert_of is None and latest.state == "done"


def test_knowing_who_costs_no_extra_call(world: World) -> None:
    """The editor comes with what a tick reads anyway: LastModifiedById and the editor's
    name (LastModifiedBy.Name) in the group's one query, modifiedBy on the rows read
    (include=rowWriterInfo)."""
    sheet, wf, ids = synced_pipeline(world)
    world.sf.update("Opportunity", ids[0], {"Amount": 5000}, as_user="rep")
    world.ss.edit_cells(sheet, world.row_of(sheet, ids[1])["_id"], {"Amount": 7}, as_user="editor")
    world.sf.control.reset_counters()
    world.ss.control.reset_counters()
    world.tick()

    [query] = world.sf.control.calls("query*")
    assert "LastModifiedById" in query.query["q"] and "LastModifiedBy.Name" in query.query["q"]
    # the editor's own User record changing is not a change of the deal
    assert "LastModifiedBy.SystemModstamp" not in query.query["q"]
    [read] = world.ss.control.calls("sheets.get")
    assert "rowWriterInfo" in read.query["include"]
    assert world.ss.control.count("rows.*") == 1  # one bulk update carries the new amount
    whos = {e.caused_by for e in log_of(world).history(wf, limit=2)}
    assert whos == {world.sf.users["rep"].name, EDITOR_EMAIL}


def test_an_unmapped_edit_by_someone_else_writes_and_logs_nothing(world: World) -> None:
    """The editor's name rides along with the records; it is no mapped value, so a new
    editor alone (here: an unmapped field edited) is no change to copy."""
    _sheet, wf, ids = synced_pipeline(world)
    logged = len(log_of(world).history(wf, limit=100))
    world.sf.update("Opportunity", ids[0], {"Description": "called them"}, as_user="rep")
    world.ss.control.reset_counters()
    world.tick()

    assert world.ss.control.count("rows.*") == 0
    assert len(log_of(world).history(wf, limit=100)) == logged


def test_the_first_sync_logs_one_line_per_new_row_with_its_values(world: World) -> None:
    _sheet, wf, ids = synced_pipeline(world)
    created = [e for e in log_of(world).history(wf, limit=500) if e.created]
    assert sorted(e.record_id for e in created) == sorted(ids)
    assert log_of(world).count(wf) == len(created)  # not one line per value written
    first = next(e for e in created if e.record_id == ids[0])
    assert first.after is not None and "Amount: 1000" in first.after
    assert "Deal: " in first.after
    assert {e.direction for e in created} == {"to_smartsheet"}
    assert {e.caused_by for e in created} == {world.sf.users["admin"].name}  # who inserted them


def test_a_new_row_cannot_be_reverted_and_the_refusal_says_what_to_do(world: World) -> None:
    sheet, wf, ids = synced_pipeline(world)
    created = next(e for e in log_of(world).history(wf, limit=500) if e.created)
    with pytest.raises(RevertRefused, match="delete the row in the sheet"):
        log_of(world).request_revert(created.id, requested_by="U0OWNER001")
    world.tick()
    assert world.row_of(sheet, ids[0])["Amount"] == 1000


def test_a_sheet_edit_gets_a_history_line_with_the_editors_email(world: World) -> None:
    sheet, wf, ids = synced_pipeline(world)
    row_id = world.row_of(sheet, ids[1])["_id"]
    world.ss.edit_cells(sheet, row_id, {"Stage": "Negotiation/Review"}, as_user="editor")
    world.tick()

    latest = log_of(world).history(wf, limit=1)[0]
    assert (latest.record_id, latest.row_id, latest.field, latest.column) == (
        ids[1],
        row_id,
        "StageName",
        "Stage",
    )
    assert (latest.before, latest.after) == ("Prospecting", "Negotiation/Review")
    assert latest.direction == "to_salesforce"
    assert latest.caused_by == EDITOR_EMAIL


def test_history_is_newest_first_and_pages(world: World) -> None:
    _sheet, wf, ids = synced_pipeline(world)
    for amount in (3000, 4000, 5000):
        world.sf.update("Opportunity", ids[0], {"Amount": amount}, as_user="rep")
        world.tick()
    log = log_of(world)
    assert [e.after for e in log.history(wf, limit=3)] == ["5000", "4000", "3000"]
    assert [e.after for e in log.history(wf, limit=2, offset=1)] == ["4000", "3000"]


def test_reverting_a_salesforce_edit_puts_the_old_value_back_on_both_sides(
    world: World,
) -> None:
    sheet, wf, ids = synced_pipeline(world)
    world.sf.update("Opportunity", ids[0], {"Amount": 5000}, as_user="rep")
    world.tick()
    change = log_of(world).history(wf, limit=1)[0]

    pending = log_of(world).request_revert(change.id, requested_by="U0ADMIN01")
    assert (pending.state, pending.revert_of) == ("pending", change.id)
    assert (pending.before, pending.after) == ("5000", "1000")
    world.tick()

    assert world.sf.get_record("Opportunity", ids[0])["Amount"] == 1000
    assert world.row_of(sheet, ids[0])["Amount"] == 1000
    reverts = [e for e in log_of(world).history(wf, limit=10) if e.revert_of == change.id]
    assert sorted((e.direction, e.before, e.after, e.state) for e in reverts) == [
        ("to_salesforce", "5000", "1000", "done"),
        ("to_smartsheet", "5000", "1000", "done"),
    ]
    assert {e.caused_by for e in reverts} == {"U0ADMIN01"}

    # the revert does not echo: the next ticks write nothing and log nothing
    writes_sf = world.sf.control.count("collections.*")
    writes_rows = world.ss.control.count("rows.*")
    lines = log_of(world).count(wf)
    world.tick()
    world.tick()
    assert world.sf.control.count("collections.*") == writes_sf
    assert world.ss.control.count("rows.*") == writes_rows
    assert log_of(world).count(wf) == lines


def test_reverting_a_sheet_edit_puts_the_old_value_back_on_both_sides(world: World) -> None:
    sheet, wf, ids = synced_pipeline(world)
    row_id = world.row_of(sheet, ids[1])["_id"]
    world.ss.edit_cells(sheet, row_id, {"Amount": 2500}, as_user="editor")
    world.tick()
    assert world.sf.get_record("Opportunity", ids[1])["Amount"] == 2500
    change = log_of(world).history(wf, limit=1)[0]

    log_of(world).request_revert(change.id, requested_by="U0OWNER001", workflow_id=wf)
    world.tick()

    assert world.sf.get_record("Opportunity", ids[1])["Amount"] == 2000
    assert world.row_of(sheet, ids[1])["Amount"] == 2000


def test_a_revert_of_a_to_smartsheet_field_writes_only_the_sheet(world: World) -> None:
    prefix, ids = deals(world, 1, OwnerId=world.sf.users["rep"].id)
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Stage", "TEXT_NUMBER"))
    wf = world.workflow(
        sheet,
        [("Name", "Deal", BOTH), ("StageName", "Stage", TO_SHEET)],
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    world.tick()
    world.sf.update("Opportunity", ids[0], {"StageName": "Qualification"}, as_user="rep")
    world.tick()
    change = lines_for(world, wf, "StageName")[0]
    assert (change.before, change.after) == ("Prospecting", "Qualification")

    sf_writes = world.sf.control.count("collections.*")
    log_of(world).request_revert(change.id, requested_by="U0OWNER001")
    world.tick()

    assert world.row_of(sheet, ids[0])["Stage"] == "Prospecting"
    assert world.sf.get_record("Opportunity", ids[0])["StageName"] == "Qualification"
    assert world.sf.control.count("collections.*") == sf_writes  # Salesforce untouched
    reverts = [e for e in log_of(world).history(wf) if e.revert_of == change.id]
    assert [(e.direction, e.state) for e in reverts] == [("to_smartsheet", "done")]


def test_a_value_edited_again_is_not_reverted_and_the_line_says_why(world: World) -> None:
    sheet, wf, ids = synced_pipeline(world)
    world.sf.update("Opportunity", ids[0], {"Amount": 5000}, as_user="rep")
    world.tick()
    first = log_of(world).history(wf, limit=1)[0]
    world.sf.update("Opportunity", ids[0], {"Amount": 6000}, as_user="rep")
    world.tick()

    log_of(world).request_revert(first.id, requested_by="U0OWNER001")
    world.tick()

    assert world.sf.get_record("Opportunity", ids[0])["Amount"] == 6000
    assert world.row_of(sheet, ids[0])["Amount"] == 6000
    revert = next(e for e in log_of(world).history(wf) if e.revert_of == first.id)
    assert revert.state == "failed"
    assert "changed again" in revert.note and "6000" in revert.note


def test_a_revert_salesforce_refuses_changes_neither_side_and_says_why(world: World) -> None:
    sheet, wf, ids = synced_pipeline(world)
    row_id = world.row_of(sheet, ids[0])["_id"]
    # a negative amount typed in the sheet is refused by the org's validation rule ...
    world.ss.edit_cells(sheet, row_id, {"Amount": -5}, as_user="editor")
    world.tick()
    # ... then a Salesforce edit replaces it in the sheet: the history line's old value is -5
    world.sf.update("Opportunity", ids[0], {"Amount": 3000}, as_user="rep")
    world.tick()
    change = next(e for e in lines_for(world, wf, "Amount") if e.after == "3000")
    assert (change.before, change.direction) == ("-5", "to_smartsheet")

    log_of(world).request_revert(change.id, requested_by="U0OWNER001")
    world.tick()

    assert world.sf.get_record("Opportunity", ids[0])["Amount"] == 3000
    assert world.row_of(sheet, ids[0])["Amount"] == 3000
    revert = next(e for e in log_of(world).history(wf) if e.revert_of == change.id)
    assert revert.state == "failed"
    assert "negative" in revert.note


def test_unknown_or_foreign_changes_and_double_reverts_are_refused(world: World) -> None:
    _sheet, wf, ids = synced_pipeline(world)
    world.sf.update("Opportunity", ids[0], {"Amount": 5000}, as_user="rep")
    world.tick()
    change = log_of(world).history(wf, limit=1)[0]
    with pytest.raises(UnknownChange):
        log_of(world).request_revert(10**9, requested_by="U0OWNER001")
    with pytest.raises(UnknownChange):
        log_of(world).request_revert(change.id, requested_by="U0OWNER001", workflow_id=wf + 1)
    log_of(world).request_revert(change.id, requested_by="U0OWNER001")
    with pytest.raises(RevertRefused):
        log_of(world).request_revert(change.id, requested_by="U0OWNER001")


def test_entries_older_than_the_retention_are_purged(world: World) -> None:
    _sheet, wf, _ids = synced_pipeline(world)
    kept = log_of(world).count(wf)
    assert kept > 0
    soon = AuditLog(world.store, now=lambda: datetime.now(UTC) + timedelta(days=89))
    assert soon.purge() == 0
    later = AuditLog(world.store, now=lambda: datetime.now(UTC) + timedelta(days=91))
    assert later.purge() == kept
    assert log_of(world).count(wf) == 0


def test_a_tick_purges_what_is_past_the_retention(world: World, warp: Warp) -> None:
    _sheet, wf, ids = synced_pipeline(world)
    engine = Syncer(
        world.store,
        world.connectors,
        warp,
        config=EngineConfig(instance_id="test", audit_retention=timedelta(minutes=10)),
    )
    world.sf.update("Opportunity", ids[0], {"Amount": 5000}, as_user="rep")
    warp.advance(11)
    engine.tick()  # purges the first sync's lines, logs the new edit
    assert [(e.before, e.after) for e in log_of(world).history(wf)] == [("1000", "5000")]


def test_a_row_error_report_names_the_rows_editor(world: World) -> None:
    sheet, _wf, ids = synced_pipeline(world)
    row_id = world.row_of(sheet, ids[0])["_id"]
    world.ss.edit_cells(sheet, row_id, {"Amount": -5}, as_user="editor")
    world.tick()
    reports = [r for _, _, batch in world.notifier.sent for r in batch if r.scope == "row"]
    assert len(reports) == 1
    assert "Amount cannot be negative" in reports[0].message
    assert reports[0].editor_email == EDITOR_EMAIL
