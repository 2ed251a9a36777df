"""Injected faults in Smartsheet's error format, SDK retries, and the per-token rate limit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import smartsheet
from smartsheet.exceptions import ApiError, RateLimitExceededError, SystemMaintenanceError

from sandbox.server import BackgroundServer
from sandbox.smartsheet import SmartsheetEmulator

from .conftest import ClientFactory
from .helpers import failure, http


class _NoWait(smartsheet.AbstractUserCalcBackoff):  # type: ignore[misc]
    """Retry immediately, at most ``tries`` times, so retry tests take no wall time."""

    def __init__(self, tries: int) -> None:
        self.tries = tries

    def calc_backoff(
        self, previous_attempts: int, total_elapsed_time: float, error_result: Any
    ) -> float:
        return 0.0 if previous_attempts <= self.tries else -1


def test_injected_429_is_rate_limit_4003_and_the_sdk_retries(
    emulator: SmartsheetEmulator, client_for: ClientFactory
) -> None:
    emulator.control.inject("users.me", 429, times=2)
    client = client_for(max_retry_time=_NoWait(5))
    assert client.Users.get_current_user().email == "morgan.lee@example.com"
    assert emulator.control.count("users.me") == 3
    assert [c.status for c in emulator.control.calls("users.me")] == [429, 429, 200]


def test_sdk_gives_up_when_the_retry_budget_is_spent(
    emulator: SmartsheetEmulator, client_for: ClientFactory
) -> None:
    emulator.control.inject("sheets.list", 429, times=5)
    client = client_for(max_retry_time=1)  # the first backoff (>= 2 s) already exceeds it
    with pytest.raises(RateLimitExceededError) as caught:
        client.Sheets.list_sheets()
    assert caught.value.error.result.code == 4003
    assert emulator.control.count("sheets.list") == 1


def test_plain_500_is_4000_and_not_retried(
    emulator: SmartsheetEmulator, client_for: ClientFactory
) -> None:
    emulator.control.inject("sheets.version", 500)
    client = client_for(max_retry_time=_NoWait(5))
    with pytest.raises(ApiError) as caught:
        client.Sheets.get_sheet_version(emulator.find_sheet("Pipeline"))
    assert (caught.value.error.result.status_code, caught.value.error.result.code) == (500, 4000)
    assert emulator.control.count("sheets.version") == 1


def test_503_is_maintenance_4001_and_retried(
    emulator: SmartsheetEmulator, client_for: ClientFactory
) -> None:
    emulator.control.inject("users.me", 503, times=3)
    with pytest.raises(SystemMaintenanceError):
        client_for(max_retry_time=_NoWait(2)).Users.get_current_user()
    assert emulator.control.count("users.me") == 3


def test_injected_fault_body_is_smartsheet_shaped(emulator: SmartsheetEmulator) -> None:
    emulator.control.inject("sheets.list", 429)
    answer = http("GET", f"{emulator.api_base}/sheets", emulator.token_for("owner"))
    assert answer.status_code == 429
    body = answer.json()
    assert set(body) == {"errorCode", "message", "refId"}
    assert (body["errorCode"], body["message"]) == (4003, "Rate limit exceeded.")
    custom = {"errorCode": 1004, "message": "You are not authorized to perform this action."}
    emulator.control.inject("sheets.list", 403, body=custom)
    assert http("GET", f"{emulator.api_base}/sheets", emulator.token_for("owner")).json() == (
        custom
    )


def test_unknown_path_and_method(emulator: SmartsheetEmulator) -> None:
    token = emulator.token_for("owner")
    missing = http("GET", f"{emulator.api_base}/nothing/here", token)
    assert (missing.status_code, missing.json()["errorCode"]) == (404, 1006)
    wrong = http("PATCH", f"{emulator.api_base}/sheets", token)
    assert (wrong.status_code, wrong.json()["errorCode"]) == (405, 1010)


def test_bad_json_body(emulator: SmartsheetEmulator) -> None:
    sheet_id = emulator.find_sheet("Sync Target")
    answer = http(
        "POST",
        f"{emulator.api_base}/sheets/{sheet_id}/rows",
        emulator.token_for("owner"),
        data="{not json",
        headers={"Content-Type": "application/json"},
    )
    assert (answer.status_code, answer.json()["errorCode"]) == (400, 1008)


@pytest.fixture
def limited() -> Iterator[SmartsheetEmulator]:
    emulator = SmartsheetEmulator(seed_size=3, rate_limit_per_minute=3)
    server = BackgroundServer(emulator).start()
    emulator.base_url = server.url
    yield emulator
    server.stop()


def test_rate_limit_per_token_per_minute(limited: SmartsheetEmulator) -> None:
    start = limited.clock()
    limited.clock = lambda: start

    def client(alias: str) -> smartsheet.Smartsheet:
        made = smartsheet.Smartsheet(
            access_token=limited.token_for(alias), api_base=limited.api_base, max_retry_time=1
        )
        made.errors_as_exceptions(True)
        return made

    owner = client("owner")
    for _ in range(3):
        owner.Users.get_current_user()
    assert failure(owner.Users.get_current_user)[:2] == (429, 4003)
    assert client("editor").Users.get_current_user().email  # the limit is per token
    later = start + timedelta(seconds=61)
    limited.clock = lambda: later
    assert owner.Users.get_current_user().email
