"""query / queryAll / queryMore through the real simple-salesforce: shapes, paging, errors."""

from __future__ import annotations

import pytest
import requests
from simple_salesforce import Salesforce, format_soql
from simple_salesforce.exceptions import SalesforceMalformedRequest

from sandbox.salesforce import SalesforceEmulator

from .conftest import Served
from .fixtures import recorded


def add_accounts(emulator: SalesforceEmulator, count: int, prefix: str = "Paged") -> None:
    for n in range(count):
        emulator.insert("Account", {"Name": f"{prefix} {n:05d}"})


def test_query_response_has_the_recorded_shape(sf: Salesforce) -> None:
    theirs = recorded("query_success_response.json")
    ours = sf.query("SELECT Id, Name, Account.Name FROM Opportunity LIMIT 2")
    assert list(ours) == ["totalSize", "done", "records"]
    assert set(ours) == set(theirs)
    record = ours["records"][0]
    assert next(iter(record)) == "attributes"
    assert set(record["attributes"]) == set(theirs["records"][0]["attributes"])
    assert record["Account"]["attributes"]["type"] == "Account"


def test_empty_result(sf: Salesforce) -> None:
    answer = sf.query("SELECT Id FROM Account WHERE Name = 'No such company'")
    assert answer == recorded("query_empty_response.json")


def test_count_query_reports_total_size_only(sf: Salesforce) -> None:
    assert sf.query("SELECT COUNT() FROM Contact") == {
        "totalSize": 300,
        "done": True,
        "records": [],
    }


def test_relationship_to_an_empty_lookup_is_null(sf: Salesforce) -> None:
    sf.Contact.create({"LastName": "Loner"})
    answer = sf.query("SELECT Name, Account.Name FROM Contact WHERE LastName = 'Loner'")
    assert answer["records"][0]["Account"] is None


def test_first_page_holds_2000_and_next_records_url_is_a_path(
    sf: Salesforce, emulator: SalesforceEmulator
) -> None:
    add_accounts(emulator, 2200)
    first = sf.query("SELECT Id, Name FROM Account WHERE Name LIKE 'Paged%' ORDER BY Name")
    assert (first["totalSize"], first["done"], len(first["records"])) == (2200, False, 2000)
    locator_url = first["nextRecordsUrl"]
    assert locator_url.startswith("/services/data/v59.0/query/01g")
    assert locator_url.endswith("-2000")
    assert list(first) == list(recorded("query_paginated_first_page_response.json"))
    rest = sf.query_more(locator_url, identifier_is_url=True)
    assert (rest["totalSize"], rest["done"], len(rest["records"])) == (2200, True, 200)
    assert "nextRecordsUrl" not in rest
    names = [r["Name"] for r in first["records"] + rest["records"]]
    assert names == sorted(names) and len(set(names)) == 2200


def test_batch_size_header_sets_the_page_size(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    add_accounts(emulator, 150)
    options = {"Sforce-Query-Options": "batchSize=200"}
    first = sf.query("SELECT Id FROM Account", headers=options)
    assert (first["totalSize"], len(first["records"])) == (450, 200)
    assert first["nextRecordsUrl"].endswith("-200")
    second = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True, headers=options)
    assert second["nextRecordsUrl"].endswith("-400")
    third = sf.query_more(second["nextRecordsUrl"], identifier_is_url=True, headers=options)
    assert (third["done"], len(third["records"])) == (True, 50)


def test_batch_size_below_200_is_raised_to_200(sf: Salesforce) -> None:
    page = sf.query("SELECT Id FROM Account", headers={"Sforce-Query-Options": "batchSize=10"})
    assert len(page["records"]) == 200


