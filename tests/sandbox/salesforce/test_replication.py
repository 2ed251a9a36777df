"""Get Updated / Get Deleted, called the way simple-salesforce calls them (tz-aware datetimes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from sandbox.salesforce import SalesforceEmulator

from .conftest import Served

T0 = datetime(2030, 3, 1, 12, 0, 30, tzinfo=UTC)


@pytest.fixture
def frozen(emulator: SalesforceEmulator) -> list[datetime]:
    """A clock tests move by hand: now[0] is the current instant."""
    now = [T0]
    emulator.clock = lambda: now[0]
    emulator.reset()  # pre-issued tokens are issued at the frozen instant
    return now


def test_updated_lists_records_changed_in_the_window(
    sf: Salesforce, emulator: SalesforceEmulator, frozen: list[datetime]
) -> None:
    frozen[0] = T0 + timedelta(minutes=10)
    changed = emulator.insert("Account", {"Name": "Fresh"})
    frozen[0] = T0 + timedelta(minutes=20)
    answer = sf.Account.updated(T0, T0 + timedelta(minutes=15))
    assert answer == {"ids": [changed], "latestDateCovered": "2030-03-01T12:15:00.000+0000"}


def test_updated_ignores_seconds_and_caps_the_end_at_now(
    sf: Salesforce, emulator: SalesforceEmulator, frozen: list[datetime]
) -> None:
    frozen[0] = T0 + timedelta(minutes=5, seconds=40)
    answer = sf.Account.updated(T0, T0 + timedelta(days=1))
    assert answer["latestDateCovered"] == "2030-03-01T12:06:00.000+0000"  # now: 12:06:10


def test_deleted_lists_deleted_ids_with_dates(
    sf: Salesforce, emulator: SalesforceEmulator, frozen: list[datetime]
) -> None:
    victim = emulator.records("Contact")[0]["Id"]
    frozen[0] = T0 + timedelta(minutes=3, seconds=7)
    emulator.delete("Contact", victim)
    frozen[0] = T0 + timedelta(hours=1)
    answer = sf.Contact.deleted(T0, T0 + timedelta(minutes=30))
    assert answer["deletedRecords"] == [
        {"id": victim, "deletedDate": "2030-03-01T12:03:37.000+0000"}
    ]
    assert set(answer) == {"deletedRecords", "earliestDateAvailable", "latestDateCovered"}


def test_window_older_than_30_days_is_refused(sf: Salesforce, frozen: list[datetime]) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Account.updated(T0 - timedelta(days=31), T0)
    assert raised.value.content[0]["errorCode"] == "INVALID_REPLICATION_DATE"


def test_end_before_start_is_refused(sf: Salesforce, frozen: list[datetime]) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Account.updated(T0, T0 - timedelta(hours=1))
    assert raised.value.content[0]["errorCode"] == "INVALID_REPLICATION_DATE"


def test_missing_parameters_are_refused(sf_env: Served, http: requests.Session) -> None:
    answer = http.get(
        f"{sf_env.url}/services/data/v59.0/sobjects/Account/updated/",
        headers={"Authorization": f"Bearer {sf_env.emulator.token_for('admin')}"},
        timeout=10,
    )
    assert answer.status_code == 400


def test_sharing_applies_to_updated(
    make_sf, emulator: SalesforceEmulator, frozen: list[datetime]
) -> None:
    frozen[0] = T0 + timedelta(minutes=1)
    emulator.insert(
        "Opportunity", {"Name": "Admin's", "StageName": "Prospecting", "CloseDate": "2030-04-01"}
    )
    mine = emulator.insert(
        "Opportunity",
        {"Name": "Rep's", "StageName": "Prospecting", "CloseDate": "2030-04-01"},
        as_user="rep",
    )
    frozen[0] = T0 + timedelta(minutes=5)
    assert make_sf("rep").Opportunity.updated(T0, frozen[0])["ids"] == [mine]
