"""Versions, resources, describeGlobal, describe, limits, the usage header and the daily cap."""

from __future__ import annotations

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceRefusedRequest, SalesforceResourceNotFound

from .conftest import Served
from .fixtures import all_field_keys, kinds_differ, recorded


def test_versions_list_needs_no_auth_and_covers_31_to_66(
    sf_env: Served, http: requests.Session
) -> None:
    answer = http.get(f"{sf_env.url}/services/data/", timeout=10)
    assert answer.status_code == 200
    versions = answer.json()
    assert [v["version"] for v in versions] == [f"{n}.0" for n in range(31, 67)]
    by_version = {v["version"]: v for v in versions}
    assert by_version["59.0"] == {
        "label": "Winter '24",
        "url": "/services/data/v59.0",
        "version": "59.0",
    }
    assert by_version["31.0"]["label"] == "Summer '14"
    assert by_version["66.0"]["label"] == "Spring '26"
    assert set(recorded("services_data_success_response.json")[0]) == set(versions[0])


@pytest.mark.parametrize("version", ["30.0", "67.0", "59.1", "latest"])
def test_unsupported_versions_are_not_found(make_sf, version: str) -> None:
    with pytest.raises(SalesforceResourceNotFound) as raised:
        make_sf(version=version).describe()
    assert raised.value.content == [
        {"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}
    ]


@pytest.mark.parametrize("version", ["31.0", "59.0", "66.0"])
def test_every_supported_version_answers(make_sf, version: str) -> None:
    assert make_sf(version=version).Account.describe()["name"] == "Account"


def test_resources_of_a_version(sf: Salesforce) -> None:
    resources = sf.restful("")
    assert resources["sobjects"] == "/services/data/v59.0/sobjects"
    assert resources["query"] == "/services/data/v59.0/query"
    assert "/id/" in resources["identity"]


def test_describe_global_entries_match_the_recorded_shape(sf: Salesforce) -> None:
    theirs = recorded("global_describe.json")
    ours = sf.describe()
    assert (ours["encoding"], ours["maxBatchSize"]) == (theirs["encoding"], theirs["maxBatchSize"])
    names = [s["name"] for s in ours["sobjects"]]
    assert {
        "Account",
        "Contact",
        "Lead",
        "Opportunity",
        "Case",
        "User",
        "Project__c",
        "Wide_Record__c",  # 500 fields, for the builder's size tests
    } == set(names)
    recorded_account = next(s for s in theirs["sobjects"] if s["name"] == "Account")
    for entry in ours["sobjects"]:
        assert set(entry) == set(recorded_account)
        assert kinds_differ(entry, recorded_account) == {}
    project = next(s for s in ours["sobjects"] if s["name"] == "Project__c")
    assert (project["custom"], project["keyPrefix"], project["label"]) == (True, "a0X", "Project")
    user = next(s for s in ours["sobjects"] if s["name"] == "User")
    assert (user["createable"], user["updateable"]) == (False, False)


@pytest.mark.parametrize("name", ["Account", "Contact", "Opportunity"])
def test_describe_matches_the_recorded_describe(sf: Salesforce, name: str) -> None:
    theirs = recorded(f"{name}.json")
    ours = getattr(sf, name).describe()
    assert set(ours) == set(theirs)
    assert kinds_differ(ours, theirs) == {}
    assert all_field_keys(ours) == all_field_keys(theirs)
    recorded_fields = {f["name"]: f for f in theirs["fields"]}
    for field in ours["fields"]:
        assert set(field) == set(theirs["fields"][0]), field["name"]
        assert kinds_differ(field, theirs["fields"][0]) == {}
        twin = recorded_fields.get(field["name"])
        if twin is not None:  # a field real orgs have too: same type and flags
            for key in (
                "type",
                "soapType",
                "nillable",
                "createable",
                "updateable",
                "referenceTo",
                "relationshipName",
                "nameField",
                "filterable",
            ):
                assert field[key] == twin[key], (field["name"], key)


def test_standard_fields_carry_real_lengths_and_picklists(sf: Salesforce) -> None:
    fields = {f["name"]: f for f in sf.Opportunity.describe()["fields"]}
    assert fields["StageName"]["type"] == "picklist" and not fields["StageName"]["nillable"]
    assert [p["value"] for p in fields["StageName"]["picklistValues"]][-2:] == [
        "Closed Won",
        "Closed Lost",
    ]
    assert (fields["Amount"]["type"], fields["Amount"]["precision"], fields["Amount"]["scale"]) == (
        "currency",
        18,
        2,
    )
    assert fields["CloseDate"]["type"] == "date"
    assert fields["Name"]["length"] == 120 and fields["Name"]["byteLength"] == 360
    for system in (
        "CreatedDate",
        "LastModifiedDate",
        "SystemModstamp",
        "IsDeleted",
        "CreatedById",
        "LastModifiedById",
    ):
        assert not fields[system]["createable"] and not fields[system]["updateable"]


def test_project_describe_has_every_custom_field_type(sf: Salesforce) -> None:
    fields = {f["name"]: f for f in sf.Project__c.describe()["fields"]}
    expected = {
        "Status__c": "picklist",
        "Tags__c": "multipicklist",
        "Account__c": "reference",
        "Budget__c": "currency",
        "Start_Date__c": "date",
        "Kickoff__c": "datetime",
        "Active__c": "boolean",
        "Completion__c": "percent",
        "Contact_Email__c": "email",
        "Website__c": "url",
        "Notes__c": "textarea",
        "Score__c": "double",
    }
    assert {name: fields[name]["type"] for name in expected} == expected
    assert fields["Status__c"]["restrictedPicklist"] is True
    assert (fields["Account__c"]["referenceTo"], fields["Account__c"]["relationshipName"]) == (
        ["Account"],
        "Account__r",
    )
    assert fields["Notes__c"]["length"] == 32768 and not fields["Notes__c"]["filterable"]
    score = fields["Score__c"]
    assert score["calculated"] and not score["createable"] and not score["updateable"]
    assert score["calculatedFormula"]
    assert all(fields[name]["custom"] for name in expected)


def test_contact_name_is_compound_and_read_only(sf: Salesforce) -> None:
    fields = {f["name"]: f for f in sf.Contact.describe()["fields"]}
    assert fields["Name"]["nameField"] and not fields["Name"]["createable"]
    assert fields["LastName"]["compoundFieldName"] == "Name"
    assert not fields["LastName"]["nillable"]


def test_user_object_is_read_only(sf: Salesforce) -> None:
    described = sf.User.describe()
    assert not described["createable"] and not described["updateable"]
    assert not any(f["createable"] or f["updateable"] for f in described["fields"])


def test_unknown_object_is_not_found(sf: Salesforce) -> None:
    with pytest.raises(SalesforceResourceNotFound) as raised:
        sf.Foo__c.describe()
    assert raised.value.content == recorded("sobject_describe_error_response.json")


def test_basic_info_lists_object_and_recent_items(sf: Salesforce) -> None:
    info = sf.Account.metadata()
    assert info["objectDescribe"]["name"] == "Account"
    assert 0 < len(info["recentItems"]) <= 5
    assert set(info["recentItems"][0]) == {"attributes", "Id", "Name"}


def test_limits_match_the_recorded_shape_and_count_calls(sf: Salesforce) -> None:
    theirs = recorded("limits.json")
    ours = sf.limits()
    assert set(theirs) <= set(ours)
    assert all(set(ours[key]) == {"Max", "Remaining"} for key in ours)
    assert ours["DailyApiRequests"] == {"Max": 15000, "Remaining": 14999}
    assert sf.limits()["DailyApiRequests"]["Remaining"] == 14998


def test_every_rest_response_reports_api_usage(
    sf_env: Served, sf: Salesforce, http: requests.Session
) -> None:
    sf.query("SELECT Id FROM Account LIMIT 1")
    sf.describe()
    assert sf.api_usage["api-usage"].used == 2
    assert sf.api_usage["api-usage"].total == 15000
    versions = http.get(f"{sf_env.url}/services/data", timeout=10)
    assert versions.headers["Sforce-Limit-Info"] == "api-usage=2/15000"


def test_daily_cap_refuses_calls_with_request_limit_exceeded(
    sf_env: Served, sf: Salesforce
) -> None:
    sf_env.emulator.set_api_usage(99, 100)
    sf.limits()
    with pytest.raises(SalesforceRefusedRequest) as raised:
        sf.limits()
    assert raised.value.status == 403
    assert raised.value.content == [
        {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
    ]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/sobjects"),
        ("GET", "/sobjects/Account/describe"),
        ("GET", "/query/?q=SELECT+Id+FROM+Account"),
        ("GET", "/limits/"),
        ("POST", "/sobjects/Account/"),
        ("POST", "/composite/sobjects"),
        ("GET", "/sobjects/Account/updated/?start=2030-01-01T00:00:00Z&end=2030-01-02T00:00:00Z"),
    ],
)
def test_unknown_token_is_401_everywhere(
    sf_env: Served, http: requests.Session, method: str, path: str
) -> None:
    answer = http.request(
        method,
        f"{sf_env.url}/services/data/v59.0{path}",
        headers={"Authorization": "Bearer 00Dnope!AQnope"},
        json={},
        timeout=10,
    )
    assert answer.status_code == 401
    assert answer.json() == recorded("expired_session_response.json")
    assert sf_env.emulator.api_used == 0
