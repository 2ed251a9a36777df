"""The issue's acceptance script, run with the real simple-salesforce over HTTPS."""

from __future__ import annotations

from simple_salesforce import Salesforce

from sandbox.salesforce import SalesforceEmulator


def test_describe_bulk_insert_read_back_and_a_bad_picklist(
    sf: Salesforce, emulator: SalesforceEmulator
) -> None:
    described = sf.Opportunity.describe()
    fields = {f["name"]: f for f in described["fields"]}
    assert {"Name", "StageName", "CloseDate", "Amount", "AccountId"} <= set(fields)

    records = [
        {
            "attributes": {"type": "Opportunity"},
            "Name": f"Bulk {n:04d}",
            "StageName": "Prospecting",
            "CloseDate": "2030-06-30",
            "Amount": n * 10.0,
        }
        for n in range(2100)
    ]
    emulator.control.reset_counters()
    created = []
    for start in range(0, len(records), 200):
        chunk = records[start : start + 200]
        created += sf.restful(
            "composite/sobjects", method="POST", json={"allOrNone": False, "records": chunk}
        )
    assert emulator.control.count("collections.create") == 11
    assert all(r["success"] for r in created) and len({r["id"] for r in created}) == 2100

    read = list(
        sf.query_all_iter(
            "SELECT Id, Name, Amount FROM Opportunity WHERE Name LIKE 'Bulk %' ORDER BY Name"
        )
    )
    assert emulator.control.count("query") == 1
    assert emulator.control.count("query.more") == 1
    assert [r["Name"] for r in read] == [f"Bulk {n:04d}" for n in range(2100)]
    assert {r["Id"] for r in read} == {r["id"] for r in created}

    bad = sf.restful(
        "composite/sobjects",
        method="POST",
        json={
            "records": [
                {
                    "attributes": {"type": "Opportunity"},
                    "Name": "Odd stage",
                    "StageName": "Won-ish",
                    "CloseDate": "2030-06-30",
                },
                {
                    "attributes": {"type": "Project__c"},
                    "Name": "Odd status",
                    "Status__c": "Won-ish",
                },
            ]
        },
    )
    # StageName is an unrestricted picklist in real orgs; Status__c is restricted.
    assert bad[0]["success"] is True
    assert bad[1] == {
        "success": False,
        "errors": [
            {
                "statusCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                "message": "Status: bad value for restricted picklist field: Won-ish",
                "fields": ["Status__c"],
            }
        ],
    }
