"""response_url posts, through slack_sdk's WebhookClient (what Bolt's respond() uses)."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from sandbox.slack import SlackEmulator

ACME = "T0SANDBOX1"


def command_url(slack: SlackEmulator, user: str) -> str:
    return slack.issue_response_url("command", ACME, user, "C0GENERAL1")


def test_a_reply_is_ephemeral_by_default(slack: SlackEmulator, alice: str) -> None:
    url = command_url(slack, alice)

    answer = WebhookClient(url).send(text="Here is your list")

    assert answer.status_code == 200 and answer.body == '{"ok": true}'
    assert [m["text"] for m in slack.ephemerals(alice)] == ["Here is your list"]
    assert slack.messages("C0GENERAL1") == []
    assert slack.responses[0].body == {"text": "Here is your list"}
    assert slack.responses[0].url == url and slack.responses[0].source == "command"


def test_in_channel_replies_are_seen_by_everyone(slack: SlackEmulator, alice: str) -> None:
    WebhookClient(command_url(slack, alice)).send(text="Sync done", response_type="in_channel")

    assert [m["text"] for m in slack.messages("C0GENERAL1")] == ["Sync done"]


def test_replace_original_rewrites_the_message_an_action_came_from(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    posted = client.chat_postMessage(channel=alice, text="Pause workflow 7?")
    dm = slack.dm_channel(alice)
    url = slack.issue_response_url("block_actions", ACME, alice, dm, posted["ts"])

    WebhookClient(url).send(text="Workflow 7 paused", replace_original=True)

    assert [(m["ts"], m["text"]) for m in slack.messages(alice)] == [
        (posted["ts"], "Workflow 7 paused")
    ]


def test_delete_original_removes_it(slack: SlackEmulator, client: WebClient, alice: str) -> None:
    posted = client.chat_postMessage(channel=alice, text="Temporary")
    url = slack.issue_response_url(
        "block_actions", ACME, alice, slack.dm_channel(alice), posted["ts"]
    )

    WebhookClient(url).send_dict({"delete_original": True})

    assert slack.messages(alice) == []


def test_a_second_reply_can_replace_the_first(slack: SlackEmulator, alice: str) -> None:
    hook = WebhookClient(command_url(slack, alice))
    hook.send(text="Working…")

    hook.send(text="Done", replace_original=True)

    assert [m["text"] for m in slack.ephemerals(alice)] == ["Done"]


def test_a_response_url_takes_five_posts(slack: SlackEmulator, alice: str) -> None:
    hook = WebhookClient(command_url(slack, alice))
    statuses = [hook.send(text=f"#{i}").status_code for i in range(5)]

    sixth = hook.send(text="one too many")

    assert statuses == [200] * 5
    assert sixth.status_code == 404 and "used_url" in sixth.body


def test_an_unknown_response_url_has_expired(slack: SlackEmulator) -> None:
    answer = WebhookClient(slack.base_url + "/response/T0SANDBOX1/0/nope").send(text="x")

    assert answer.status_code == 404
    assert answer.body == '{"ok": false, "error": "expired_url"}'


def test_a_reply_without_content_is_no_text(slack: SlackEmulator, alice: str) -> None:
    answer = WebhookClient(command_url(slack, alice)).send_dict({"response_type": "ephemeral"})

    assert '"no_text"' in answer.body
    assert slack.ephemerals(alice) == []
