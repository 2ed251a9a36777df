"""Issue #10, points 5-10: the engine on the Salesforce behaviours the sandbox now has.

| point | situation                                     | the engine                                    |
|-------|-----------------------------------------------|-----------------------------------------------|
| 5     | field readable but not editable for the owner | set-up refuses it “to Salesforce”; access lost later → row errors naming it |
| 6     | Case is Public Read Only, owner not its owner | row error “you can view this record but not edit it”, sheet value kept |
| 7     | record purged between two ticks / undeleted   | on_record_deleted applies (Get Deleted); undeleted → relinked |
| 8     | hundreds of edits stamped in one second       | no edit lost across ticks (literal floored to the second, >=) |
| 9     | org without API access                        | `connections add` refuses in plain words; a tick pauses the workflow |
| 10    | login host ≠ instance host                    | refreshes go to the login host; a wrong login URL is a clear pause |
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sync.ids import to_18
from sync.model import Condition, Direction, Filter, OnRecordDeleted, WorkflowOptions
from sync.poller import EngineConfig
from sync.store import repo
from sync.store.tables import Connection
from sync.workflow_file import WorkflowFileError, parse
from sync.workflows import import_specs

from .conftest import OWNER, TEAM, Warp, World, status_of
from .test_basic_flow import deals, pipeline

BOTH, TO_SHEET = Direction.BOTH, Direction.TO_SMARTSHEET


def _next_step_workflow(world: World, prefix: str, connections: tuple[int, int]) -> int:
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Next", "TEXT_NUMBER"))
    world.workflow(
        sheet,
        [("Name", "Deal", BOTH), ("NextStep", "Next", BOTH)],
        flt=Filter((Condition("Name", "starts with", prefix),)),
        connections=connections,
    )
    return sheet


# -- 5: read but not edit ----------------------------------------------------------------
def _spec_yaml(world: World, sheet: int, direction: str) -> str:
    return f"""
workflows:
  - name: Next steps {direction}
    team: {TEAM}
    owner: {OWNER}
    salesforce: {{org: {to_18(world.sf.org_id)}, object: Opportunity}}
    smartsheet: {{sheet: {sheet}}}
    fields:
      - {{field: Name, column: Deal, direction: to_smartsheet}}
      - {{field: NextStep, column: Next, direction: {direction}}}
