"""Field-level security and record sharing, per seeded user.

| user    | Opportunity / Project__c      | Amount, AnnualRevenue, Budget__c |
|---------|-------------------------------|----------------------------------|
| admin   | every record                  | visible                          |
| rep     | own records only (Private)    | visible                          |
| limited | own records only (Private)    | hidden: describe, SOQL, writes   |
"""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound

from sandbox.salesforce import SalesforceEmulator


def owned_by(emulator: SalesforceEmulator, object_name: str, alias: str) -> list[str]:
    owner = emulator.users[alias].id
    return [r["Id"] for r in emulator.records(object_name) if r["OwnerId"] == owner]


@pytest.mark.parametrize(
    ("object_name", "field"),
    [("Opportunity", "Amount"), ("Account", "AnnualRevenue"), ("Project__c", "Budget__c")],
)
def test_hidden_fields_are_absent_from_describe_for_limited(
    make_sf, object_name: str, field: str
) -> None:
    limited = {f["name"] for f in getattr(make_sf("limited"), object_name).describe()["fields"]}
    admin = {f["name"] for f in getattr(make_sf("admin"), object_name).describe()["fields"]}
    assert field in admin and field not in limited


def test_hidden_field_in_soql_is_invalid_field(make_sf) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        make_sf("limited").query("SELECT Id, Amount FROM Opportunity")
    [error] = raised.value.content
    assert error["errorCode"] == "INVALID_FIELD"
    assert "No such column 'Amount' on entity 'Opportunity'" in error["message"]


def test_hidden_field_in_a_write_is_rejected(make_sf) -> None:
    sf = make_sf("limited")
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Opportunity.create(
            {"Name": "N", "StageName": "Prospecting", "CloseDate": "2030-01-01", "Amount": 5}
        )
    assert raised.value.content == [
        {
            "message": "No such column 'Amount' on sobject of type Opportunity",
            "errorCode": "INVALID_FIELD",
        }
    ]


def test_hidden_field_is_left_out_of_record_reads(make_sf, emulator: SalesforceEmulator) -> None:
    record_id = owned_by(emulator, "Opportunity", "limited")[0]
    record = make_sf("limited").Opportunity.get(record_id)
    assert "Amount" not in record and "StageName" in record


@pytest.mark.parametrize("alias", ["rep", "limited"])
def test_private_objects_show_only_own_records(
    make_sf, emulator: SalesforceEmulator, alias: str
) -> None:
    sf = make_sf(alias)
    for object_name in ("Opportunity", "Project__c"):
        mine = set(owned_by(emulator, object_name, alias))
        seen = {r["Id"] for r in sf.query_all(f"SELECT Id FROM {object_name}")["records"]}
        assert seen == mine and 0 < len(mine) < 300


def test_public_objects_show_everything_to_everyone(make_sf) -> None:
    for alias in ("admin", "rep", "limited"):
        assert make_sf(alias).query("SELECT COUNT() FROM Account")["totalSize"] == 300


def test_admin_sees_all_private_records(make_sf) -> None:
    assert make_sf("admin").query("SELECT COUNT() FROM Opportunity")["totalSize"] == 300


def test_someone_elses_private_record_is_not_found_and_not_writable(
    make_sf, emulator: SalesforceEmulator
) -> None:
    foreign = owned_by(emulator, "Opportunity", "admin")[0]
    rep = make_sf("rep")
    with pytest.raises(SalesforceResourceNotFound):
        rep.Opportunity.get(foreign)
    for write in (
        lambda: rep.Opportunity.update(foreign, {"Name": "Mine now"}),
        lambda: rep.Opportunity.delete(foreign),
    ):
        with pytest.raises(SalesforceMalformedRequest) as raised:
            write()
        assert raised.value.content == [
            {
                "message": "insufficient access rights on object id",
                "errorCode": "INSUFFICIENT_ACCESS_OR_READONLY",
                "fields": [],
            }
        ]
    assert emulator.get_record("Opportunity", foreign)["Name"] != "Mine now"


def test_rep_edits_and_deletes_own_opportunities(make_sf, emulator: SalesforceEmulator) -> None:
    rep = make_sf("rep")
    mine = owned_by(emulator, "Opportunity", "rep")[0]
    assert rep.Opportunity.update(mine, {"NextStep": "Call back"}) == 204
    assert rep.Opportunity.delete(mine) == 204


def test_public_records_are_editable_but_only_owners_delete(
    make_sf, emulator: SalesforceEmulator
) -> None:
    account = owned_by(emulator, "Account", "admin")[0]
    rep = make_sf("rep")
    assert rep.Account.update(account, {"Rating": "Hot"}) == 204
    with pytest.raises(SalesforceMalformedRequest) as raised:
        rep.Account.delete(account)
    assert raised.value.content[0]["errorCode"] == "INSUFFICIENT_ACCESS_OR_READONLY"


def test_new_records_belong_to_their_creator(make_sf, emulator: SalesforceEmulator) -> None:
    rep = make_sf("rep")
    created = rep.Project__c.create({"Name": "Rep's project"})["id"]
    assert emulator.get_record("Project__c", created)["OwnerId"] == emulator.users["rep"].id
    assert rep.Project__c.get(created)["Name"] == "Rep's project"


def test_collections_respect_sharing_per_record(make_sf, emulator: SalesforceEmulator) -> None:
    foreign = owned_by(emulator, "Project__c", "admin")[0]
    mine = owned_by(emulator, "Project__c", "rep")[0]
    results = make_sf("rep").restful(
        "composite/sobjects",
        method="PATCH",
        json={
            "records": [
                {"attributes": {"type": "Project__c"}, "id": mine, "Completion__c": 10},
                {"attributes": {"type": "Project__c"}, "id": foreign, "Completion__c": 10},
            ]
        },
    )
    assert results[0]["success"] is True
    assert results[1]["errors"][0]["statusCode"] == "INSUFFICIENT_ACCESS_OR_READONLY"


def test_owner_relationship_resolves_to_the_user(make_sf) -> None:
    rows = make_sf("rep").query("SELECT Name, Owner.Name FROM Project__c LIMIT 5")["records"]
    assert all(r["Owner"]["Name"] == "Riley Brooks" for r in rows)
