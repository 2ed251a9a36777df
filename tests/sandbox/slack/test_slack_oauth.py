"""The OAuth v2 authorize page and oauth.v2.access, driven as a browser and by slack_sdk."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_support import FakeClock, assert_same_shape, recorded_output_schema, recorded_success

from sandbox.slack import SlackEmulator
from sandbox.slack.browser import read_form

REDIRECT = "https://bot.example.com/slack/oauth_redirect"


def authorize_params(slack: SlackEmulator, **extra: str) -> dict[str, str]:
    params = {
        "client_id": slack.client_id,
        "scope": "commands,chat:write,users:read",
        "user_scope": "",
        "redirect_uri": REDIRECT,
        "state": "s-123",
    }
    params.update(extra)
    return params


def decide(
    slack: SlackEmulator,
    decision: str = "allow",
    team: str = "T0SANDBOX1",
    user: str = "U0ALICE001",
    **extra: str,
) -> dict[str, list[str]]:
    form = {
        **authorize_params(slack, **extra),
        "team_id": team,
        "user_id": user,
        "decision": decision,
    }
    answer = requests.post(slack.authorize_url, data=form, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(form["redirect_uri"] or REDIRECT)
    return parse_qs(urlparse(location).query)


def code_for(slack: SlackEmulator, **extra: str) -> str:
    return decide(slack, **extra)["code"][0]


def sdk(slack: SlackEmulator) -> WebClient:
    return WebClient(base_url=slack.api_url)


def test_the_authorize_page_is_a_form_to_pick_workspace_and_person(slack: SlackEmulator) -> None:
    page = requests.get(slack.authorize_url, params=authorize_params(slack), timeout=5)

    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    action, fields = read_form(page.text, page.url)
    assert action == slack.authorize_url
    assert fields["state"] == "s-123" and fields["redirect_uri"] == REDIRECT
    assert fields["team_id"] == "T0SANDBOX1"  # first workspace preselected
    assert "Allow" in page.text and "Cancel" in page.text and "chat:write" in page.text


def test_a_wrong_client_id_gets_an_error_page(slack: SlackEmulator) -> None:
    page = requests.get(
        slack.authorize_url, params=authorize_params(slack, client_id="999.999"), timeout=5
    )

    assert page.status_code == 400
    assert "Invalid client_id" in page.text


def test_a_redirect_uri_outside_the_configured_urls_is_refused(slack: SlackEmulator) -> None:
    slack.app.redirect_urls.append("https://bot.example.com/")
    try:
        page = requests.get(
            slack.authorize_url,
            params=authorize_params(slack, redirect_uri="https://evil.test/cb"),
            timeout=5,
        )
    finally:
        slack.app.redirect_urls.clear()

    assert page.status_code == 400
    assert "redirect_uri did not match" in page.text


def test_allow_redirects_back_with_a_code_and_the_state(slack: SlackEmulator) -> None:
    query = decide(slack)

    assert query["state"] == ["s-123"]
    assert len(query["code"][0]) > 20


def test_cancel_redirects_back_with_access_denied(slack: SlackEmulator) -> None:
    query = decide(slack, decision="deny")

    assert query == {"error": ["access_denied"], "state": ["s-123"]}


def test_exchanging_the_code_installs_the_bot(slack: SlackEmulator) -> None:
    code = code_for(slack)

    answer = sdk(slack).oauth_v2_access(
        client_id=slack.client_id,
        client_secret=slack.client_secret,
        code=code,
        redirect_uri=REDIRECT,
    )

    assert answer["access_token"].startswith("xoxb-")
    assert answer["token_type"] == "bot"
    assert answer["scope"] == "commands,chat:write,users:read"
    assert answer["team"] == {"id": "T0SANDBOX1", "name": "Acme"}
    assert answer["authed_user"] == {"id": "U0ALICE001"}
    assert answer["bot_user_id"] == slack.teams["T0SANDBOX1"].bot_user_id
    assert "bot_id" not in answer.data  # Bolt asks auth.test for it
    who = WebClient(token=answer["access_token"], base_url=slack.api_url).auth_test()
    assert who["bot_id"] == slack.teams["T0SANDBOX1"].bot_id


def test_the_access_response_has_the_documented_shape(slack: SlackEmulator) -> None:
    example = recorded_success("oauth.v2.access")
    schema = recorded_output_schema("oauth.v2.access")

    answer = (
        sdk(slack)
        .oauth_v2_access(
            client_id=slack.client_id,
            client_secret=slack.client_secret,
            code=code_for(slack, user_scope="search:read"),
            redirect_uri=REDIRECT,
        )
        .data
    )

    assert_same_shape(answer, example)
    assert set(schema["required"]) <= set(answer)
    assert set(answer) - {"ok"} <= set(schema["properties"])
    assert answer["authed_user"]["token_type"] == "user"
    assert answer["authed_user"]["access_token"].startswith("xoxp-")


def test_client_credentials_may_come_in_the_body(slack: SlackEmulator) -> None:
    form = {
        "client_id": slack.client_id,
        "client_secret": slack.client_secret,
        "code": code_for(slack),
        "redirect_uri": REDIRECT,
    }

    answer = requests.post(slack.api_url + "oauth.v2.access", data=form, timeout=5).json()

    assert answer["ok"] is True


def test_each_install_issues_a_new_bot_token(slack: SlackEmulator) -> None:
    first = sdk(slack).oauth_v2_access(
        client_id=slack.client_id,
        client_secret=slack.client_secret,
        code=code_for(slack),
        redirect_uri=REDIRECT,
    )["access_token"]
    second = sdk(slack).oauth_v2_access(
        client_id=slack.client_id,
        client_secret=slack.client_secret,
        code=code_for(slack),
        redirect_uri=REDIRECT,
    )["access_token"]

    assert first != second
    assert slack.bot_token_for("T0SANDBOX1") == second


def test_a_code_works_only_once(slack: SlackEmulator) -> None:
    code = code_for(slack)
    client = sdk(slack)
    client.oauth_v2_access(
        client_id=slack.client_id,
        client_secret=slack.client_secret,
        code=code,
        redirect_uri=REDIRECT,
    )

    with pytest.raises(SlackApiError) as err:
        client.oauth_v2_access(
            client_id=slack.client_id,
            client_secret=slack.client_secret,
            code=code,
            redirect_uri=REDIRECT,
        )

    assert err.value.response["error"] == "invalid_code"


def test_a_code_expires(slack: SlackEmulator, clock: FakeClock) -> None:
    code = code_for(slack)
    clock.advance(601)

    with pytest.raises(SlackApiError) as err:
        sdk(slack).oauth_v2_access(
            client_id=slack.client_id,
            client_secret=slack.client_secret,
            code=code,
            redirect_uri=REDIRECT,
        )

    assert err.value.response["error"] == "invalid_code"


@pytest.mark.parametrize(
    ("client_id", "secret", "redirect", "error"),
    [
        ("12345.678", None, REDIRECT, "invalid_client_id"),
        (None, "wrong-secret", REDIRECT, "bad_client_secret"),
        (None, None, "https://bot.example.com/elsewhere", "bad_redirect_uri"),
    ],
)
def test_bad_credentials_or_redirect_are_refused(
    slack: SlackEmulator, client_id: str | None, secret: str | None, redirect: str, error: str
) -> None:
    with pytest.raises(SlackApiError) as err:
        sdk(slack).oauth_v2_access(
            client_id=client_id or slack.client_id,
            client_secret=secret or slack.client_secret,
            code=code_for(slack),
            redirect_uri=redirect,
        )

    assert err.value.response.status_code == 200
    assert err.value.response["error"] == error


def test_a_person_from_another_workspace_cannot_install_into_acme(slack: SlackEmulator) -> None:
    form = {
        **authorize_params(slack),
        "team_id": "T0SANDBOX1",
        "user_id": "U0ERIN0005",
        "decision": "allow",
    }

    answer = requests.post(slack.authorize_url, data=form, allow_redirects=False, timeout=5)

    assert answer.status_code == 400


def test_without_redirect_uri_the_configured_one_is_used(slack: SlackEmulator) -> None:
    slack.app.redirect_urls.append("https://bot.example.com/slack/oauth_redirect")
    try:
        form = {
            **authorize_params(slack, redirect_uri=""),
            "team_id": "T0SANDBOX2",
            "user_id": "U0ERIN0005",
            "decision": "allow",
        }
        answer = requests.post(slack.authorize_url, data=form, allow_redirects=False, timeout=5)
    finally:
        slack.app.redirect_urls.clear()

    assert answer.headers["Location"].startswith(REDIRECT + "?")
    code = parse_qs(urlparse(answer.headers["Location"]).query)["code"][0]
    installed = sdk(slack).oauth_v2_access(
        client_id=slack.client_id, client_secret=slack.client_secret, code=code
    )
    assert installed["team"]["id"] == "T0SANDBOX2"


def test_the_authorize_page_counts_as_oauth_authorize(slack: SlackEmulator) -> None:
    requests.get(slack.authorize_url + "?" + urlencode(authorize_params(slack)), timeout=5)

    assert slack.control.count("oauth.authorize") == 1
