"""Issue #10 point 10 (login host ≠ instance host) and the recycle-bin / API-access controls
over HTTP, on the sandbox as `syncbot sandbox` starts it."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceExpiredSession, SalesforceRefusedRequest

from sandbox.runner import Sandbox
from sync.connectors import salesforce_oauth as oauth


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    sandbox = Sandbox(
        salesforce_size=10, smartsheet_size=2, workdir=tmp_path_factory.mktemp("two-hosts")
    ).start()
    yield sandbox
    sandbox.stop()


@pytest.fixture
def env(box: Sandbox) -> dict[str, str]:
    box.salesforce.reset()
    return box.env()


@pytest.fixture
def http(box: Sandbox) -> Iterator[requests.Session]:
    session = requests.Session()
    session.verify = str(box.ca_path)
    session.trust_env = False
    yield session
    session.close()


def _client(env: dict[str, str], http: requests.Session, url: str, token: str) -> Salesforce:
    return Salesforce(instance_url=url, session_id=token, session=http, version="59.0")


def test_the_env_names_two_origins(env: dict[str, str]) -> None:
    login, instance = env["SALESFORCE_LOGIN_URL"], env["SANDBOX_SALESFORCE_INSTANCE_URL"]
    assert urlsplit(login).netloc != urlsplit(instance).netloc


def test_a_refresh_at_the_login_host_returns_the_instance_and_an_identity_url_on_login(
    box: Sandbox, env: dict[str, str], http: requests.Session
) -> None:
    login, instance = env["SALESFORCE_LOGIN_URL"], env["SANDBOX_SALESFORCE_INSTANCE_URL"]
    refresh_token = box.salesforce.issue_tokens("rep")["refresh_token"]
    app = oauth.SalesforceApp(env["SALESFORCE_CLIENT_ID"], env["SALESFORCE_CLIENT_SECRET"])
    tokens = oauth.refresh(http, login, app, refresh_token)
    assert tokens.instance_url == instance
    assert tokens.identity_url.startswith(login + "/id/")
    bearer = {"Authorization": f"Bearer {tokens.access_token}"}
    assert http.get(tokens.identity_url, headers=bearer).json()["username"].startswith("riley")
    wrong = http.get(instance + urlsplit(tokens.identity_url).path, headers=bearer)
    assert wrong.status_code == 404
    sf = _client(env, http, tokens.instance_url, tokens.access_token)
    assert sf.query("SELECT Id FROM Account LIMIT 1")["totalSize"] == 1


def test_rest_calls_sent_to_the_login_host_fail(
    env: dict[str, str], http: requests.Session
) -> None:
    sf = _client(env, http, env["SALESFORCE_LOGIN_URL"], env["SANDBOX_SALESFORCE_TOKEN"])
    with pytest.raises(SalesforceExpiredSession):
        sf.query("SELECT Id FROM Account")


def test_token_requests_sent_to_the_instance_fail(
    box: Sandbox, env: dict[str, str], http: requests.Session
) -> None:
    refresh_token = box.salesforce.issue_tokens("rep")["refresh_token"]
    answer = http.post(
        env["SANDBOX_SALESFORCE_INSTANCE_URL"] + "/services/oauth2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": env["SALESFORCE_CLIENT_ID"],
            "client_secret": env["SALESFORCE_CLIENT_SECRET"],
        },
    )
    assert answer.status_code == 404
    assert box.salesforce.control.count("wrong_host") == 1
    assert box.salesforce.control.count("oauth.token") == 0


def test_purge_undelete_and_api_access_over_the_control_surface(
    box: Sandbox, env: dict[str, str], http: requests.Session
) -> None:
    control = env["SANDBOX_CONTROL_URL"]
    sf = _client(env, http, env["SANDBOX_SALESFORCE_INSTANCE_URL"], env["SANDBOX_SALESFORCE_TOKEN"])
    soql = "SELECT Id, IsDeleted FROM Account WHERE Id = '{}'"
    kept, purged = (sf.Account.create({"Name": n})["id"] for n in ("Kept", "Purged"))
    sf.Account.delete(kept)
    sf.Account.delete(purged)
    undo = requests.post(
        f"{control}/salesforce/records/undelete",
        json={"object": "Account", "id": kept},
        timeout=5,
    )
    assert undo.json() == {"ok": True}
    emptied = requests.post(
        f"{control}/salesforce/records/purge", json={"object": "Account"}, timeout=5
    ).json()
    assert purged in emptied["purged"] and kept not in emptied["purged"]
    assert sf.query(soql.format(kept))["records"][0]["IsDeleted"] is False
    assert sf.query_all(soql.format(purged), include_deleted=True)["totalSize"] == 0
    again = requests.post(
        f"{control}/salesforce/records/undelete",
        json={"object": "Account", "id": purged},
        timeout=5,
    )
    assert again.status_code == 400
    off = requests.post(f"{control}/salesforce/api-access", json={"enabled": False}, timeout=5)
    assert off.ok
    with pytest.raises(SalesforceRefusedRequest) as refused:
        sf.query("SELECT Id FROM Account")
    assert refused.value.content[0]["errorCode"] == "API_DISABLED_FOR_ORG"
    requests.post(f"{control}/salesforce/api-access", json={"enabled": True}, timeout=5)
    assert sf.query("SELECT Id FROM Account LIMIT 1")["totalSize"] == 1
