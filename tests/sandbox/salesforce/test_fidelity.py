"""Issue #10, points 5-9: what the real org does and a kinder emulator did not.

| point | behaviour                                                                 |
|-------|---------------------------------------------------------------------------|
| 5     | read-but-not-edit field: describe per caller, INVALID_FIELD_FOR_INSERT_UPDATE |
| 6     | Case is Public Read Only: others see, update gets INSUFFICIENT_ACCESS_OR_READONLY |
| 7     | recycle bin: purge leaves queryAll (15 days, emptied bin, hard delete); undelete |
| 8     | system stamps in whole seconds; SOQL datetime comparisons on those           |
| 9     | an edition without API access: 403 API_DISABLED_FOR_ORG on every REST call    |
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
)

from sandbox.salesforce import SalesforceEmulator

T0 = datetime(2030, 3, 1, 12, 0, 30, 789_000, tzinfo=UTC)  # mid-second on purpose


@pytest.fixture
def frozen(emulator: SalesforceEmulator) -> list[datetime]:
    now = [T0]
    emulator.clock = lambda: now[0]
    emulator.reset()  # pre-issued tokens at the frozen instant
    return now


def _field(sf: Salesforce, object_name: str, name: str) -> dict[str, object]:
    fields = getattr(sf, object_name).describe()["fields"]
    return next(f for f in fields if f["name"] == name)


def _own_opportunity(emulator: SalesforceEmulator, alias: str) -> str:
    return emulator.insert(
        "Opportunity",
        {"Name": "Mine", "StageName": "Prospecting", "CloseDate": "2030-06-01"},
        as_user=alias,
    )


# -- 5: read but not edit ------------------------------------------------------------
def test_describe_shows_a_read_only_field_as_not_writable_for_that_user_only(
    make_sf: Callable[..., Salesforce],
) -> None:
    limited = _field(make_sf("limited"), "Opportunity", "NextStep")
    admin = _field(make_sf("admin"), "Opportunity", "NextStep")
    assert (limited["createable"], limited["updateable"]) == (False, False)
    assert (admin["createable"], admin["updateable"]) == (True, True)


def test_a_read_only_field_is_readable_but_writing_it_fails(
    make_sf: Callable[..., Salesforce], emulator: SalesforceEmulator
) -> None:
    record_id = _own_opportunity(emulator, "limited")
    emulator.update("Opportunity", record_id, {"NextStep": "Call back"})
    sf = make_sf("limited")
    rows = sf.query(f"SELECT NextStep FROM Opportunity WHERE Id = '{record_id}'")["records"]
    assert rows[0]["NextStep"] == "Call back"
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Opportunity.update(record_id, {"NextStep": "Send offer"})
    [error] = refused.value.content
    assert error["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"
    assert error["fields"] == ["NextStep"]
    assert "Unable to create/update fields: NextStep" in error["message"]
    sf.Opportunity.update(record_id, {"Name": "Renamed"})  # the other fields stay editable
    assert emulator.get_record("Opportunity", record_id)["NextStep"] == "Call back"  # type: ignore[index]


def test_edit_access_taken_away_later_shows_in_describe_and_collections(
    make_sf: Callable[..., Salesforce], emulator: SalesforceEmulator
) -> None:
    record_id = _own_opportunity(emulator, "rep")
    emulator.make_read_only("rep", ("Opportunity", "Description"))
    sf = make_sf("rep")
    assert _field(sf, "Opportunity", "Description")["updateable"] is False
    body = {
        "allOrNone": False,
        "records": [{"attributes": {"type": "Opportunity"}, "id": record_id, "Description": "x"}],
    }
    [result] = sf.restful("composite/sobjects", method="PATCH", json=body)
    assert result["success"] is False
    assert result["errors"][0]["statusCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"
    assert result["errors"][0]["fields"] == ["Description"]


# -- 6: Public Read Only ---------------------------------------------------------------
def test_public_read_only_cases_are_visible_to_others_but_only_owners_edit(
    make_sf: Callable[..., Salesforce], emulator: SalesforceEmulator
) -> None:
    theirs = emulator.insert("Case", {"Subject": "Admin's case", "Status": "New"})
    mine = emulator.insert("Case", {"Subject": "Rep's case", "Status": "New"}, as_user="rep")
    sf = make_sf("rep")
    seen = sf.query(f"SELECT Id, Subject FROM Case WHERE Id IN ('{theirs}', '{mine}')")
    assert seen["totalSize"] == 2
    assert sf.Case.get(theirs)["Subject"] == "Admin's case"
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Case.update(theirs, {"Status": "Working"})
    [error] = refused.value.content
    assert error["errorCode"] == "INSUFFICIENT_ACCESS_OR_READONLY"
    assert sf.Case.update(mine, {"Status": "Working"}) == 204
    assert emulator.get_record("Case", theirs)["Status"] == "New"  # type: ignore[index]
    make_sf("admin").Case.update(theirs, {"Status": "Working"})  # Modify All Data


def test_public_read_only_refusal_inside_collections_is_per_record(
    make_sf: Callable[..., Salesforce], emulator: SalesforceEmulator
) -> None:
    theirs = emulator.insert("Case", {"Subject": "Theirs", "Status": "New"})
    mine = emulator.insert("Case", {"Subject": "Mine", "Status": "New"}, as_user="rep")
    records = [
        {"attributes": {"type": "Case"}, "id": i, "Status": "Working"} for i in (theirs, mine)
    ]
    results = make_sf("rep").restful(
        "composite/sobjects", method="PATCH", json={"allOrNone": False, "records": records}
    )
    assert [r["success"] for r in results] == [False, True]
    assert results[0]["errors"][0]["statusCode"] == "INSUFFICIENT_ACCESS_OR_READONLY"


# -- 7: recycle bin ----------------------------------------------------------------------
def _ids(sf: Salesforce, soql: str, *, all_rows: bool) -> set[str]:
    return {r["Id"] for r in sf.query_all(soql, include_deleted=all_rows)["records"]}


def test_a_purged_record_leaves_query_all_but_get_deleted_keeps_its_tombstone(
    sf: Salesforce, emulator: SalesforceEmulator, frozen: list[datetime]
) -> None:
    record_id = emulator.insert("Account", {"Name": "Short-lived"})
    sf.Account.delete(record_id)
    soql = f"SELECT Id, IsDeleted FROM Account WHERE Id = '{record_id}'"
    assert _ids(sf, soql, all_rows=True) == {record_id}  # in the recycle bin
    frozen[0] = T0 + timedelta(minutes=5)
    emulator.empty_recycle_bin("Account")
    assert _ids(sf, soql, all_rows=True) == set()
    frozen[0] = T0 + timedelta(minutes=10)
    answer = sf.Account.deleted(T0 - timedelta(minutes=1), frozen[0])
    assert [d["id"] for d in answer["deletedRecords"]] == [record_id]
    assert answer["earliestDateAvailable"] == "2030-03-01T12:05:00.000+0000"  # to the minute


def test_deleted_records_are_purged_after_fifteen_days(
    make_sf: Callable[..., Salesforce], emulator: SalesforceEmulator, frozen: list[datetime]
) -> None:
    record_id = emulator.insert("Account", {"Name": "Old news"})
    make_sf().Account.delete(record_id)
    soql = f"SELECT Id FROM Account WHERE Id = '{record_id}'"

    def fresh() -> Salesforce:  # sessions last hours, not days
        return make_sf(token=emulator.issue_tokens("admin", refresh=False)["access_token"])

    frozen[0] = T0 + timedelta(days=14)
    assert _ids(fresh(), soql, all_rows=True) == {record_id}
    frozen[0] = T0 + timedelta(days=15, minutes=1)
    assert _ids(fresh(), soql, all_rows=True) == set()


def test_a_hard_delete_skips_the_recycle_bin(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    record_id = emulator.insert("Account", {"Name": "Gone for good"})
    emulator.purge("Account", record_id)
    assert _ids(sf, f"SELECT Id FROM Account WHERE Id = '{record_id}'", all_rows=True) == set()


def test_undelete_brings_a_record_back_with_a_new_system_modstamp(
    sf: Salesforce, emulator: SalesforceEmulator, frozen: list[datetime]
) -> None:
    record_id = emulator.insert("Account", {"Name": "Back again"})
    sf.Account.delete(record_id)
    frozen[0] = T0 + timedelta(minutes=3)
    emulator.undelete("Account", record_id)
    [row] = sf.query(f"SELECT Id, Name, SystemModstamp FROM Account WHERE Id = '{record_id}'")[
        "records"
    ]
    assert row["Name"] == "Back again"
    assert row["SystemModstamp"] == "2030-03-01T12:03:30.000+0000"
    frozen[0] = T0 + timedelta(minutes=10)
    answer = sf.Account.deleted(T0 - timedelta(minutes=1), frozen[0])
    assert answer["deletedRecords"] == []  # no longer deleted


def test_a_purged_record_cannot_be_undeleted(emulator: SalesforceEmulator) -> None:
    from sandbox.salesforce.errors import SfError

    record_id = emulator.insert("Account", {"Name": "Purged"})
    emulator.purge("Account", record_id)
    with pytest.raises(SfError):
        emulator.undelete("Account", record_id)


# -- 8: datetime precision ------------------------------------------------------------
def test_system_stamps_are_whole_seconds(
    sf: Salesforce, emulator: SalesforceEmulator, frozen: list[datetime]
) -> None:
    created = sf.Account.create({"Name": "Stamped"})["id"]
    frozen[0] = T0 + timedelta(milliseconds=150)  # still 12:00:30, now .939
    sf.Account.update(created, {"Name": "Stamped again"})
    row = sf.Account.get(created)
    for name in ("CreatedDate", "LastModifiedDate", "SystemModstamp"):
        assert row[name] == "2030-03-01T12:00:30.000+0000", name


def test_soql_datetime_comparisons_work_on_whole_seconds(
    sf: Salesforce, emulator: SalesforceEmulator, frozen: list[datetime]
) -> None:
    record_id = emulator.insert("Account", {"Name": "Same second"})
    base = f"SELECT Id FROM Account WHERE Id = '{record_id}' AND SystemModstamp "
    assert _ids(sf, base + ">= 2030-03-01T12:00:30Z", all_rows=False) == {record_id}
    assert _ids(sf, base + "> 2030-03-01T12:00:30Z", all_rows=False) == set()
    assert _ids(sf, base + "= 2030-03-01T12:00:30Z", all_rows=False) == {record_id}
    # The documented literal formats have no fraction. A fractional literal is accepted
    # (seen working against real orgs) and compared as given, so a client that sends
    # the edit instant ".789" with >= misses the record stamped ".000" of that second.
    assert _ids(sf, base + ">= 2030-03-01T12:00:30.789Z", all_rows=False) == set()


# -- 9: no API access ---------------------------------------------------------------------
def test_an_org_without_api_access_refuses_every_rest_call(
    sf: Salesforce, emulator: SalesforceEmulator
) -> None:
    emulator.set_api_access(False)
    for call in (
        lambda: sf.query("SELECT Id FROM Account"),
        lambda: sf.describe(),
        lambda: sf.Account.describe(),
        lambda: sf.restful("limits/"),
    ):
        with pytest.raises(SalesforceRefusedRequest) as refused:
            call()
        assert refused.value.status == 403
        [error] = refused.value.content
        assert error == {
            "message": "The REST API is not enabled for this Organization.",
            "errorCode": "API_DISABLED_FOR_ORG",
        }
    emulator.set_api_access(True)
    assert sf.query("SELECT Id FROM Account LIMIT 1")["totalSize"] == 1
