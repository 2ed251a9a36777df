"""sObject Collections: per-record results in request order, allOrNone, whole-request errors."""

from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from sandbox.salesforce import SalesforceEmulator
from sandbox.salesforce.ids import to18

from .fixtures import kinds_differ, recorded

ROLLED_BACK = {
    "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "message": "Record rolled back because not all records were valid and the "
    "request was using AllOrNone header",
    "fields": [],
}


def project(name: str, **values: Any) -> dict[str, Any]:
    return {"attributes": {"type": "Project__c"}, "Name": name} | values


def create(sf: Salesforce, records: list[dict[str, Any]], all_or_none: bool = False) -> Any:
    return sf.restful(
        "composite/sobjects", method="POST", json={"allOrNone": all_or_none, "records": records}
    )


def names(emulator: SalesforceEmulator, object_name: str) -> set[str]:
    return {r["Name"] for r in emulator.records(object_name)}


def test_create_returns_results_in_request_order(
    sf: Salesforce, emulator: SalesforceEmulator
) -> None:
    results = create(
        sf,
        [
            project("Good one"),
            project("Bad one", Status__c="Someday"),
            {"attributes": {"type": "Account"}, "Name": "Mixed types are fine"},
        ],
    )
    assert results[0]["success"] is True and results[0]["id"].startswith("a0X")
    assert list(results[0]) == ["id", "success", "errors"]
    assert results[1] == {
        "success": False,
        "errors": [
            {
                "statusCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                "message": "Status: bad value for restricted picklist field: Someday",
                "fields": ["Status__c"],
            }
        ],
    }
    assert results[2]["success"] is True and results[2]["id"].startswith("001")
    assert {"Good one"} <= names(emulator, "Project__c")
    assert "Bad one" not in names(emulator, "Project__c")


def test_all_or_none_rolls_everything_back(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    results = create(
        sf,
        [project("Kept?"), project("Broken", Status__c="Nope"), project("Kept too?")],
        all_or_none=True,
    )
    assert [r["success"] for r in results] == [False, False, False]
    assert results[0]["errors"] == [ROLLED_BACK] == results[2]["errors"]
    assert results[1]["errors"][0]["statusCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    assert not {"Kept?", "Kept too?"} & names(emulator, "Project__c")


def test_all_or_none_with_every_record_valid_saves_all(sf: Salesforce) -> None:
    results = create(sf, [project("One"), project("Two")], all_or_none=True)
    assert all(r["success"] for r in results)


def test_more_than_200_records_is_rejected_whole(
    sf: Salesforce, emulator: SalesforceEmulator
) -> None:
    before = len(emulator.records("Project__c"))
    with pytest.raises(SalesforceMalformedRequest) as raised:
        create(sf, [project(f"P{n}") for n in range(201)])
    assert raised.value.content == [
        {
            "message": "record limit reached. cannot submit more than 200 records into this call",
            "errorCode": "EXCEEDED_ID_LIMIT",
        }
    ]
    assert len(emulator.records("Project__c")) == before


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ({"Colour__c": "red"}, "INVALID_FIELD"),
        ({"Budget__c": "a lot"}, "JSON_PARSER_ERROR"),
        ({"Start_Date__c": "next week"}, "JSON_PARSER_ERROR"),
    ],
)
def test_deserialization_errors_fail_the_whole_request(
    sf: Salesforce, emulator: SalesforceEmulator, bad: dict[str, Any], code: str
) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        create(sf, [project("Fine"), project("Wrong", **bad)])
    assert raised.value.content[0]["errorCode"] == code
    assert "Fine" not in names(emulator, "Project__c")


def test_missing_type_is_rejected(sf: Salesforce) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        create(sf, [{"Name": "typeless"}])
    assert raised.value.content[0]["errorCode"] == "INVALID_TYPE"


