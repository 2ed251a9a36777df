"""The OAuth 2.0 web-server flow with PKCE, refresh, revoke and the identity URL."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from simple_salesforce.exceptions import SalesforceExpiredSession

from .conftest import Served
from .oauth_helpers import CALLBACK, Pkce, authorize_params, consent, exchange, get_code

FIXTURES = Path(__file__).parents[2] / "fixtures" / "recorded" / "salesforce"


def code_grant(served: Served, code: str, pkce: Pkce | None) -> dict[str, str]:
    emulator = served.emulator
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CALLBACK,
        "client_id": emulator.client_id,
        "client_secret": emulator.client_secret,
    }
    return data | ({"code_verifier": pkce.verifier} if pkce else {})


def test_login_page_lists_seeded_users_and_carries_the_request(
    sf_env: Served, http: requests.Session
) -> None:
    params = authorize_params(sf_env.emulator.client_id, Pkce.new())
    page = http.get(f"{sf_env.url}/services/oauth2/authorize", params=params, timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    for user in sf_env.emulator.users.values():
        assert user.username in page.text
    assert 'method="post"' in page.text and 'value="allow"' in page.text
    assert f'name="code_challenge" value="{params["code_challenge"]}"' in page.text


def test_full_flow_with_pkce_gives_working_tokens(
    sf_env: Served, http: requests.Session, make_sf
) -> None:
    pkce = Pkce.new()
    callback = consent(
        http, sf_env.url, authorize_params(sf_env.emulator.client_id, pkce), user="rep"
    )
    assert callback["state"] == ["st-42"]
    answer = exchange(http, sf_env.url, code_grant(sf_env, callback["code"][0], pkce))
    assert answer.status_code == 200
    tokens = answer.json()
    assert list(tokens) == [
        "access_token",
        "refresh_token",
        "signature",
        "scope",
        "instance_url",
        "id",
        "token_type",
        "issued_at",
    ]
    assert tokens["token_type"] == "Bearer"
    assert tokens["instance_url"] == sf_env.url
    rep = sf_env.emulator.users["rep"]
    assert tokens["id"] == f"{sf_env.url}/id/{sf_env.emulator.org_id}/{rep.id}"
    assert tokens["access_token"].startswith(sf_env.emulator.org_id[:15] + "!")
    assert tokens["issued_at"].isdigit() and len(tokens["issued_at"]) == 13  # milliseconds
    assert set(tokens["scope"].split()) == {"api", "refresh_token", "id"}
    sf = make_sf(token=tokens["access_token"])
    assert sf.query("SELECT COUNT() FROM Account")["totalSize"] == 300


def test_token_response_has_the_recorded_fields_and_a_valid_signature(
    sf_env: Served, http: requests.Session
) -> None:
    recorded = json.loads((FIXTURES / "auth_success_response.json").read_text())
    code = get_code(http, sf_env.url, sf_env.emulator.client_id, None)
    tokens = exchange(http, sf_env.url, code_grant(sf_env, code, None)).json()
    assert set(recorded) <= set(tokens)
    assert all(isinstance(tokens[key], str) for key in recorded)
    expected = hmac.new(
        sf_env.emulator.client_secret.encode(),
        (tokens["id"] + tokens["issued_at"]).encode(),
        hashlib.sha256,
    ).digest()
    assert base64.b64decode(tokens["signature"]) == expected


def test_client_credentials_may_come_as_http_basic(sf_env: Served, http: requests.Session) -> None:
    emulator = sf_env.emulator
    code = get_code(http, sf_env.url, emulator.client_id, None)
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}
    answer = exchange(http, sf_env.url, data, auth=(emulator.client_id, emulator.client_secret))
    assert answer.status_code == 200 and "access_token" in answer.json()


def test_wrong_verifier_is_invalid_request_and_missing_one_invalid_grant(
    sf_env: Served, http: requests.Session
) -> None:
    pkce = Pkce.new()
    code = get_code(http, sf_env.url, sf_env.emulator.client_id, pkce)
    wrong = exchange(http, sf_env.url, code_grant(sf_env, code, Pkce.new()))
    assert wrong.status_code == 400
    assert wrong.json() == {
        "error": "invalid_request",
        "error_description": "invalid code verifier",
    }
    data = code_grant(sf_env, code, None)
    missing = exchange(http, sf_env.url, data)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_grant"
    assert exchange(http, sf_env.url, code_grant(sf_env, code, pkce)).status_code == 200


def test_code_is_single_use(sf_env: Served, http: requests.Session) -> None:
    pkce = Pkce.new()
    code = get_code(http, sf_env.url, sf_env.emulator.client_id, pkce)
    assert exchange(http, sf_env.url, code_grant(sf_env, code, pkce)).status_code == 200
    again = exchange(http, sf_env.url, code_grant(sf_env, code, pkce))
    assert again.status_code == 400
    assert again.json() == {
        "error": "invalid_grant",
        "error_description": "expired authorization code",
    }


def test_code_expires_after_fifteen_minutes(sf_env: Served, http: requests.Session) -> None:
    emulator = sf_env.emulator
    code = get_code(http, sf_env.url, emulator.client_id, None)
    start = emulator.clock()
    emulator.clock = lambda: start + timedelta(minutes=15, seconds=1)
    answer = exchange(http, sf_env.url, code_grant(sf_env, code, None))
    assert answer.json()["error_description"] == "expired authorization code"


@pytest.mark.parametrize(
    ("change", "error", "description"),
    [
        ({"client_secret": "nope"}, "invalid_client", "invalid client credentials"),
        ({"client_id": "3MVG9unknown"}, "invalid_client_id", "client identifier invalid"),
        ({"grant_type": "password"}, "unsupported_grant_type", "grant type not supported"),
        ({"code": "not-a-code"}, "invalid_grant", "invalid authorization code"),
        (
            {"redirect_uri": "http://127.0.0.1:1/other"},
            "redirect_uri_mismatch",
            "redirect_uri must match configuration",
        ),
    ],
)
def test_token_endpoint_errors(
    sf_env: Served, http: requests.Session, change: dict[str, str], error: str, description: str
) -> None:
    code = get_code(http, sf_env.url, sf_env.emulator.client_id, None)
    answer = exchange(http, sf_env.url, code_grant(sf_env, code, None) | change)
    assert answer.status_code == 400
    assert answer.json() == {"error": error, "error_description": description}


def test_denying_consent_redirects_with_access_denied(
    sf_env: Served, http: requests.Session
) -> None:
    params = authorize_params(sf_env.emulator.client_id, None)
    callback = consent(http, sf_env.url, params, decision="deny")
    assert callback == {
        "error": ["access_denied"],
        "error_description": ["end-user denied authorization"],
        "state": ["st-42"],
    }


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"client_id": "3MVG9bogus"}, "invalid_client_id"),
        ({"redirect_uri": "https://evil.example/cb"}, "redirect_uri_mismatch"),
    ],
)
def test_bad_client_or_callback_shows_an_error_page_without_redirect(
    sf_env: Served, http: requests.Session, change: dict[str, str], error: str
) -> None:
    params = authorize_params(sf_env.emulator.client_id, None) | change
    page = http.get(
        f"{sf_env.url}/services/oauth2/authorize", params=params, allow_redirects=False, timeout=10
    )
    assert page.status_code == 400 and "Location" not in page.headers
    assert f"error={error}" in page.text


def test_configured_callback_list_is_enforced(sf_env: Served, http: requests.Session) -> None:
    sf_env.emulator.allowed_redirect_uris = ["https://bot.example/callback"]
    params = authorize_params(sf_env.emulator.client_id, None)
    page = http.get(f"{sf_env.url}/services/oauth2/authorize", params=params, timeout=10)
    assert page.status_code == 400 and "redirect_uri_mismatch" in page.text
    allowed = params | {"redirect_uri": "https://bot.example/callback"}
    assert (
        http.get(f"{sf_env.url}/services/oauth2/authorize", params=allowed, timeout=10).status_code
        == 200
    )


def test_unknown_user_on_login_form_stays_on_the_page(
    sf_env: Served, http: requests.Session
) -> None:
    params = authorize_params(sf_env.emulator.client_id, None)
    answer = http.post(
        f"{sf_env.url}/services/oauth2/authorize",
        data=params | {"username": "nobody", "decision": "allow"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 200 and "Please check your username" in answer.text


def test_code_is_url_encoded_in_the_callback(sf_env: Served, http: requests.Session) -> None:
    params = authorize_params(sf_env.emulator.client_id, None)
    answer = http.post(
        f"{sf_env.url}/services/oauth2/authorize",
        data=params | {"username": "admin", "decision": "allow"},
        allow_redirects=False,
        timeout=10,
    )
    raw_query = urlsplit(answer.headers["Location"]).query
    code = parse_qs(raw_query)["code"][0]
    assert "=" in code and "%3D" in raw_query  # base64 padding, escaped as Salesforce does


def test_expired_access_token_gets_401_then_refresh_works(
    sf_env: Served, http: requests.Session, make_sf
) -> None:
    emulator = sf_env.emulator
    pkce = Pkce.new()
    code = get_code(http, sf_env.url, emulator.client_id, pkce)
    tokens = exchange(http, sf_env.url, code_grant(sf_env, code, pkce)).json()
    emulator.expire_token(tokens["access_token"])
    with pytest.raises(SalesforceExpiredSession) as raised:
        make_sf(token=tokens["access_token"]).query("SELECT Id FROM Account LIMIT 1")
    assert raised.value.content == [
        {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}
    ]
    refreshed = exchange(
        http,
        sf_env.url,
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": emulator.client_id,
            "client_secret": emulator.client_secret,
        },
    ).json()
    assert "refresh_token" not in refreshed
    assert refreshed["access_token"] != tokens["access_token"]
    assert (
        make_sf(token=refreshed["access_token"]).query("SELECT Id FROM Account LIMIT 1")[
            "totalSize"
        ]
        == 1
    )


def test_access_tokens_expire_after_the_session_timeout(sf_env: Served, make_sf) -> None:
    emulator = sf_env.emulator
    token = emulator.issue_tokens("admin")["access_token"]
    start = emulator.clock()
    emulator.clock = lambda: start + timedelta(seconds=7199)
    assert make_sf(token=token).limits()["DailyApiRequests"]["Max"] == 15000
    emulator.clock = lambda: start + timedelta(seconds=7201)
    with pytest.raises(SalesforceExpiredSession):
        make_sf(token=token).limits()


def test_revoking_the_refresh_token_kills_its_access_tokens(
    sf_env: Served, http: requests.Session, make_sf
) -> None:
    emulator = sf_env.emulator
    tokens = emulator.issue_tokens("admin")
    revoke = http.post(
        f"{sf_env.url}/services/oauth2/revoke", data={"token": tokens["refresh_token"]}, timeout=10
    )
    assert revoke.status_code == 200
    with pytest.raises(SalesforceExpiredSession):
        make_sf(token=tokens["access_token"]).limits()
    again = exchange(
        http,
        sf_env.url,
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": emulator.client_id,
            "client_secret": emulator.client_secret,
        },
    )
    assert again.status_code == 400
    assert again.json() == {
        "error": "invalid_grant",
        "error_description": "expired access/refresh token",
    }


def test_revoking_an_access_token_and_an_unknown_token(
    sf_env: Served, http: requests.Session, make_sf
) -> None:
    token = sf_env.emulator.issue_tokens("rep", refresh=False)["access_token"]
    assert (
        http.get(
            f"{sf_env.url}/services/oauth2/revoke", params={"token": token}, timeout=10
        ).status_code
        == 200
    )
    with pytest.raises(SalesforceExpiredSession):
        make_sf(token=token).limits()
    unknown = http.post(f"{sf_env.url}/services/oauth2/revoke", data={"token": "x"}, timeout=10)
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_token"


def test_identity_url_describes_the_user(sf_env: Served, http: requests.Session) -> None:
    emulator = sf_env.emulator
    tokens = emulator.issue_tokens("limited")
    answer = http.get(
        tokens["id"],
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        params={"version": "59.0"},
        timeout=10,
    )
    assert answer.status_code == 200
    me = answer.json()
    user = emulator.users["limited"]
    assert (me["user_id"], me["organization_id"], me["username"]) == (
        user.id,
        emulator.org_id,
        user.username,
    )
    assert me["asserted_user"] is True and me["active"] is True
    assert me["urls"]["rest"] == f"{sf_env.url}/services/data/v59.0/"
    for key in (
        "display_name",
        "email",
        "first_name",
        "last_name",
        "timezone",
        "photos",
        "status",
        "user_type",
        "language",
        "locale",
        "utcOffset",
        "last_modified_date",
        "is_app_installed",
        "nick_name",
        "email_verified",
    ):
        assert key in me


def test_identity_urls_keep_the_version_placeholder_by_default(
    sf_env: Served, http: requests.Session
) -> None:
    tokens = sf_env.emulator.issue_tokens("admin")
    me = http.get(
        tokens["id"], headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=10
    ).json()
    assert me["urls"]["query"].endswith("/services/data/v{version}/query/")


def test_identity_with_a_dead_token_is_403(sf_env: Served, http: requests.Session) -> None:
    tokens = sf_env.emulator.issue_tokens("admin")
    sf_env.emulator.expire_token(tokens["access_token"])
    answer = http.get(
        tokens["id"], headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=10
    )
    assert answer.status_code == 403 and answer.text == "Bad_OAuth_Token"


def test_pre_issued_tokens_survive_reset(sf_env: Served, make_sf) -> None:
    before = sf_env.emulator.token_for("rep")
    sf_env.emulator.reset()
    assert sf_env.emulator.token_for("rep") == before
    assert make_sf("rep").limits()["DailyApiRequests"]["Remaining"] == 14999
