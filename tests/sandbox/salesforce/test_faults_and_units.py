"""Injected faults in Salesforce's own error forms, and the pure helpers (ids, seed)."""

from __future__ import annotations

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceGeneralError, SalesforceMalformedRequest

from sandbox.salesforce import SalesforceEmulator
from sandbox.salesforce.ids import checksum, is_id_shaped, to18

from .conftest import Served


def test_injected_server_error_uses_the_error_list_form(
    sf: Salesforce, emulator: SalesforceEmulator
) -> None:
    emulator.control.inject("query", 503, times=1)
    with pytest.raises(SalesforceGeneralError) as raised:
        sf.query("SELECT Id FROM Account LIMIT 1")
    assert raised.value.status == 503
    assert raised.value.content[0]["errorCode"] == "SERVER_UNAVAILABLE"
    assert sf.query("SELECT Id FROM Account LIMIT 1")["totalSize"] == 1


def test_injected_message_and_full_body(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    emulator.control.inject("collections.*", 400, "Unable to lock row")
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.restful("composite/sobjects", method="POST", json={"records": []})
    assert raised.value.content == [
        {"message": "Unable to lock row", "errorCode": "MALFORMED_QUERY"}
    ]
    body = [
        {
            "message": "unable to obtain exclusive access to this record",
            "errorCode": "UNABLE_TO_LOCK_ROW",
            "fields": [],
        }
    ]
    emulator.control.inject("sobject.update", 400, body)
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Account.update(emulator.records("Account")[0]["Id"], {"Name": "x"})
    assert raised.value.content == body


def test_injected_faults_on_oauth_use_the_oauth_form(
    sf_env: Served, http: requests.Session
) -> None:
    sf_env.emulator.control.inject("oauth.token", 503)
    answer = http.post(
        f"{sf_env.url}/services/oauth2/token", data={"grant_type": "refresh_token"}, timeout=10
    )
    assert answer.status_code == 503 and answer.json()["error"] == "server_error"


def test_control_counts_calls_per_endpoint(sf: Salesforce, emulator: SalesforceEmulator) -> None:
    emulator.control.reset_counters()
    record_id = sf.Account.create({"Name": "Counted"})["id"]
    sf.Account.get(record_id)
    sf.Account.update(record_id, {"Name": "Counted twice"})
    sf.Account.delete(record_id)
    sf.Account.describe()
    sf.describe()
    assert emulator.control.snapshot() == {
        "sobject.create": 1,
        "sobject.get": 1,
        "sobject.update": 1,
        "sobject.delete": 1,
        "describe": 1,
        "describe.global": 1,
    }


def test_unknown_paths_answer_not_found_in_list_form(
    sf_env: Served, http: requests.Session
) -> None:
    answer = http.get(f"{sf_env.url}/services/nothing", timeout=10)
    assert answer.status_code == 404
    assert answer.json() == [
        {"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}
    ]


@pytest.mark.parametrize(
    ("id15", "id18"),
    [
        ("001D000000IqhSL", "001D000000IqhSLIAZ"),
        ("a00E0000004D5ls", "a00E0000004D5lsIAC"),
        ("001RM000003oLnn", "001RM000003oLnnYAE"),
        ("0012o00003OBzVS", "0012o00003OBzVSAA1"),
    ],
)
def test_case_safe_suffix_matches_real_ids(id15: str, id18: str) -> None:
    # Pairs from Salesforce documentation and recorded payloads.
    assert id15 + checksum(id15) == id18 == to18(id15) == to18(id15 + id18[15:].lower())
    assert is_id_shaped(id15) and is_id_shaped(id18) and not is_id_shaped(id18[:17] + "!")


def test_seeded_ids_carry_prefix_and_valid_suffix(emulator: SalesforceEmulator) -> None:
    prefixes = {
        "Account": "001",
        "Contact": "003",
        "Opportunity": "006",
        "Case": "500",
        "Lead": "00Q",
        "User": "005",
        "Project__c": "a0X",
    }
    for object_name, prefix in prefixes.items():
        for record in emulator.records(object_name)[:20]:
            assert record["Id"].startswith(prefix) and to18(record["Id"]) == record["Id"]
    assert emulator.org_id.startswith("00D") and to18(emulator.org_id) == emulator.org_id


def test_seed_is_deterministic_and_sized() -> None:
    first, second = SalesforceEmulator(seed_size=40), SalesforceEmulator(seed_size=40)
    strip = ("CreatedDate", "LastModifiedDate", "SystemModstamp", "ClosedDate")
    for object_name in ("Account", "Contact", "Opportunity", "Case", "Lead", "Project__c"):
        a = [{k: v for k, v in r.items() if k not in strip} for r in first.records(object_name)]
        b = [{k: v for k, v in r.items() if k not in strip} for r in second.records(object_name)]
        assert a == b and len(a) == 40
    other = SalesforceEmulator(seed_size=40, seed=8)
    assert other.records("Account") != first.records("Account")


def test_seed_spreads_owners_over_the_users(emulator: SalesforceEmulator) -> None:
    owners = {r["OwnerId"] for r in emulator.records("Opportunity")}
    assert owners == {u.id for u in emulator.users.values()}