"""


def test_set_up_refuses_a_read_only_field_to_salesforce_for_that_owner(world: World) -> None:
    world.connect(sf_user="limited")
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Next", "TEXT_NUMBER"))
    for direction in ("both", "to_salesforce"):
        with pytest.raises(WorkflowFileError) as refused:
            import_specs(
                world.store, world.connectors, parse(_spec_yaml(world, sheet, direction)), _now()
            )
        assert "Next Step is read-only for your Salesforce user" in str(refused.value)
    ids = import_specs(
        world.store, world.connectors, parse(_spec_yaml(world, sheet, "to_smartsheet")), _now()
    )
    assert len(ids) == 1


def test_edit_access_lost_after_set_up_gives_row_errors_naming_the_field(world: World) -> None:
    prefix, ids = deals(world, 2)
    for record_id in ids:
        world.sf.update("Opportunity", record_id, {"OwnerId": world.sf.users["rep"].id})
    connections = world.connect(sf_user="rep")
    sheet = _next_step_workflow(world, prefix, connections)
    world.tick()
    world.sf.make_read_only("rep", ("Opportunity", "NextStep"))
    row = world.row_of(sheet, ids[0])
    world.ss.edit_cells(sheet, row["_id"], {"Next": "Send the offer"})
    report = world.tick()
    assert report.failures == []
    status = status_of(world, sheet, row["_id"])
    assert "Next Step" in status and "read-only for your Salesforce user" in status
    assert world.sf.get_record("Opportunity", ids[0]).get("NextStep") is None  # type: ignore[union-attr]
    assert world.row_of(sheet, ids[0])["Next"] == "Send the offer"  # the edit is not lost
    # once the describe is read afresh the workflow still runs, and says the same per row
    world.engine.layouts.forget_connection(connections[0])
    other = world.row_of(sheet, ids[1])
    world.ss.edit_cells(sheet, other["_id"], {"Next": "Call"})
    world.sf.update("Opportunity", ids[1], {"Name": f"{prefix} renamed"})
    world.tick()
    assert "read-only for your Salesforce user" in status_of(world, sheet, other["_id"])
    assert world.row_of(sheet, ids[1])["Deal"] == f"{prefix} renamed"  # other fields flow
    with world.store.unit() as session:
        assert all(w.active for w in repo.workflows(session))


# -- 6: Public Read Only ---------------------------------------------------------------
def test_a_sheet_edit_to_a_record_the_owner_may_only_view_is_a_row_error(world: World) -> None:
    prefix = f"C{uuid.uuid4().hex[:6]}"
    case_id = world.sf.insert("Case", {"Subject": f"{prefix} printer", "Status": "New"})
    connections = world.connect(sf_user="rep")  # rep sees every case, edits only their own
    sheet = world.sheet(("Subject", "TEXT_NUMBER"), ("Status", "TEXT_NUMBER"))
    world.workflow(
        sheet,
        [("Subject", "Subject", BOTH), ("Status", "Status", BOTH)],
        object_name="Case",
        flt=Filter((Condition("Subject", "starts with", prefix),)),
        connections=connections,
    )
    world.tick()
    row = world.row_of(sheet, case_id)
    world.ss.edit_cells(sheet, row["_id"], {"Status": "Working"})
    world.tick()
    assert "you can view this record but not edit it" in status_of(world, sheet, row["_id"])
    assert world.sf.get_record("Case", case_id)["Status"] == "New"  # type: ignore[index]
    world.tick()
    assert world.row_of(sheet, case_id)["Status"] == "Working"  # kept, not overwritten
    # resolved as the policy says (Salesforce wins): the owner of the case changes it
    world.sf.update("Case", case_id, {"Status": "Escalated"})
    world.tick()
    assert world.row_of(sheet, case_id)["Status"] == "Escalated"
    world.tick()  # the row, re-read after that write, now agrees: the error clears
    assert status_of(world, sheet, row["_id"]) == ""


# -- 7: recycle bin ------------------------------------------------------------------------
@pytest.mark.parametrize("option", [OnRecordDeleted.MARK, OnRecordDeleted.DELETE_ROW])
def test_a_record_purged_between_two_ticks_follows_on_record_deleted(
    world: World, warp: Warp, option: OnRecordDeleted
) -> None:
    prefix, ids = deals(world, 4)
    sheet, _ = pipeline(world, prefix, options=WorkflowOptions(on_record_deleted=option))
    world.tick()
    first = world.row_of(sheet, ids[0])["_id"]
    world.sf.purge("Opportunity", ids[0])  # hard delete: never seen with IsDeleted = true
    warp.advance(2)
    world.tick()
    rows = {r["_id"]: r for r in world.rows(sheet)}
    if option is OnRecordDeleted.MARK:
        assert rows[first]["Sync Status"] == "Deleted in Salesforce"
    else:
        assert first not in rows
    # Get Deleted is asked at most every ten minutes per object, not on every tick
    looks = world.sf.control.count("deleted")
    world.sf.delete("Opportunity", ids[1])
    world.sf.empty_recycle_bin("Opportunity")
    second = world.row_of(sheet, ids[1])["_id"]
    warp.advance(2)
    world.tick()
    assert world.sf.control.count("deleted") == looks
    warp.advance(10)
    world.tick()
    assert world.sf.control.count("deleted") == looks + 1
    rows = {r["_id"]: r for r in world.rows(sheet)}
    if option is OnRecordDeleted.MARK:
        assert rows[second]["Sync Status"] == "Deleted in Salesforce"
        assert len(rows) == 4
    else:
        assert second not in rows and len(rows) == 2


def test_an_undeleted_record_relinks_to_its_row(world: World, warp: Warp) -> None:
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    row_id = world.row_of(sheet, ids[0])["_id"]
    world.sf.delete("Opportunity", ids[0])
    warp.advance(1)
    world.tick()
    assert status_of(world, sheet, row_id) == "Deleted in Salesforce"
    warp.advance(1)
    world.sf.undelete("Opportunity", ids[0])
    world.tick()
    assert status_of(world, sheet, row_id) == ""
    warp.advance(1)
    world.sf.update("Opportunity", ids[0], {"Amount": 777})
    world.tick()
    assert [r["_id"] for r in world.rows(sheet) if r["Salesforce Id"] == ids[0]] == [row_id]
    assert world.row_of(sheet, ids[0])["Amount"] == 777


# -- 8: datetime precision -----------------------------------------------------------------
class Frozen:
    """A clock tests set by hand, shared by the Salesforce emulator and the engine."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def __call__(self) -> datetime:
        return self.at


