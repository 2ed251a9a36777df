"""chat.*, conversations.open, users.*, team.info through the real WebClient."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_support import assert_same_shape, recorded_examples, recorded_success

from sandbox.slack import SlackEmulator

ACME = "T0SANDBOX1"
SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "Sync failed on row 4"}}


def error_of(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as err:
        call()
    assert err.value.response.status_code == 200
    return err.value.response.data


def test_post_message_to_a_channel(slack: SlackEmulator, client: WebClient) -> None:
    answer = client.chat_postMessage(channel="C0GENERAL1", text="hello", blocks=[SECTION])

    assert answer["channel"] == "C0GENERAL1"
    stored = slack.messages("C0GENERAL1")
    assert [m["text"] for m in stored] == ["hello"]
    assert stored[0]["ts"] == answer["ts"]
    assert stored[0]["blocks"][0]["block_id"]
    assert stored[0]["bot_id"] == slack.teams[ACME].bot_id


def test_post_message_response_has_the_documented_shape(client: WebClient) -> None:
    example = recorded_success("chat.postMessage")

    answer = client.chat_postMessage(channel="C0GENERAL1", text="hello").data

    # attachments/username/subtype belong to that example's legacy-bot message only.
    assert_same_shape(
        answer,
        example,
        optional=frozenset({"$.message.attachments", "$.message.username", "$.message.subtype"}),
    )


def test_post_message_to_a_user_id_lands_in_the_dm(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    answer = client.chat_postMessage(channel=alice, text="Your workflow is paused")

    assert answer["channel"] == slack.dm_channel(alice)
    assert answer["channel"].startswith("D")
    assert [m["text"] for m in slack.messages(alice)] == ["Your workflow is paused"]
    assert slack.messages(slack.dm_channel(alice)) == slack.messages(alice)


def test_a_message_needs_text_or_blocks(client: WebClient) -> None:
    # api_call: chat_postMessage itself warns before sending a message without text.
    answer = error_of(lambda: client.api_call("chat.postMessage", json={"channel": "C0GENERAL1"}))

    assert answer["error"] == "no_text"


def test_more_than_50_blocks_are_invalid_blocks(client: WebClient) -> None:
    answer = error_of(
        lambda: client.chat_postMessage(channel="C0GENERAL1", text="x", blocks=[SECTION] * 51)
    )

    assert answer["error"] == "invalid_blocks"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"
    ]


def test_blocks_that_are_not_json_are_invalid_blocks_format(slack: SlackEmulator) -> None:
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)

    answer = error_of(
        lambda: client.api_call(
            "chat.postMessage", data={"channel": "C0GENERAL1", "text": "x", "blocks": "[{not json"}
        )
    )

    assert answer["error"] == "invalid_blocks_format"


def test_a_channel_of_another_workspace_is_not_found(client: WebClient) -> None:
    for channel in ("C0GENERAL2", "C0NOPE0000", "U0ERIN0005"):
        answer = error_of(lambda c=channel: client.chat_postMessage(channel=c, text="x"))
        assert answer["error"] == "channel_not_found"


def test_update_and_delete_a_message(slack: SlackEmulator, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C0GENERAL1", text="Syncing…")

    updated = client.chat_update(channel="C0GENERAL1", ts=posted["ts"], text="Synced 12 rows")

    assert updated["text"] == "Synced 12 rows" and updated["ts"] == posted["ts"]
    assert slack.messages("C0GENERAL1")[0]["text"] == "Synced 12 rows"
    assert_same_shape(
        updated.data, recorded_success("chat.update"), optional=frozenset({"$.message.user"})
    )
    deleted = client.chat_delete(channel="C0GENERAL1", ts=posted["ts"])
    assert deleted.data == {"ok": True, "channel": "C0GENERAL1", "ts": posted["ts"]}
    assert slack.messages("C0GENERAL1") == []


def test_updating_a_missing_message_is_message_not_found(client: WebClient) -> None:
    answer = error_of(lambda: client.chat_update(channel="C0GENERAL1", ts="1.000001", text="x"))

    assert answer["error"] == "message_not_found"


def test_ephemeral_messages_reach_one_member_of_the_channel(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    answer = client.chat_postEphemeral(channel="C0GENERAL1", user=alice, text="Only you")

    assert_same_shape(answer.data, recorded_success("chat.postEphemeral"))
    assert [m["text"] for m in slack.ephemerals(alice)] == ["Only you"]
    assert slack.messages("C0GENERAL1") == []


def test_ephemeral_to_someone_outside_the_channel_fails(
    slack: SlackEmulator, client: WebClient
) -> None:
    bob = slack.user_id(ACME, "bob")
    dm = slack.dm_channel(slack.user_id(ACME, "carol"))

    answer = error_of(lambda: client.chat_postEphemeral(channel=dm, user=bob, text="x"))

    assert answer["error"] == "user_not_in_channel"


def test_conversations_open_gives_the_dm_id_then_says_already_open(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    first = client.conversations_open(users=alice)
    again = client.conversations_open(users=alice, return_im=True)

    assert first.data == {"ok": True, "channel": {"id": slack.dm_channel(alice)}}
    assert again["already_open"] is True and again["no_op"] is True
    assert_same_shape(
        again.data,
        recorded_examples("conversations.open")[1],
        optional=frozenset({"$.channel.created"}),
    )


def test_conversations_open_refuses_unknown_users(client: WebClient) -> None:
    assert (
        error_of(lambda: client.conversations_open(users="U0ERIN0005"))["error"] == "user_not_found"
    )
    assert (
        error_of(lambda: client.api_call("conversations.open"))["error"]
        == "users_list_not_supplied"
    )


def test_users_info_reports_admin_and_owner_flags(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    owner = client.users_info(user=alice)["user"]
    member = client.users_info(user=slack.user_id(ACME, "carol"))["user"]

    assert (owner["is_admin"], owner["is_owner"], owner["is_primary_owner"]) == (True, True, True)
    assert (member["is_admin"], member["is_owner"]) == (False, False)
    assert owner["profile"]["email"] == "alice@acme.example.com"
    # Every field of the documented answer, colour, avatar and status included.
    assert_same_shape(owner, recorded_success("users.info")["user"])


def test_email_needs_the_users_read_email_scope(slack: SlackEmulator, alice: str) -> None:
    token = slack.state.issue_bot_token(ACME, ("users:read",)).value

    user = WebClient(token=token, base_url=slack.api_url).users_info(user=alice)["user"]

    assert "email" not in user["profile"]


def test_users_of_another_workspace_are_not_found(client: WebClient) -> None:
    assert (
        error_of(lambda: client.users_info(user="U0ERIN0005")) == recorded_examples("users.info")[1]
    )


def test_a_deactivated_user_shows_as_deleted(slack: SlackEmulator, client: WebClient) -> None:
    dave = slack.user_id(ACME, "dave")
    slack.users[dave].deleted = True

    assert client.users_info(user=dave)["user"]["deleted"] is True
    assert error_of(lambda: client.conversations_open(users=dave))["error"] == "user_disabled"


def test_lookup_by_email_finds_members_of_the_workspace_only(client: WebClient, alice: str) -> None:
    found = client.users_lookupByEmail(email="ALICE@acme.example.com")["user"]

    assert found["id"] == alice
    assert error_of(lambda: client.users_lookupByEmail(email="erin@globex.example.com")) == {
        "ok": False,
        "error": "users_not_found",
    }


def test_team_info_describes_the_callers_workspace(client: WebClient) -> None:
    team = client.team_info()["team"]

    assert team["id"] == ACME and team["name"] == "Acme" and team["domain"] == "acme-sandbox"
    assert error_of(lambda: client.team_info(team="T0SANDBOX2"))["error"] == "team_not_found"


def test_added_users_are_members_of_the_workspace(slack: SlackEmulator, client: WebClient) -> None:
    frank = slack.add_user(ACME, "frank", is_admin=True)

    info = client.users_info(user=frank.id)["user"]

    assert info["name"] == "frank" and info["is_admin"] is True
    assert frank.id in slack.state.messages.channels["C0GENERAL1"].members
