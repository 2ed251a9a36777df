"""Sign in with Slack on the emulator: the authorize page, openid.connect.token and
openid.connect.userInfo, driven as a browser and through slack_sdk's WebClient.

Shapes follow Slack's reference pages (docs.slack.dev/reference/methods/openid.connect.token
and …/openid.connect.userInfo); the id_token is an RS256 JWT checked against the JWKS."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_support import FakeClock, assert_same_shape

from sandbox.slack import SlackEmulator
from sandbox.slack.browser import read_form

REDIRECT = "https://bot.example.com/connect/slack/identity"
# docs.slack.dev's example answers (values shortened; only keys and types are compared)
TOKEN_EXAMPLE = {"ok": True, "access_token": "xoxp-1234", "token_type": "Bearer", "id_token": "e"}
USERINFO_EXAMPLE = {
    "ok": True,
    "sub": "U0R7JM",
    "https://slack.com/user_id": "U0R7JM",
    "https://slack.com/team_id": "T0R7GR",
    "name": "krane",
    "picture": "https://secure.gravatar.com/....png",
    "given_name": "Bront",
    "family_name": "Labradoodle",
    "locale": "en-US",
    "https://slack.com/team_name": "kraneflannel",
    "https://slack.com/team_domain": "kraneflannel",
}


def params(slack: SlackEmulator, **extra: str) -> dict[str, str]:
    base = {
        "response_type": "code",
        "scope": "openid profile",
        "client_id": slack.client_id,
        "state": "st-1",
        "nonce": "n-1",
        "redirect_uri": REDIRECT,
    }
    return base | extra


def sign_in(
    slack: SlackEmulator, team: str = "T0SANDBOX1", user: str = "U0ALICE001", **extra: str
) -> dict[str, list[str]]:
    form = params(slack, **extra) | {"team_id": team, "user_id": user, "decision": "allow"}
    answer = requests.post(slack.openid_authorize_url, data=form, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return parse_qs(urlparse(answer.headers["Location"]).query)


def sdk(slack: SlackEmulator, token: str | None = None) -> WebClient:
    return WebClient(token=token, base_url=slack.api_url)


def exchange(slack: SlackEmulator, code: str, **kw: Any) -> Any:
    return sdk(slack).openid_connect_token(
        client_id=kw.pop("client_id", slack.client_id),
        client_secret=kw.pop("client_secret", slack.client_secret),
        code=code,
        redirect_uri=kw.pop("redirect_uri", REDIRECT),
        **kw,
    )


def claims_of(id_token: str) -> dict[str, Any]:
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _b64int(value: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


def test_the_sign_in_page_is_a_form_with_the_chosen_workspace_preselected(
    slack: SlackEmulator,
) -> None:
    page = requests.get(
        slack.openid_authorize_url, params=params(slack, team="T0SANDBOX2"), timeout=5
    )

    assert page.status_code == 200 and "Sign in to syncbot with Slack" in page.text
    assert '<option value="T0SANDBOX2" selected>' in page.text
    action, fields = read_form(page.text, page.url)
    assert action == slack.openid_authorize_url
    assert fields["nonce"] == "n-1" and fields["state"] == "st-1"
    assert "Your name and profile picture" in page.text


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"client_id": "nope"}, "Invalid client_id"),
        ({"scope": "profile"}, "openid is required"),
        ({"scope": "openid chat:write"}, "openid is required"),
        ({"response_type": "token"}, "response_type"),
    ],
)
def test_a_bad_sign_in_request_gets_slacks_error_page(
    slack: SlackEmulator, bad: dict[str, str], message: str
) -> None:
    page = requests.get(slack.openid_authorize_url, params=params(slack, **bad), timeout=5)

    assert page.status_code == 400 and message in page.text


def test_cancel_goes_back_with_access_denied(slack: SlackEmulator) -> None:
    form = params(slack) | {"team_id": "T0SANDBOX1", "user_id": "U0ALICE001", "decision": "deny"}
    answer = requests.post(slack.openid_authorize_url, data=form, allow_redirects=False, timeout=5)

    back = parse_qs(urlparse(answer.headers["Location"]).query)
    assert back == {"error": ["access_denied"], "state": ["st-1"]}


def test_the_code_becomes_a_user_token_and_a_signed_id_token(slack: SlackEmulator) -> None:
    back = sign_in(slack, user=slack.user_id("T0SANDBOX1", "carol"))

    answer = exchange(slack, back["code"][0])

    assert back["state"] == ["st-1"]
    assert_same_shape(answer.data, TOKEN_EXAMPLE)
    assert answer["access_token"].startswith("xoxp-")
    header = claims_of("x." + answer["id_token"].split(".")[0])  # the JWT header
    claims = claims_of(answer["id_token"])
    assert header["alg"] == "RS256"
    assert claims["iss"] == "https://slack.com" and claims["aud"] == slack.client_id
    assert claims["nonce"] == "n-1" and claims["exp"] - claims["iat"] == 300
    assert (
        claims["https://slack.com/user_id"] == claims["sub"] == slack.user_id("T0SANDBOX1", "carol")
    )
    assert claims["https://slack.com/team_id"] == "T0SANDBOX1"
    assert "email" not in claims  # not asked for


def test_the_id_token_verifies_with_the_published_key(slack: SlackEmulator) -> None:
    id_token = exchange(slack, sign_in(slack)["code"][0])["id_token"]
    [key] = requests.get(slack.base_url + "/openid/connect/keys", timeout=5).json()["keys"]

    public = rsa.RSAPublicNumbers(_b64int(key["e"]), _b64int(key["n"])).public_key()
    head, body, signature = id_token.split(".")
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    public.verify(raw, f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    assert key["kid"] == claims_of("x." + head)["kid"]


def test_user_info_names_the_signed_in_person(slack: SlackEmulator) -> None:
    erin = slack.user_id("T0SANDBOX2", "erin")
    token = exchange(slack, sign_in(slack, "T0SANDBOX2", erin)["code"][0])["access_token"]

    info = sdk(slack, token).openid_connect_userInfo()

    assert_same_shape(info.data, USERINFO_EXAMPLE)
    assert info["https://slack.com/team_id"] == "T0SANDBOX2"
    assert info["https://slack.com/user_id"] == info["sub"] == erin
    assert info["name"] == "Erin Evans" and info["https://slack.com/team_name"] == "Globex"


def test_user_info_wants_a_sign_in_token(slack: SlackEmulator) -> None:
    with pytest.raises(SlackApiError) as refused:
        sdk(slack, slack.bot_token).openid_connect_userInfo()

    assert refused.value.response["error"] == "missing_scope"
    assert refused.value.response["needed"] == "openid"


def test_a_code_works_once(slack: SlackEmulator) -> None:
    code = sign_in(slack)["code"][0]
    exchange(slack, code)

    with pytest.raises(SlackApiError) as replay:
        exchange(slack, code)

    assert replay.value.response["error"] == "invalid_code"


def test_an_old_code_is_refused(slack: SlackEmulator, clock: FakeClock) -> None:
    code = sign_in(slack)["code"][0]
    clock.advance(601)

    with pytest.raises(SlackApiError) as late:
        exchange(slack, code)

    assert late.value.response["error"] == "invalid_code"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"client_id": "1.2"}, "invalid_client_id"),
        ({"client_secret": "wrong"}, "bad_client_secret"),
        ({"redirect_uri": "https://elsewhere.example/cb"}, "bad_redirect_uri"),
        ({"grant_type": "password"}, "invalid_grant_type"),
    ],
)
def test_token_errors_are_slacks(slack: SlackEmulator, change: dict[str, str], error: str) -> None:
    code = sign_in(slack)["code"][0]

    with pytest.raises(SlackApiError) as refused:
        exchange(slack, code, **change)

    assert refused.value.response["error"] == error


def test_install_and_sign_in_codes_do_not_mix(slack: SlackEmulator) -> None:
    code = sign_in(slack)["code"][0]

    with pytest.raises(SlackApiError) as refused:
        sdk(slack).oauth_v2_access(
            client_id=slack.client_id, client_secret=slack.client_secret, code=code
        )

    assert refused.value.response["error"] == "invalid_code"
