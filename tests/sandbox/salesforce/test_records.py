"""Single-record REST: create, read, update, delete, and how writes fail."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound

from sandbox.salesforce import SalesforceEmulator

from .conftest import Served
from .fixtures import kinds_differ, recorded


def new_opportunity(sf: Salesforce, **values: object) -> str:
    data = {"Name": "Big deal", "StageName": "Prospecting", "CloseDate": "2030-01-31"} | values
    return str(sf.Opportunity.create(data)["id"])


def error_of(raised: pytest.ExceptionInfo[SalesforceMalformedRequest]) -> dict[str, object]:
    assert raised.value.status == 400
    assert isinstance(raised.value.content, list) and len(raised.value.content) == 1
    return dict(raised.value.content[0])


def test_create_answers_201_with_id_and_the_record_reads_back(
    sf: Salesforce, emulator: SalesforceEmulator
) -> None:
    created = sf.Account.create(
        {
            "Name": "Globex Corporation",
            "Industry": "Energy",
            "NumberOfEmployees": 250,
            "AnnualRevenue": 1.5e6,
        }
    )
    assert list(created) == ["id", "errors", "success"]
    assert created["success"] is True and created["errors"] == []
    assert set(recorded("create_success_response.json")) == set(created)
    record_id = created["id"]
    assert len(record_id) == 18 and record_id.startswith("001")
    record = sf.Account.get(record_id)
    assert record["attributes"] == {
        "type": "Account",
        "url": f"/services/data/v59.0/sobjects/Account/{record_id}",
    }
    assert (record["Name"], record["NumberOfEmployees"], record["AnnualRevenue"]) == (
        "Globex Corporation",
        250,
        1500000.0,
    )
    admin = emulator.users["admin"].id
    assert (record["OwnerId"], record["CreatedById"], record["LastModifiedById"]) == (
        admin,
        admin,
        admin,
    )
    assert record["CreatedDate"] == record["SystemModstamp"]
    assert record["CreatedDate"].endswith("+0000") and record["IsDeleted"] is False


def test_record_shape_matches_the_recorded_find_response(sf: Salesforce) -> None:
    theirs = recorded("sobject_find_success_response.json")
    ours = sf.Account.get(sf.Account.create({"Name": "Shape"})["id"])
    assert next(iter(ours)) == "attributes"
    assert kinds_differ(ours, theirs) == {}
    assert set(ours["attributes"]) == set(theirs["attributes"])


def test_get_accepts_the_15_character_id_and_a_field_list(sf: Salesforce) -> None:
    record_id = new_opportunity(sf, Amount=1200.5)
    record = sf.Opportunity.get(record_id[:15], params={"fields": "Name,amount"})
    assert record == {"attributes": record["attributes"], "Name": "Big deal", "Amount": 1200.5}
    assert record["attributes"]["url"].endswith(record_id)


def test_get_with_an_unknown_field_is_invalid_field(sf: Salesforce) -> None:
    record_id = new_opportunity(sf)
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Opportunity.get(record_id, params={"fields": "Name,Nope"})
    assert error_of(raised)["errorCode"] == "INVALID_FIELD"
    assert "No such column 'Nope' on entity 'Opportunity'" in str(error_of(raised)["message"])


def test_get_of_a_missing_or_malformed_id_is_not_found(sf: Salesforce) -> None:
    with pytest.raises(SalesforceResourceNotFound) as raised:
        sf.Account.get("001000000000000AAA")
    assert raised.value.content == [
        {"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}
    ]
    with pytest.raises(SalesforceResourceNotFound) as raised:
        sf.Account.get("garbage")
    assert raised.value.content[0]["message"].endswith("is not accessible: garbage")


def test_update_answers_204_and_moves_system_fields(
    sf: Salesforce, emulator: SalesforceEmulator
) -> None:
    record_id = new_opportunity(sf)
    before = sf.Opportunity.get(record_id)
    start = emulator.clock()
    emulator.clock = lambda: start + timedelta(minutes=5)
    assert sf.Opportunity.update(record_id, {"StageName": "Closed Won", "Amount": 10}) == 204
    after = sf.Opportunity.get(record_id)
    assert after["SystemModstamp"] > before["SystemModstamp"]
    assert after["LastModifiedDate"] == after["SystemModstamp"]
    assert after["CreatedDate"] == before["CreatedDate"]
    assert (after["IsClosed"], after["IsWon"], after["Probability"]) == (True, True, 100.0)


def test_delete_is_soft_and_then_the_record_is_gone(
    sf: Salesforce, emulator: SalesforceEmulator
) -> None:
    record_id = sf.Account.create({"Name": "Short-lived"})["id"]
    assert sf.Account.delete(record_id) == 204
    with pytest.raises(SalesforceResourceNotFound) as raised:
        sf.Account.get(record_id)
    assert raised.value.content[0]["errorCode"] == "NOT_FOUND"
    for call in (
        lambda: sf.Account.update(record_id, {"Name": "x"}),
        lambda: sf.Account.delete(record_id),
    ):
        with pytest.raises(SalesforceResourceNotFound) as raised:
            call()
        assert raised.value.content == [
            {"message": "entity is deleted", "errorCode": "ENTITY_IS_DELETED", "fields": []}
        ]
    deleted = emulator.get_record("Account", record_id)
    assert deleted is not None and deleted["IsDeleted"] is True
    assert (
        sf.query_all(f"SELECT Id FROM Account WHERE Id = '{record_id}'", include_deleted=True)[
            "totalSize"
        ]
        == 1
    )


def test_deleting_an_account_cascades_to_its_contacts(
    sf: Salesforce, emulator: SalesforceEmulator
) -> None:
    account = sf.Account.create({"Name": "Parent"})["id"]
    contact = sf.Contact.create({"LastName": "Child", "AccountId": account})["id"]
    project = sf.Project__c.create({"Name": "Linked", "Account__c": account})["id"]
    sf.Account.delete(account)
    assert emulator.get_record("Contact", contact)["IsDeleted"] is True
    assert emulator.get_record("Project__c", project)["Account__c"] is None


@pytest.mark.parametrize(
    ("object_name", "values", "code", "message", "fields"),
    [
        (
            "Opportunity",
            {"Name": "N", "StageName": "Prospecting", "CloseDate": "2030-01-01", "Amount": -5},
            "FIELD_CUSTOM_VALIDATION_EXCEPTION",
            "Amount cannot be negative",
            ["Amount"],
        ),
        (
            "Project__c",
            {"Name": "P", "Status__c": "Dreaming"},
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "Status: bad value for restricted picklist field: Dreaming",
            ["Status__c"],
        ),
        (
            "Account",
            {"Name": "x" * 256},
            "STRING_TOO_LONG",
            f"Account Name: data value too large: {'x' * 256} (max length=255)",
            ["Name"],
        ),
        (
            "Opportunity",
            {"Name": "N"},
            "REQUIRED_FIELD_MISSING",
            "Required fields are missing: [StageName, CloseDate]",
            ["StageName", "CloseDate"],
        ),
        (
            "Account",
            {"Name": "N", "CreatedDate": "2020-01-01T00:00:00Z"},
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            "Unable to create/update fields: CreatedDate. Please check the security settings of "
            "this field and verify that it is read/write for your profile or permission set.",
            ["CreatedDate"],
        ),
        (
            "Contact",
            {"LastName": "L", "Email": "not-an-email"},
            "INVALID_EMAIL_ADDRESS",
            "Email: invalid email address: not-an-email",
            ["Email"],
        ),
        (
            "Contact",
            {"LastName": "L", "AccountId": "nope"},
            "MALFORMED_ID",
            "Account ID: id value of incorrect type: nope",
            ["AccountId"],
        ),
        (
            "Contact",
            {"LastName": "L", "AccountId": "003570000000001AAA"},
            "FIELD_INTEGRITY_EXCEPTION",
            "Account ID: id value of incorrect type: 003570000000001AAA",
            ["AccountId"],
        ),
        (
            "Contact",
            {"LastName": "L", "AccountId": "001570000000001AAA"},
            "INVALID_CROSS_REFERENCE_KEY",
            "invalid cross reference id",
            [],
        ),
        (
            "Project__c",
            {"Name": "P", "Score__c": 3},
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            "Unable to create/update fields: Score__c. Please check the security settings of this "
            "field and verify that it is read/write for your profile or permission set.",
            ["Score__c"],
        ),
        (
            "Opportunity",
            {"Name": "N", "StageName": "Prospecting", "CloseDate": "2030-01-01", "Amount": 1e17},
            "NUMBER_OUTSIDE_VALID_RANGE",
            "Amount: value outside of valid range on numeric field: 1e+17",
            ["Amount"],
        ),
        (
            "Account",
            {"Name": "N", "NumberOfEmployees": 1_000_000_000},
            "NUMBER_OUTSIDE_VALID_RANGE",
            "Employees: value outside of valid range on numeric field: 1000000000",
            ["NumberOfEmployees"],
        ),
        (
            "Account",
            {"Id": "001570000000001AAA", "Name": "N"},
            "INVALID_FIELD",
            "cannot specify Id in an insert call",
            ["Id"],
        ),
    ],
)
def test_save_errors_are_400_with_the_salesforce_error(
    sf: Salesforce,
    object_name: str,
    values: dict[str, object],
    code: str,
    message: str,
    fields: list[str],
) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        getattr(sf, object_name).create(values)
    assert error_of(raised) == {"message": message, "errorCode": code, "fields": fields}


def test_unknown_field_is_invalid_field(sf: Salesforce) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Account.create({"Name": "N", "Colour__c": "red"})
    assert error_of(raised) == {
        "message": "No such column 'Colour__c' on sobject of type Account",
        "errorCode": "INVALID_FIELD",
    }
    assert error_of(raised)["message"].startswith("No such column")
    assert set(recorded("write_error_response.json")[0]) == set(error_of(raised))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"CloseDate": "31/01/2030"},
            "Cannot deserialize instance of date from VALUE_STRING "
            "value 31/01/2030 or request may be missing a required "
            "field at [line:1, column:",
        ),
        ({"Amount": "lots"}, "Cannot deserialize instance of double from VALUE_STRING value lots"),
        (
            {"IsPrivate": "maybe"},
            "Cannot deserialize instance of boolean from VALUE_STRING value maybe",
        ),
        ({"Amount": {"value": 1}}, "Cannot deserialize instance of double from START_OBJECT"),
    ],
)
def test_wrong_json_types_are_json_parser_errors(
    sf: Salesforce, values: dict[str, object], expected: str
) -> None:
    base = {"Name": "N", "StageName": "Prospecting", "CloseDate": "2030-01-31"}
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Opportunity.create(base | values)
    error = error_of(raised)
    assert error["errorCode"] == "JSON_PARSER_ERROR" and "fields" not in error
    assert str(error["message"]).startswith(expected)


def test_parser_error_reports_where_the_value_ends(sf_env: Served, http: requests.Session) -> None:
    body = '{"Name": "N",\n "CloseDate": "soon"}'
    answer = http.post(
        f"{sf_env.url}/services/data/v59.0/sobjects/Opportunity/",
        data=body,
        headers={
            "Authorization": f"Bearer {sf_env.emulator.token_for('admin')}",
            "Content-Type": "application/json",
        },
        timeout=10,
    )
    assert answer.status_code == 400
    assert answer.json()[0]["message"].endswith("at [line:2, column:21]")


def test_malformed_json_is_a_parser_error(sf_env: Served, http: requests.Session) -> None:
    answer = http.post(
        f"{sf_env.url}/services/data/v59.0/sobjects/Account/",
        data="{nope",
        headers={"Authorization": f"Bearer {sf_env.emulator.token_for('admin')}"},
        timeout=10,
    )
    assert answer.status_code == 400 and answer.json()[0]["errorCode"] == "JSON_PARSER_ERROR"


def test_values_are_coerced_and_stored_in_json_form(sf: Salesforce) -> None:
    record_id = sf.Project__c.create(
        {
            "Name": "Coerced",
            "Budget__c": "1234.567",
            "Kickoff__c": "2030-05-01T10:00:00+02:00",
            "Active__c": "true",
            "Tags__c": "Urgent;Internal;Urgent",
            "Completion__c": 50,
            "Start_Date__c": "2030-04-30",
            "Notes__c": "line one\nline two",
        }
    )["id"]
    record = sf.Project__c.get(record_id)
    assert record["Budget__c"] == 1234.57  # rounded to the field's scale
    assert record["Kickoff__c"] == "2030-05-01T08:00:00.000+0000"
    assert record["Active__c"] is True and record["Tags__c"] == "Urgent;Internal"
    assert record["Score__c"] == 617.29  # formula: Budget__c * Completion__c / 100
    assert record["Status__c"] == "Planned"  # picklist default


def test_contact_name_is_computed_from_its_parts(sf: Salesforce) -> None:
    record_id = sf.Contact.create({"FirstName": "Ada", "LastName": "Lovelace"})["id"]
    assert sf.Contact.get(record_id)["Name"] == "Ada Lovelace"
    sf.Contact.update(record_id, {"FirstName": None})
    assert sf.Contact.get(record_id)["Name"] == "Lovelace"


def test_user_records_cannot_be_written(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.User.create({"LastName": "New"})
    assert error_of(raised)["errorCode"] == "INVALID_TYPE_FOR_OPERATION"
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.User.update(emulator.users["rep"].id, {"Title": "Boss"})
    assert error_of(raised)["errorCode"] == "INSUFFICIENT_ACCESS_OR_READONLY"


def test_update_with_an_id_of_another_object_is_malformed(sf: Salesforce) -> None:
    account = sf.Account.create({"Name": "A"})["id"]
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Contact.update(account, {"LastName": "x"})
    assert error_of(raised) == {
        "message": f"Contact ID: id value of incorrect type: {account}",
        "errorCode": "MALFORMED_ID",
        "fields": ["Id"],
    }


def test_direct_access_maintains_system_fields(emulator: SalesforceEmulator) -> None:
    record_id = emulator.insert(
        "Case", {"Subject": "Printer on fire", "Status": "New"}, as_user="rep"
    )
    case = emulator.get_record("Case", record_id)
    assert case["OwnerId"] == emulator.users["rep"].id
    assert case["CaseNumber"].isdigit() and case["IsClosed"] is False
    emulator.update("Case", record_id, {"Status": "Closed"})
    closed = emulator.get_record("Case", record_id)
    assert closed["IsClosed"] is True and closed["ClosedDate"] == closed["SystemModstamp"]
    assert closed["LastModifiedById"] == emulator.users["admin"].id
    emulator.delete("Case", record_id)
    assert record_id not in {r["Id"] for r in emulator.records("Case")}
    assert record_id in {r["Id"] for r in emulator.records("Case", include_deleted=True)}


def test_reset_restores_the_seeded_data(emulator: SalesforceEmulator) -> None:
    seeded = json.dumps(emulator.records("Account"), sort_keys=True)
    emulator.insert("Account", {"Name": "Extra"})
    emulator.delete("Account", emulator.records("Account")[0]["Id"])
    emulator.reset()
    assert json.dumps(emulator.records("Account"), sort_keys=True) == seeded