def test_update_reports_each_record(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    first, second = (r["id"] for r in create(sf, [project("A"), project("B")]))
    gone = create(sf, [project("C")])[0]["id"]
    emulator.delete("Project__c", gone)
    results = sf.restful(
        "composite/sobjects",
        method="PATCH",
        json={
            "records": [
                {"attributes": {"type": "Project__c"}, "id": first, "Completion__c": 40},
                {"attributes": {"type": "Project__c"}, "id": second, "Status__c": "Bogus"},
                {"attributes": {"type": "Project__c"}, "id": gone, "Name": "Back?"},
                {
                    "attributes": {"type": "Project__c"},
                    "id": "001570000000001AAA",
                    "Name": "Wrong type",
                },
                {"attributes": {"type": "Project__c"}, "Name": "No id"},
            ]
        },
    )
    assert results[0] == {"id": first, "success": True, "errors": []}
    assert results[1]["errors"][0]["statusCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    assert results[2]["errors"] == [
        {"statusCode": "ENTITY_IS_DELETED", "message": "entity is deleted", "fields": []}
    ]
    assert results[3]["errors"] == [
        {
            "statusCode": "MALFORMED_ID",
            "fields": ["Id"],
            "message": "Project ID: id value of incorrect type: 001570000000001AAA",
        }
    ]
    assert results[4]["errors"][0]["statusCode"] == "MISSING_ARGUMENT"
    assert emulator.get_record("Project__c", first)["Completion__c"] == 40.0


def test_update_all_or_none_leaves_records_untouched(
    sf: Salesforce, emulator: SalesforceEmulator
) -> None:
    first, second = (r["id"] for r in create(sf, [project("A"), project("B")]))
    results = sf.restful(
        "composite/sobjects",
        method="PATCH",
        json={
            "allOrNone": True,
            "records": [
                {"attributes": {"type": "Project__c"}, "id": first, "Name": "Renamed"},
                {"attributes": {"type": "Project__c"}, "id": second, "Name": ""},
            ],
        },
    )
    assert results[0]["errors"] == [ROLLED_BACK]
    assert results[1]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING"
    assert emulator.get_record("Project__c", first)["Name"] == "A"


def test_delete_by_ids(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    first, second = (r["id"] for r in create(sf, [project("A"), project("B")]))
    results = sf.restful(
        "composite/sobjects",
        method="DELETE",
        params={"ids": f"{first},{second[:15]},bogus", "allOrNone": "false"},
    )
    assert results[0] == {"id": first, "success": True, "errors": []}
    assert results[1] == {"id": second, "success": True, "errors": []}
    assert results[2] == {
        "success": False,
        "errors": [{"statusCode": "MALFORMED_ID", "message": "malformed id bogus", "fields": []}],
    }
    again = sf.restful("composite/sobjects", method="DELETE", params={"ids": first})
    assert again[0]["errors"][0]["statusCode"] == "ENTITY_IS_DELETED"


def test_delete_all_or_none(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    first = create(sf, [project("A")])[0]["id"]
    results = sf.restful(
        "composite/sobjects",
        method="DELETE",
        params={"ids": f"{first},{to18('a0X570000000001')}", "allOrNone": "true"},
    )
    assert results[0]["errors"] == [ROLLED_BACK]
    assert results[1]["errors"][0]["statusCode"] == "INVALID_CROSS_REFERENCE_KEY"
    assert emulator.get_record("Project__c", first)["IsDeleted"] is False


def test_delete_of_more_than_200_ids_is_rejected(sf: Salesforce) -> None:
    ids = ",".join([to18("a0X570000000001")] * 201)
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.restful("composite/sobjects", method="DELETE", params={"ids": ids})
    assert raised.value.content[0]["errorCode"] == "EXCEEDED_ID_LIMIT"


def test_one_call_counts_once_against_the_allowance(sf: Salesforce) -> None:
    create(sf, [project(f"P{n}") for n in range(200)])
    assert sf.api_usage["api-usage"].used == 1


def test_results_match_the_recorded_save_result_shape(sf: Salesforce) -> None:
    recorded_body = recorded("composite_response_example_success.json")["compositeResponse"][0]
    saved = recorded_body["body"]
    [result] = create(sf, [project("Shaped")], all_or_none=True)
    assert set(result) <= set(saved) and kinds_differ(result, saved) == {}
    [failure] = create(sf, [project("Broken", Status__c="Nope")])
    recorded_error = recorded("composite_response_example_failure.json")["compositeResponse"][1]
    error_keys = set(recorded_error["body"][0]) - {"errorCode"} | {"statusCode"}
    assert set(failure["errors"][0]) == error_keys  # collections say statusCode, not errorCode


def test_all_or_none_may_be_sent_as_a_string(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    results = sf.restful(
        "composite/sobjects",
        method="POST",
        json={"allOrNone": "true", "records": [project("S1"), project("S2", Status__c="x")]},
    )
    assert results[0]["errors"] == [ROLLED_BACK]
    assert "S1" not in names(emulator, "Project__c")
