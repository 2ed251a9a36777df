"""Tokens, scopes, error forms and rate limits, through the real slack_sdk WebClient."""

from __future__ import annotations

import pytest
import requests
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_support import assert_same_shape, recorded_examples, recorded_output_schema

from sandbox.slack import SlackEmulator


def test_auth_test_with_a_bot_token_names_the_bot_and_workspace(
    client: WebClient, slack: SlackEmulator
) -> None:
    response = client.auth_test()

    team = slack.teams["T0SANDBOX1"]
    assert response["ok"] is True
    assert response["team_id"] == "T0SANDBOX1"
    assert response["team"] == "Acme"
    assert response["user_id"] == team.bot_user_id
    assert response["bot_id"] == team.bot_id
    assert response["url"] == "https://acme-sandbox.slack.com/"
    assert response["is_enterprise_install"] is False


def test_auth_test_matches_the_documented_bot_token_example(client: WebClient) -> None:
    bot_example = next(e for e in recorded_examples("auth.test") if "bot_id" in e)

    response = client.auth_test()

    assert_same_shape(response.data, bot_example)
    documented = set(recorded_output_schema("auth.test")["properties"])
    assert set(response.data) - {"ok"} <= documented


def test_auth_test_reports_the_granted_scopes_in_a_header(client: WebClient) -> None:
    response = client.auth_test()

    scopes = response.headers["x-oauth-scopes"].split(",")
    assert "chat:write" in scopes and "commands" in scopes


def test_no_token_is_not_authed_and_a_made_up_one_is_invalid_auth(slack: SlackEmulator) -> None:
    with pytest.raises(SlackApiError) as missing:
        WebClient(base_url=slack.api_url).auth_test()
    with pytest.raises(SlackApiError) as bogus:
        WebClient(token="xoxb-0-0-nope", base_url=slack.api_url).auth_test()

    assert missing.value.response.status_code == 200
    assert missing.value.response.data == {"ok": False, "error": "not_authed"}
    assert bogus.value.response["error"] == "invalid_auth"


def test_revoked_and_expired_tokens_are_refused(slack: SlackEmulator, client: WebClient) -> None:
    slack.revoke_token(slack.bot_token)
    other = WebClient(token=slack.bot_token_for("T0SANDBOX2"), base_url=slack.api_url)
    slack.expire_token(slack.bot_token_for("T0SANDBOX2"))

    with pytest.raises(SlackApiError) as revoked:
        client.auth_test()
    with pytest.raises(SlackApiError) as expired:
        other.auth_test()

    assert revoked.value.response["error"] == "token_revoked"
    assert expired.value.response["error"] == "token_expired"


def test_a_token_argument_in_a_form_body_is_accepted(slack: SlackEmulator) -> None:
    answer = requests.post(
        slack.api_url + "auth.test", data={"token": slack.bot_token}, timeout=5
    ).json()

    assert answer["ok"] is True


def test_a_token_inside_a_json_body_is_not_read(slack: SlackEmulator) -> None:
    # Slack reads tokens from the Authorization header (or form/query), never from JSON.
    answer = requests.post(
        slack.api_url + "auth.test", json={"token": slack.bot_token}, timeout=5
    ).json()

    assert answer == {"ok": False, "error": "not_authed"}


def test_missing_scope_says_what_is_needed_and_what_the_token_has(slack: SlackEmulator) -> None:
    token = slack.state.issue_bot_token("T0SANDBOX1", ("commands",)).value

    with pytest.raises(SlackApiError) as err:
        WebClient(token=token, base_url=slack.api_url).chat_postMessage(
            channel="C0GENERAL1", text="hi"
        )

    assert err.value.response.data == {
        "ok": False,
        "error": "missing_scope",
        "needed": "chat:write",
        "provided": "commands",
    }


def test_an_unknown_method_is_reported_as_such(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.api_call("nothing.here")

    assert err.value.response["error"] == "unknown_method"


def test_an_injected_429_carries_retry_after_and_ratelimited(
    slack: SlackEmulator, client: WebClient
) -> None:
    slack.control.inject("auth.test", 429)

    with pytest.raises(SlackApiError) as err:
        client.auth_test()

    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "1"
    assert err.value.response["error"] == "ratelimited"


def test_rate_limit_handler_retries_after_a_429(slack: SlackEmulator) -> None:
    client = WebClient(
        token=slack.bot_token,
        base_url=slack.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    slack.control.inject("chat.postMessage", 429, headers={"Retry-After": "0"})

    response = client.chat_postMessage(channel="C0GENERAL1", text="after a pause")

    assert response["ok"] is True
    assert [c.status for c in slack.calls_to("chat.postMessage")] == [429, 200]
    assert len(slack.messages("C0GENERAL1")) == 1


def test_an_injected_error_code_is_rendered_as_slack_does(
    slack: SlackEmulator, client: WebClient
) -> None:
    slack.control.inject("users.info", 200, "user_not_visible")

    with pytest.raises(SlackApiError) as err:
        client.users_info(user=slack.user_id("T0SANDBOX1", "bob"))

    assert err.value.response.status_code == 200
    assert err.value.response.data == {"ok": False, "error": "user_not_visible"}


def test_every_call_is_logged_with_its_merged_arguments(
    slack: SlackEmulator, client: WebClient
) -> None:
    bob = slack.user_id("T0SANDBOX1", "bob")

    client.users_info(user=bob)  # query string
    client.conversations_open(users=bob)  # POST with query parameters
    client.chat_postMessage(channel=bob, text="hello")  # JSON body

    methods = [c.method for c in slack.calls]
    assert methods == ["users.info", "conversations.open", "chat.postMessage"]
    assert [
        c.args.get("user") or c.args.get("users") or c.args["channel"] for c in slack.calls
    ] == [bob, bob, bob]
    assert {c.team_id for c in slack.calls} == {"T0SANDBOX1"}
    assert slack.control.count("chat.postMessage") == 1


def test_reset_brings_back_the_seeded_state(slack: SlackEmulator, client: WebClient) -> None:
    token = slack.bot_token
    client.chat_postMessage(channel="C0GENERAL1", text="x")
    slack.revoke_token(token)

    slack.reset()

    assert slack.calls == [] and slack.messages("C0GENERAL1") == []
    assert slack.bot_token == token
    assert WebClient(token=token, base_url=slack.api_url).auth_test()["ok"] is True