def test_cursor_is_a_snapshot_of_the_result(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    add_accounts(emulator, 1800)
    first = sf.query("SELECT Id, Name FROM Account")
    emulator.insert("Account", {"Name": "Arrived later"})
    rest = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    assert rest["totalSize"] == 2100
    assert "Arrived later" not in {r["Name"] for r in rest["records"]}


def test_query_all_iter_reads_every_page(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    add_accounts(emulator, 4100, prefix="Iter")
    names = [
        r["Name"] for r in sf.query_all_iter("SELECT Name FROM Account WHERE Name LIKE 'Iter%'")
    ]
    assert len(names) == 4100 == len(set(names))


def test_query_all_includes_deleted_rows(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    gone = emulator.records("Lead")[0]["Id"]
    emulator.delete("Lead", gone)
    soql = format_soql("SELECT Id, IsDeleted FROM Lead WHERE Id = {}", gone)
    assert sf.query(soql)["totalSize"] == 0
    everything = sf.query_all(soql, include_deleted=True)
    assert everything["records"][0]["IsDeleted"] is True


def test_used_or_unknown_locator_is_invalid(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    add_accounts(emulator, 1800)
    first = sf.query("SELECT Id FROM Account")
    sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    assert raised.value.content == [
        {"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}
    ]


def test_query_more_by_locator_id(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    add_accounts(emulator, 1800)
    first = sf.query("SELECT Id FROM Account")
    locator = first["nextRecordsUrl"].rsplit("/", 1)[1]
    assert len(sf.query_more(locator)["records"]) == 100


@pytest.mark.parametrize("path", ["query", "query/"])
def test_query_path_with_and_without_trailing_slash(
    sf_env: Served, http: requests.Session, path: str
) -> None:
    answer = http.get(
        f"{sf_env.url}/services/data/v59.0/{path}",
        params={"q": "SELECT Id FROM Case LIMIT 1"},
        headers={"Authorization": f"Bearer {sf_env.emulator.token_for('admin')}"},
        timeout=10,
    )
    assert answer.status_code == 200 and answer.json()["totalSize"] == 1


@pytest.mark.parametrize(
    ("soql", "code", "ending"),
    [
        ("SELECT Id FRM Account", "MALFORMED_QUERY", "unexpected token: 'FRM'"),
        (
            "SELECT Foo FROM Account",
            "INVALID_FIELD",
            "No such column 'Foo' on entity 'Account'. "
            "If you are attempting to use a custom field, be sure to append the '__c' after the "
            "custom field name. Please reference your WSDL or the describe call for the "
            "appropriate names.",
        ),
        (
            "SELECT Id FROM Foo",
            "INVALID_TYPE",
            "sObject type 'Foo' is not supported. If you are "
            "attempting to use a custom object, be sure to append the '__c' after the entity "
            "name. Please reference your WSDL or the describe call for the appropriate names.",
        ),
    ],
)
def test_soql_errors_are_400_lists(sf: Salesforce, soql: str, code: str, ending: str) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.query(soql)
    assert raised.value.status == 400
    [error] = raised.value.content
    assert set(error) == set(recorded("query_error_response.json")[0])
    assert error["errorCode"] == code
    assert error["message"].startswith("\n" + soql + "\n") and error["message"].endswith(ending)


def test_missing_query_text_is_malformed(sf_env: Served, http: requests.Session) -> None:
    answer = http.get(
        f"{sf_env.url}/services/data/v59.0/query/",
        headers={"Authorization": f"Bearer {sf_env.emulator.token_for('admin')}"},
        timeout=10,
    )
    assert answer.status_code == 400 and answer.json()[0]["errorCode"] == "MALFORMED_QUERY"


def test_values_come_back_in_salesforce_json_form(sf: Salesforce) -> None:
    record = sf.query(
        "SELECT Id, Name, Tags__c, Budget__c, Start_Date__c, Kickoff__c, "
        "Active__c, Completion__c, Account__r.Name FROM Project__c "
        "WHERE Tags__c != null LIMIT 1"
    )["records"][0]
    assert isinstance(record["Active__c"], bool)
    assert isinstance(record["Budget__c"], float)
    assert len(record["Start_Date__c"]) == 10
    assert record["Kickoff__c"].endswith(".000+0000")
    assert record["Account__r"]["attributes"]["type"] == "Account"
