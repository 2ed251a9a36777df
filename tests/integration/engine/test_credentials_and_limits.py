"""Each owner's own permissions; tokens that expire or are revoked; API limits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sync.clock import SystemClock
from sync.model import Condition, Direction, Filter
from sync.poller import EngineConfig, Syncer
from sync.store import repo
from sync.store.tables import Connection

from .conftest import OWNER, TEAM, World, smartsheet_oauth_tokens
from .test_basic_flow import deals, pipeline


def test_an_expired_session_is_refreshed_and_the_new_token_stored(world: World) -> None:
    prefix, ids = deals(world, 1)
    connections = world.connect(refreshable=True)
    sheet, _ = pipeline(world, prefix, connections=connections)
    world.tick()
    with world.store.unit() as session:
        old = repo.tokens(session, world.store.cipher, connections[0]).access_token
    world.sf.expire_token(old)
    world.sf.update("Opportunity", ids[0], {"Amount": 2468})
    report = world.tick()
    assert report.failures == []
    assert world.row_of(sheet, ids[0])["Amount"] == 2468
    with world.store.unit() as session:
        new = repo.tokens(session, world.store.cipher, connections[0]).access_token
    assert new != old
    assert world.sf.control.count("oauth.token") == 1


def test_a_revoked_refresh_token_pauses_the_workflow_and_tells_the_owner(world: World) -> None:
    prefix, _ = deals(world, 1)
    connections = world.connect(refreshable=True)
    _, wf = pipeline(world, prefix, connections=connections)
    world.tick()
    with world.store.unit() as session:
        tokens = repo.tokens(session, world.store.cipher, connections[0])
    world.sf.revoke_token(tokens.refresh_token or "")
    world.sf.expire_token(tokens.access_token)
    world.tick()
    with world.store.unit() as session:
        assert repo.workflow_row(session, wf).state == "paused"
        assert repo.get_connection(session, connections[0]).status == "revoked"  # type: ignore[union-attr]
    assert any("Reconnect Salesforce" in m for m in world.notifier.messages())
    queries = world.sf.control.count("query*")
    world.tick()
    assert world.sf.control.count("query*") == queries  # paused: no more calls


def test_a_field_hidden_by_field_level_security_pauses_with_a_clear_reason(world: World) -> None:
    prefix, _ = deals(world, 1)
    connections = world.connect(sf_user="limited")
    _, wf = pipeline(world, prefix, connections=connections)
    report = world.tick()
    assert any("Amount" in f for f in report.failures)
    with world.store.unit() as session:
        row = repo.workflow_row(session, wf)
        assert row.state == "paused" and "Amount" in row.paused_reason


def test_records_the_owner_cannot_see_never_reach_the_sheet(world: World) -> None:
    prefix = f"S{uuid.uuid4().hex[:6]}"
    rep = world.sf.users["rep"]
    mine = world.sf.insert(
        "Opportunity",
        {"Name": f"{prefix} mine", "StageName": "Prospecting", "CloseDate": "2026-12-01"},
        as_user="rep",
    )
    theirs = world.sf.insert(
        "Opportunity",
        {
            "Name": f"{prefix} theirs",
            "StageName": "Prospecting",
            "CloseDate": "2026-12-01",
            "OwnerId": world.sf.users["admin"].id,
        },
    )
    assert rep is not None
    sheet = world.sheet(("Deal", "TEXT_NUMBER"))
    world.workflow(
        sheet,
        [("Name", "Deal", Direction.BOTH)],
        connections=world.connect(sf_user="rep"),
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    world.tick()
    ids = {r["Salesforce Id"] for r in world.rows(sheet)}
    assert ids == {mine}
    assert theirs not in ids


def test_a_smartsheet_rate_limit_storm_is_waited_out(world: World) -> None:
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(world, prefix)
    world.ss.control.inject(
        "rows.add",
        429,
        {"errorCode": 4003, "message": "Rate limit exceeded.", "refId": "storm"},
        times=2,
    )
    report = world.tick()
    assert report.failures == []
    assert sorted(r["Salesforce Id"] for r in world.rows(sheet)) == sorted(ids)
    assert world.ss.control.count("rows.add") == 3


def test_salesforce_request_limit_skips_the_group_and_reports_once(world: World) -> None:
    prefix, ids = deals(world, 1)
    _sheet, _ = pipeline(world, prefix)
    world.tick()
    world.sf.update("Opportunity", ids[0], {"Amount": 5})
    world.sf.control.inject(
        "query*",
        403,
        [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}],
    )
    world.tick()
    queries = world.sf.control.count("query*")
    world.tick()
    world.tick()
    assert world.sf.control.count("query*") == queries  # skipped while the allowance is out
    allowance = [m for m in world.notifier.messages() if "allowance" in m]
    assert len(allowance) == 1
    # a group waiting for the allowance holds no lease: another instance hears the real why
    other = Syncer(
        world.store, world.connectors, SystemClock(), config=EngineConfig(instance_id="other")
    )
    report = other.tick()
    assert world.sf.control.count("query*") == queries
    assert len(report.skips) == 1 and "waiting for the API allowance" in report.skips[0]


def test_usage_above_the_configured_share_stops_before_calling(world: World) -> None:
    prefix, _ = deals(world, 1)
    pipeline(world, prefix)
    world.sf.set_api_usage(14_000, 15_000)  # 93 % used; the world allows 90 %
    world.tick()  # the first call reveals the usage in Sforce-Limit-Info
    calls = world.sf.control.count("*")
    report = world.tick()
    assert world.sf.control.count("*") == calls
    assert report.skipped == 1


def _oauth_connections(world: World) -> tuple[int, int, str, str]:
    """Salesforce as usual; Smartsheet through its OAuth flow, so there is a refresh token."""
    access, refresh = smartsheet_oauth_tokens(world)
    sf_id, _ = world.connect()
    with world.store.unit() as session:
        ss_id = repo.add_connection(
            session,
            world.store.cipher,
            team_id=TEAM,
            owner_id=OWNER,
            kind="smartsheet",
            access_token=access,
            refresh_token=refresh,
            now=datetime.now(UTC),
            external_user_id="owner-oauth",
        )
    return sf_id, ss_id, access, refresh


def test_an_expired_smartsheet_token_is_refreshed_and_stored(world: World) -> None:
    prefix, ids = deals(world, 1)
    sf_id, ss_id, access, refresh = _oauth_connections(world)
    sheet, _ = pipeline(world, prefix, connections=(sf_id, ss_id))
    world.tick()
    world.ss.expire_token(access)
    world.sf.update("Opportunity", ids[0], {"Amount": 8642})
    report = world.tick()
    assert report.failures == []
    assert world.row_of(sheet, ids[0])["Amount"] == 8642
    with world.store.unit() as session:
        stored = repo.tokens(session, world.store.cipher, ss_id)
    assert stored.access_token != access and stored.refresh_token != refresh


def test_a_revoked_smartsheet_grant_pauses_every_workflow_on_it(world: World) -> None:
    prefix, _ = deals(world, 1)
    sf_id, ss_id, access, refresh = _oauth_connections(world)
    _, first = pipeline(world, prefix, connections=(sf_id, ss_id))
    _, second = pipeline(world, prefix, connections=(sf_id, ss_id))
    world.tick()
    world.ss.revoke_token(refresh)
    world.ss.revoke_token(access)
    world.tick()
    with world.store.unit() as session:
        assert {repo.workflow_row(session, w).state for w in (first, second)} == {"paused"}
        assert repo.get_connection(session, ss_id).status == "revoked"  # type: ignore[union-attr]
    assert any("Reconnect Smartsheet" in m for m in world.notifier.messages())


def test_a_field_hidden_after_set_up_pauses_only_the_workflow_that_maps_it(world: World) -> None:
    prefix, ids = deals(world, 1)
    connections = world.connect(sf_user="rep")
    world.sf.update("Opportunity", ids[0], {"OwnerId": world.sf.users["rep"].id})
    _, with_amount = pipeline(world, prefix, connections=connections)
    sheet_names = world.sheet(("Deal", "TEXT_NUMBER"))
    names_only = world.workflow(
        sheet_names,
        [("Name", "Deal", Direction.BOTH)],
        connections=connections,
        flt=Filter((Condition("Name", "starts with", prefix),)),
    )
    world.tick()
    world.sf.hide_fields("rep", ("Opportunity", "Amount"))
    world.sf.update("Opportunity", ids[0], {"Name": f"{prefix} renamed"})
    report = world.tick()
    with world.store.unit() as session:
        paused = repo.workflow_row(session, with_amount)
        assert paused.state == "paused" and "Amount" in paused.paused_reason
        assert repo.workflow_row(session, names_only).state == "active"
    assert world.row_of(sheet_names, ids[0])["Deal"] == f"{prefix} renamed"
    assert any("Amount" in f for f in report.failures)


def test_a_deleted_mapped_column_pauses_with_the_column_named(world: World) -> None:
    import smartsheet

    prefix, ids = deals(world, 1)
    sheet, wf = pipeline(world, prefix)
    world.tick()
    client = smartsheet.Smartsheet(
        access_token=world.ss.token_for("owner"), api_base=world.ss.api_base
    )
    client.errors_as_exceptions(True)
    amount = next(
        c for c in client.Sheets.get_columns(sheet, include_all=True).data if c.title == "Amount"
    )
    client.Sheets.delete_column(sheet, amount.id)
    world.sf.update("Opportunity", ids[0], {"Amount": 5})
    world.tick()
    with world.store.unit() as session:
        row = repo.workflow_row(session, wf)
        assert row.state == "paused"
        assert "“Amount”" in row.paused_reason
    assert any("“Amount”" in m for m in world.notifier.messages())


def test_a_token_that_no_longer_decrypts_fails_its_group_alone_with_the_way_out(
    world: World,
) -> None:
    # read with the group's claim since the claim and the connection share one unit: the
    # failure must still be the group's, told as such, not the whole tick's
    prefix, _ = deals(world, 1)
    broken = world.connect(owner="U0BROKEN01")
    _, wf_broken = pipeline(world, prefix, connections=broken)
    sheet_ok, _wf_ok = pipeline(world, prefix)
    with world.store.unit() as session:
        row = session.get(Connection, broken[0])
        assert row is not None
        row.access_token = b"not a fernet token"

    report = world.tick()

    assert any("cannot be decrypted" in f for f in report.failures), report.failures
    assert len(world.rows(sheet_ok)) == 1  # the other group ran
    with world.store.unit() as session:
        assert repo.workflow_row(session, wf_broken).backfilled is False