def test_hundreds_of_edits_in_one_second_across_two_ticks_all_arrive(world: World) -> None:
    second = datetime.now(UTC).replace(microsecond=0)
    clock = Frozen(second + timedelta(milliseconds=100))
    old_sf, old_engine = world.sf.clock, world.engine.clock
    world.sf.clock, world.engine.clock = clock, clock  # type: ignore[assignment]
    # no overlap: only the whole-second literal and >= keep same-second edits in
    world.engine.config = EngineConfig(instance_id="test", overlap=timedelta(0))
    try:
        prefix, ids = deals(world, 300)
        sheet, _ = pipeline(world, prefix)
        world.tick()  # the backfill; watermark at .100
        clock.at = second + timedelta(milliseconds=300)
        for n, record_id in enumerate(ids[:150]):
            world.sf.update("Opportunity", record_id, {"Amount": 50_000 + n})  # stamped .000
        clock.at = second + timedelta(milliseconds=500)
        world.tick()  # watermark at .500
        clock.at = second + timedelta(milliseconds=700)
        for n, record_id in enumerate(ids[150:]):
            world.sf.update("Opportunity", record_id, {"Amount": 90_000 + n})  # stamped .000
        clock.at = second + timedelta(milliseconds=900)
        report = world.tick()
    finally:
        world.sf.clock, world.engine.clock = old_sf, old_engine
    assert report.failures == []
    stamps = {r["SystemModstamp"] for r in world.sf.records("Opportunity") if r["Id"] in ids}
    assert stamps == {second.strftime("%Y-%m-%dT%H:%M:%S.000+0000")}
    amounts = {r["Salesforce Id"]: r["Amount"] for r in world.rows(sheet)}
    assert [amounts[i] for i in ids[:150]] == [50_000 + n for n in range(150)]
    assert [amounts[i] for i in ids[150:]] == [90_000 + n for n in range(150)]


# -- 9: no API access --------------------------------------------------------------------
def test_connecting_an_org_without_api_access_is_refused_in_plain_words(
    world: World, tmp_path: Path
) -> None:
    env = {**os.environ, **world.box.env(), "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}
    world.sf.set_api_access(False)
    added = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            *("connections", "add", "salesforce", "--team", TEAM, "--owner", OWNER),
            *("--tokens-stdin", "--instance-url", env["SANDBOX_SALESFORCE_INSTANCE_URL"]),
        ],
        env=env,
        input=env["SANDBOX_SALESFORCE_TOKEN"] + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert added.returncode == 1
    assert "has no API access" in added.stderr and "edition" in added.stderr
    assert env["SANDBOX_SALESFORCE_TOKEN"] not in added.stdout + added.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "bot.cli", "connections", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "no connections" in listed.stdout


def test_a_tick_on_an_org_that_lost_api_access_pauses_with_the_reason(world: World) -> None:
    prefix, _ = deals(world, 1)
    _, wf = pipeline(world, prefix)
    world.tick()
    world.sf.set_api_access(False)
    world.tick()
    with world.store.unit() as session:
        row = repo.workflow_row(session, wf)
        assert row.state == "paused" and "no API access" in row.paused_reason


# -- 10: login host ≠ instance host ------------------------------------------------------
def test_a_refresh_goes_to_the_login_host_and_rest_to_the_instance(world: World) -> None:
    prefix, ids = deals(world, 1)
    connections = world.connect(refreshable=True)
    sheet, _ = pipeline(world, prefix, connections=connections)
    world.tick()
    with world.store.unit() as session:
        conn = repo.get_connection(session, connections[0])
        old = repo.tokens(session, world.store.cipher, connections[0]).access_token
    assert conn is not None and conn.login_url != conn.instance_url
    world.sf.expire_token(old)
    world.sf.update("Opportunity", ids[0], {"Amount": 4321})
    assert world.tick().failures == []
    assert world.row_of(sheet, ids[0])["Amount"] == 4321
    assert world.sf.control.count("oauth.token") == 1
    assert world.sf.control.count("wrong_host") == 0


def test_a_connection_whose_login_url_is_the_instance_cannot_refresh(world: World) -> None:
    prefix, _ = deals(world, 1)
    connections = world.connect(refreshable=True)
    _, wf = pipeline(world, prefix, connections=connections)
    world.tick()
    with world.store.unit() as session:
        conn = session.get(Connection, connections[0])
        assert conn is not None
        conn.login_url = conn.instance_url  # a client that refreshes at the instance host
        old = repo.tokens(session, world.store.cipher, connections[0]).access_token
    world.sf.expire_token(old)
    world.tick()
    assert world.sf.control.count("wrong_host") == 1
    with world.store.unit() as session:
        assert repo.workflow_row(session, wf).state == "paused"


def _now() -> datetime:
    return datetime.now(UTC)
