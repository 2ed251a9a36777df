"""OAuth consent, token exchange/refresh/revoke and token checks, driven like a user and an
app would: a browser-like client on /b/authorize, the real SDK on /2.0/token."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import smartsheet

from sandbox.smartsheet import SmartsheetEmulator

from .conftest import ClientFactory
from .helpers import failure

CALLBACK = "http://127.0.0.1:9/smartsheet/callback"


def _authorize(
    emulator: SmartsheetEmulator,
    decision: str = "allow",
    user: str = "editor",
    scope: str = "READ_SHEETS WRITE_SHEETS",
) -> dict[str, list[str]]:
    params = {
        "response_type": "code",
        "client_id": emulator.client_id,
        "scope": scope,
        "state": "st-42",
        "redirect_uri": CALLBACK,
    }
    page = requests.get(f"{emulator.base_url}/b/authorize", params=params, timeout=5)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    answer = requests.post(
        f"{emulator.base_url}/b/authorize",
        timeout=5,
        data={**params, "user": user, "decision": decision},
        allow_redirects=False,
    )
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(CALLBACK + "?")
    return parse_qs(urlsplit(location).query)


def _token_post(emulator: SmartsheetEmulator, **form: str) -> requests.Response:
    return requests.post(f"{emulator.api_base}/token", data=form, timeout=5)


def _hash(secret: str, value: str) -> str:
    return hashlib.sha256(f"{secret}|{value}".encode()).hexdigest()


def _sdk(emulator: SmartsheetEmulator, token: str = "dummy") -> smartsheet.Smartsheet:
    client = smartsheet.Smartsheet(
        access_token=token, api_base=emulator.api_base, user_agent="syncbot-tests"
    )
    client.errors_as_exceptions(True)
    return client


def test_consent_page_lists_the_seeded_people(emulator: SmartsheetEmulator) -> None:
    page = requests.get(
        f"{emulator.base_url}/b/authorize",
        timeout=5,
        params={
            "response_type": "code",
            "client_id": emulator.client_id,
            "scope": "READ_SHEETS",
            "redirect_uri": CALLBACK,
        },
    )
    for user in emulator.users.values():
        assert user.email in page.text
    assert 'value="allow"' in page.text and 'value="deny"' in page.text


def test_allow_redirects_with_code_expiry_in_ms_and_state(emulator: SmartsheetEmulator) -> None:
    query = _authorize(emulator)
    assert query["state"] == ["st-42"]
    assert query["expires_in"] == ["599135"]  # milliseconds, per the OAuth walkthrough
    assert query["code"][0]


def test_deny_redirects_with_access_denied(emulator: SmartsheetEmulator) -> None:
    query = _authorize(emulator, decision="deny")
    assert query == {"error": ["access_denied"], "state": ["st-42"]}


def test_unknown_scope_redirects_with_invalid_scope(emulator: SmartsheetEmulator) -> None:
    answer = requests.get(
        f"{emulator.base_url}/b/authorize",
        allow_redirects=False,
        timeout=5,
        params={
            "response_type": "code",
            "client_id": emulator.client_id,
            "scope": "READ_EVERYTHING",
            "redirect_uri": CALLBACK,
        },
    )
    assert answer.status_code == 302
    assert "error=invalid_scope" in answer.headers["Location"]


def test_sdk_exchanges_code_for_a_working_bearer_token(emulator: SmartsheetEmulator) -> None:
    code = _authorize(emulator)["code"][0]
    token = _sdk(emulator).Token.get_access_token(
        emulator.client_id, code, _hash(emulator.client_secret, code)
    )
    assert token.token_type == "bearer"
    assert token.expires_in == 604799
    assert token.refresh_token
    me = _sdk(emulator, token.access_token).Users.get_current_user()
    assert me.email == emulator.users["editor"].email


def test_code_works_only_once(emulator: SmartsheetEmulator) -> None:
    code = _authorize(emulator)["code"][0]
    sdk = _sdk(emulator)
    digest = _hash(emulator.client_secret, code)
    sdk.Token.get_access_token(emulator.client_id, code, digest)
    status, error_code, _ = failure(
        lambda: sdk.Token.get_access_token(emulator.client_id, code, digest)
    )
    assert (status, error_code) == (400, 1071)


def test_wrong_hash_is_refused(emulator: SmartsheetEmulator) -> None:
    code = _authorize(emulator)["code"][0]
    answer = _token_post(
        emulator,
        grant_type="authorization_code",
        code=code,
        client_id=emulator.client_id,
        hash=_hash("not-the-secret", code),
    )
    body = answer.json()
    assert (answer.status_code, body["errorCode"], body["error"]) == (400, 1072, "invalid_grant")
    # The real SDK sees the same refusal as an ApiError carrying the code.
    status, error_code, _ = failure(
        lambda: _sdk(emulator).Token.get_access_token(
            emulator.client_id, code, _hash("not-the-secret", code)
        )
    )
    assert (status, error_code) == (400, 1072)


def test_unknown_client_is_refused_as_invalid_client(emulator: SmartsheetEmulator) -> None:
    status, error_code, _ = failure(
        lambda: _sdk(emulator).Token.get_access_token("nobody", "code", "hash")
    )
    assert (status, error_code) == (401, 1067)
    body = _token_post(
        emulator, grant_type="authorization_code", client_id="nobody", code="x", hash="y"
    ).json()
    assert body["error"] == "invalid_client"
    assert body["message"] == "Invalid client_id"


def test_expired_code_is_refused(emulator: SmartsheetEmulator) -> None:
    code = _authorize(emulator)["code"][0]
    later = emulator.clock() + timedelta(minutes=11)
    emulator.clock = lambda: later
    status, error_code, _ = failure(
        lambda: _sdk(emulator).Token.get_access_token(
            emulator.client_id, code, _hash(emulator.client_secret, code)
        )
    )
    assert (status, error_code) == (400, 1069)


def test_plain_client_secret_form_post_works(emulator: SmartsheetEmulator) -> None:
    code = _authorize(emulator)["code"][0]
    answer = requests.post(
        f"{emulator.api_base}/token",
        timeout=5,
        data={
            "grant_type": "authorization_code",
            "client_id": emulator.client_id,
            "code": code,
            "client_secret": emulator.client_secret,
            "redirect_uri": CALLBACK,
        },
    )
    assert answer.status_code == 200
    assert set(answer.json()) == {"access_token", "token_type", "refresh_token", "expires_in"}


def test_unsupported_grant_type(emulator: SmartsheetEmulator) -> None:
    answer = requests.post(
        f"{emulator.api_base}/token",
        timeout=5,
        data={"grant_type": "password", "client_id": emulator.client_id},
    )
    assert answer.status_code == 400
    assert answer.json()["errorCode"] == 1068
    assert answer.json()["error"] == "unsupported_grant_type"


def test_refresh_returns_new_pair_and_retires_the_old_one(emulator: SmartsheetEmulator) -> None:
    code = _authorize(emulator)["code"][0]
    first = _sdk(emulator).Token.get_access_token(
        emulator.client_id, code, _hash(emulator.client_secret, code)
    )
    # The SDK sends the old bearer token along when refreshing; that must not matter.
    refresher = _sdk(emulator, first.access_token)
    second = refresher.Token.refresh_access_token(
        emulator.client_id, first.refresh_token, _hash(emulator.client_secret, first.refresh_token)
    )
    assert second.access_token != first.access_token
    assert second.refresh_token != first.refresh_token
    assert _sdk(emulator, second.access_token).Users.get_current_user().email
    old = _sdk(emulator, first.access_token)
    assert failure(old.Users.get_current_user)[:2] == (401, 1002)
    again = failure(
        lambda: refresher.Token.refresh_access_token(
            emulator.client_id,
            first.refresh_token,
            _hash(emulator.client_secret, first.refresh_token),
        )
    )
    assert again[:2] == (400, 1071)


def test_oauth_token_expires_after_token_seconds(emulator: SmartsheetEmulator) -> None:
    code = _authorize(emulator)["code"][0]
    token = _sdk(emulator).Token.get_access_token(
        emulator.client_id, code, _hash(emulator.client_secret, code)
    )
    later = emulator.clock() + timedelta(seconds=604800)
    emulator.clock = lambda: later
    assert failure(_sdk(emulator, token.access_token).Users.get_current_user)[:2] == (401, 1003)


def test_delete_token_revokes_it(emulator: SmartsheetEmulator, client_for: ClientFactory) -> None:
    client = client_for("viewer")
    result = client.Token.revoke_access_token()
    assert result.message == "SUCCESS"
    assert failure(client.Users.get_current_user)[:2] == (401, 1002)
    assert client_for("owner").Users.get_current_user().email  # others unaffected


def test_token_errors(emulator: SmartsheetEmulator, client_for: ClientFactory) -> None:
    missing = requests.get(f"{emulator.api_base}/users/me", timeout=5)
    assert (missing.status_code, missing.json()["errorCode"]) == (401, 1001)
    assert set(missing.json()) == {"errorCode", "message", "refId"}
    assert failure(client_for(token="no-such-token").Users.get_current_user)[:2] == (401, 1002)
    emulator.expire_token(emulator.token_for("editor"))
    assert failure(client_for("editor").Users.get_current_user)[:2] == (401, 1003)
    emulator.revoke_token(emulator.token_for("viewer"))
    assert failure(client_for("viewer").Users.get_current_user)[:2] == (401, 1002)


def test_scopes_limit_what_a_token_may_do(emulator: SmartsheetEmulator, pipeline: int) -> None:
    code = _authorize(emulator, user="owner", scope="READ_SHEETS")["code"][0]
    token = _sdk(emulator).Token.get_access_token(
        emulator.client_id, code, _hash(emulator.client_secret, code)
    )
    reader = _sdk(emulator, token.access_token)
    assert reader.Sheets.get_sheet_version(pipeline).version >= 1
    row = smartsheet.models.Row({"toBottom": True, "cells": []})
    assert failure(lambda: reader.Sheets.add_rows(pipeline, [row]))[:2] == (403, 1004)


@pytest.mark.parametrize("alias", ["owner", "editor", "viewer"])
def test_current_user_profile(
    client_for: ClientFactory, emulator: SmartsheetEmulator, alias: str
) -> None:
    me = client_for(alias).Users.get_current_user()
    user = emulator.users[alias]
    assert (me.id, me.email, me.first_name, me.last_name) == (
        user.id,
        user.email,
        user.first_name,
        user.last_name,
    )
    assert me.account.id
