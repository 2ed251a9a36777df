"""The sandbox's control surface over HTTP (SANDBOX_CONTROL_URL), as a script outside the
process would use it: faults, counters, request log, token expiry, reset."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import smartsheet
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sandbox.runner import Sandbox


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    sandbox = Sandbox(
        salesforce_size=10, smartsheet_size=3, workdir=tmp_path_factory.mktemp("control")
    ).start()
    yield sandbox
    sandbox.stop()


def _client(box: Sandbox, token: str | None = None) -> smartsheet.Smartsheet:
    client = smartsheet.Smartsheet(
        access_token=token or box.env()["SANDBOX_SMARTSHEET_TOKEN"],
        api_base=box.env()["SMARTSHEET_API_URL"],
        max_retry_time=0,
    )
    client.errors_as_exceptions(True)
    return client


def test_an_injected_fault_answers_in_the_service_format_then_clears(box: Sandbox) -> None:
    control = box.env()["SANDBOX_CONTROL_URL"]
    assert requests.post(f"{control}/smartsheet/reset", timeout=5).ok
    fault = {"endpoint": "users.me", "status": 503, "times": 1}
    assert requests.post(f"{control}/smartsheet/faults", json=fault, timeout=5).json() == {
        "ok": True
    }
    client = _client(box)
    with pytest.raises(smartsheet.exceptions.ApiError) as failed:
        client.Users.get_current_user()
    assert failed.value.error.result.status_code == 503
    assert client.Users.get_current_user().email  # only the next call failed
    counters = requests.get(f"{control}/smartsheet/counters", timeout=5).json()
    assert counters["users.me"] == 2
    log = requests.get(f"{control}/smartsheet/requests", timeout=5).json()
    assert [entry["status"] for entry in log if entry["endpoint"] == "users.me"] == [503, 200]


def test_a_token_expired_over_http_is_refused_by_the_service(box: Sandbox) -> None:
    control = box.env()["SANDBOX_CONTROL_URL"]
    env = box.env()
    slack = WebClient(token=env["SANDBOX_SLACK_BOT_TOKEN"], base_url=env["SLACK_API_URL"])
    assert slack.auth_test()["ok"]
    requests.post(
        f"{control}/slack/tokens/revoke", json={"token": env["SANDBOX_SLACK_BOT_TOKEN"]}, timeout=5
    )
    with pytest.raises(SlackApiError) as refused:
        slack.auth_test()
    assert refused.value.response["error"] == "token_revoked"
    requests.post(f"{control}/slack/reset", timeout=5)


def test_unknown_services_and_actions_are_404(box: Sandbox) -> None:
    control = box.env()["SANDBOX_CONTROL_URL"]
    assert requests.get(f"{control}/jira/counters", timeout=5).status_code == 404
    assert requests.post(f"{control}/slack/tokens/forget", json={}, timeout=5).status_code == 404
