"""What SlackUser sends, byte for byte: fields, signatures and state values as Slack's are."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_support import FakeClock
from werkzeug.wrappers import Request, Response

from sandbox.server import BackgroundServer
from sandbox.slack import SlackEmulator, SlackUser

ACME = "T0SANDBOX1"


def text(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value}


def option(value: str) -> dict[str, Any]:
    return {"text": text(value.title()), "value": value}


class RecordingBot:
    """Stands in for a bot: keeps each request, answers with ``reply`` (200, empty body)."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.bodies: list[str] = []
        self.reply: Callable[[], Response] = lambda: Response("", status=200)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        self.bodies.append(request.get_data(as_text=True))
        self.requests.append(request)
        return self.reply()(environ, start_response)

    def last_payload(self) -> dict[str, Any]:
        return json.loads(dict(parse_qsl(self.bodies[-1]))["payload"])


@pytest.fixture(scope="module")
def _recording() -> Iterator[tuple[RecordingBot, str]]:
    bot = RecordingBot()
    server = BackgroundServer(bot).start()
    yield bot, server.url
    server.stop()


@pytest.fixture
def bot(_recording: tuple[RecordingBot, str]) -> RecordingBot:
    bot = _recording[0]
    bot.requests.clear()
    bot.bodies.clear()
    bot.reply = lambda: Response("", status=200)
    return bot


@pytest.fixture
def user(
    slack: SlackEmulator, bot: RecordingBot, _recording: tuple[RecordingBot, str], alice: str
) -> SlackUser:
    return SlackUser(slack, _recording[1] + "/slack/events", team_id=ACME, user_id=alice)


def open_view(
    slack: SlackEmulator,
    client: WebClient,
    user_id: str,
    blocks: list[dict[str, Any]],
    **extra: Any,
) -> str:
    view = {
        "type": "modal",
        "callback_id": "cb",
        "title": text("T"),
        "submit": text("OK"),
        "blocks": blocks,
        **extra,
    }
    trigger = slack.issue_trigger_id(ACME, user_id)
    return str(client.views_open(trigger_id=trigger, view=view)["view"]["id"])


def test_requests_are_signed_as_slack_signs_them(
    slack: SlackEmulator, user: SlackUser, bot: RecordingBot
) -> None:
    user.slash("/sync", "list")

    headers = bot.requests[-1].headers
    verifier = SignatureVerifier(slack.signing_secret)
    assert headers["X-Slack-Signature"].startswith("v0=")
    assert verifier.is_valid(
        body=bot.bodies[-1],
        timestamp=headers["X-Slack-Request-Timestamp"],
        signature=headers["X-Slack-Signature"],
    )
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_a_slash_command_carries_all_of_slacks_fields(
    slack: SlackEmulator, user: SlackUser, bot: RecordingBot, alice: str
) -> None:
    user.slash("/sync", "show 42")

    fields = dict(parse_qsl(bot.bodies[-1], keep_blank_values=True))
    assert list(fields) == [
        "token",
        "team_id",
        "team_domain",
        "channel_id",
        "channel_name",
        "user_id",
        "user_name",
        "command",
        "text",
        "api_app_id",
        "is_enterprise_install",
        "response_url",
        "trigger_id",
    ]
    assert fields["command"] == "/sync" and fields["text"] == "show 42"
    assert (fields["team_id"], fields["user_id"], fields["user_name"]) == (ACME, alice, "alice")
    assert (fields["channel_id"], fields["channel_name"]) == ("C0GENERAL1", "general")
    assert fields["response_url"].startswith(slack.base_url + "/response/")
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    opened = client.views_open(
        trigger_id=fields["trigger_id"], view={"type": "modal", "title": text("Hi"), "blocks": []}
    )
    assert opened["ok"] is True


def test_submission_builds_state_values_per_element_type(
    slack: SlackEmulator, client: WebClient, user: SlackUser, bot: RecordingBot, alice: str
) -> None:
    blocks = [
        {
            "type": "input",
            "block_id": "b1",
            "label": text("Name"),
            "element": {"type": "plain_text_input", "action_id": "name"},
        },
        {
            "type": "input",
            "block_id": "b2",
            "label": text("Object"),
            "element": {
                "type": "static_select",
                "action_id": "object",
                "options": [option("account"), option("case")],
            },
        },
        {
            "type": "input",
            "block_id": "b3",
            "label": text("Fields"),
            "element": {
                "type": "multi_static_select",
                "action_id": "fields",
                "options": [option("name"), option("amount"), option("stage")],
            },
        },
        {
            "type": "input",
            "block_id": "b4",
            "label": text("Owner"),
            "element": {"type": "users_select", "action_id": "owner"},
        },
        {
            "type": "input",
            "block_id": "b5",
            "label": text("Direction"),
            "optional": True,
            "element": {
                "type": "radio_buttons",
                "action_id": "direction",
                "options": [option("both"), option("one")],
                "initial_option": option("both"),
            },
        },
        {
            "type": "input",
            "block_id": "b6",
            "label": text("Note"),
            "optional": True,
            "element": {"type": "plain_text_input", "action_id": "note"},
        },
        {
            "type": "input",
            "block_id": "b7",
            "label": text("Start"),
            "element": {"type": "datepicker", "action_id": "start"},
        },
    ]
    view_id = open_view(slack, client, alice, blocks, private_metadata='{"wf": 7}')

    user.submit(
        view_id,
        {
            "name": "Deals",
            "b2.object": "case",
            "fields": ["name", "stage"],
            "owner": "U0BOB00002",
            "start": "2024-05-01",
        },
    )

    payload = bot.last_payload()
    values = payload["view"]["state"]["values"]
    assert payload["type"] == "view_submission" and payload["response_urls"] == []
    assert payload["view"]["private_metadata"] == '{"wf": 7}'
    assert payload["view"]["hash"] == slack.views()[view_id]["hash"]
    assert values["b1"]["name"] == {"type": "plain_text_input", "value": "Deals"}
    assert values["b2"]["object"]["selected_option"]["value"] == "case"
    assert values["b2"]["object"]["selected_option"]["text"]["text"] == "Case"
    assert [o["value"] for o in values["b3"]["fields"]["selected_options"]] == ["name", "stage"]
    assert values["b4"]["owner"] == {"type": "users_select", "selected_user": "U0BOB00002"}
    assert values["b5"]["direction"]["selected_option"]["value"] == "both"
    assert values["b6"]["note"] == {"type": "plain_text_input", "value": None}
    assert values["b7"]["start"] == {"type": "datepicker", "selected_date": "2024-05-01"}
    assert payload["trigger_id"].count(".") == 2
    assert slack.modal_stack(alice) == []  # an empty 200 closes the modal


def test_picking_an_option_that_is_not_offered_is_impossible(
    slack: SlackEmulator, client: WebClient, user: SlackUser, alice: str
) -> None:
    view_id = open_view(
        slack,
        client,
        alice,
        [
            {
                "type": "input",
                "block_id": "b",
                "label": text("Object"),
                "element": {
                    "type": "static_select",
                    "action_id": "object",
                    "options": [option("account")],
                },
            }
        ],
    )

    with pytest.raises(ValueError, match="no option"):
        user.submit(view_id, {"object": "lead"})
    with pytest.raises(ValueError, match="no input"):
        user.submit(view_id, {"object": "account", "nope": "x"})


def test_a_response_url_enabled_conversation_select_yields_response_urls(
    slack: SlackEmulator, client: WebClient, user: SlackUser, bot: RecordingBot, alice: str
) -> None:
    view_id = open_view(
        slack,
        client,
        alice,
        [
            {
                "type": "input",
                "block_id": "where",
                "label": text("Post to"),
                "element": {
                    "type": "conversations_select",
                    "action_id": "channel",
                    "response_url_enabled": True,
                },
            }
        ],
    )

    user.submit(view_id, {"channel": "C0GENERAL1"})

    [entry] = bot.last_payload()["response_urls"]
    assert (entry["block_id"], entry["action_id"], entry["channel_id"]) == (
        "where",
        "channel",
        "C0GENERAL1",
    )
    assert entry["response_url"].startswith(slack.base_url + "/response/")


def test_the_bots_answer_to_a_submission_drives_the_modal(
    slack: SlackEmulator, client: WebClient, user: SlackUser, bot: RecordingBot, alice: str
) -> None:
    blocks = [
        {
            "type": "input",
            "block_id": "b",
            "label": text("Name"),
            "element": {"type": "plain_text_input", "action_id": "name"},
        }
    ]
    root = open_view(slack, client, alice, blocks)

    def answer(body: dict[str, Any]) -> Callable[[], Response]:
        return lambda: Response(json.dumps(body), content_type="application/json")

    bot.reply = answer(
        {
            "response_action": "push",
            "view": {"type": "modal", "title": text("Step 2"), "blocks": []},
        }
    )
    user.submit(root, {"name": "x"})
    pushed = slack.modal_stack(alice)
    bot.reply = answer(
        {
            "response_action": "update",
            "view": {"type": "modal", "title": text("Step 2b"), "blocks": []},
        }
    )
    user.submit(pushed[-1], {})
    updated = slack.views()[pushed[-1]]["title"]["text"]
    bot.reply = answer({"response_action": "clear"})
    user.submit(pushed[-1], {})

    assert len(pushed) == 2 and pushed[0] == root
    assert updated == "Step 2b"
    assert slack.modal_stack(alice) == []


def test_only_the_view_in_front_can_be_submitted(
    slack: SlackEmulator, client: WebClient, user: SlackUser, alice: str
) -> None:
    root = open_view(slack, client, alice, [])
    client.views_push(
        trigger_id=slack.issue_trigger_id(ACME, alice),
        view={"type": "modal", "title": text("On top"), "blocks": []},
    )

    with pytest.raises(ValueError, match="not in front"):
        user.submit(root, {})


def test_an_invalid_view_in_the_bots_answer_is_rejected(
    slack: SlackEmulator, client: WebClient, user: SlackUser, bot: RecordingBot, alice: str
) -> None:
    view_id = open_view(slack, client, alice, [])
    bad = {"type": "modal", "title": text("x" * 30), "blocks": []}
    bot.reply = lambda: Response(
        json.dumps({"response_action": "update", "view": bad}), content_type="application/json"
    )

    user.submit(view_id, {})

    assert slack.rejected_acks[0][0] == view_id
    assert (
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
        in slack.rejected_acks[0][1]
    )
    assert slack.modal_stack(alice) == [view_id]


def test_a_select_in_a_modal_sends_a_block_action_and_keeps_the_choice(
    slack: SlackEmulator, client: WebClient, user: SlackUser, bot: RecordingBot, alice: str
) -> None:
    view_id = open_view(
        slack,
        client,
        alice,
        [
            {
                "type": "input",
                "block_id": "b",
                "dispatch_action": True,
                "label": text("Object"),
                "element": {
                    "type": "static_select",
                    "action_id": "object",
                    "options": [option("account"), option("case")],
                },
            }
        ],
    )

    user.click("object", view_id=view_id, selected="case")

    payload = bot.last_payload()
    [action] = payload["actions"]
    assert payload["type"] == "block_actions"
    assert payload["container"] == {"type": "view", "view_id": view_id}
    assert action["type"] == "static_select" and action["block_id"] == "b"
    assert action["selected_option"]["value"] == "case"
    assert payload["view"]["state"]["values"]["b"]["object"]["selected_option"]["value"] == "case"
    assert "response_url" not in payload


def test_a_button_in_a_message_carries_the_message_and_a_response_url(
    slack: SlackEmulator, client: WebClient, user: SlackUser, bot: RecordingBot, alice: str
) -> None:
    blocks = [
        {
            "type": "actions",
            "block_id": "row",
            "elements": [
                {"type": "button", "action_id": "pause", "text": text("Pause"), "value": "7"},
                {"type": "button", "action_id": "resume", "text": text("Resume"), "value": "7"},
            ],
        }
    ]
    posted = client.chat_postMessage(channel=alice, text="Workflow 7", blocks=blocks)

    user.click("pause")

    payload = bot.last_payload()
    assert payload["container"] == {
        "type": "message",
        "message_ts": posted["ts"],
        "channel_id": slack.dm_channel(alice),
        "is_ephemeral": False,
    }
    assert payload["channel"] == {"id": slack.dm_channel(alice), "name": "directmessage"}
    assert payload["message"]["ts"] == posted["ts"]
    assert payload["actions"][0]["value"] == "7"
    assert payload["actions"][0]["action_id"] == "pause"
    assert payload["response_url"].startswith(slack.base_url + "/response/")


def test_buttons_sharing_an_action_id_are_told_apart_by_value(
    slack: SlackEmulator, client: WebClient, user: SlackUser, bot: RecordingBot, alice: str
) -> None:
    rows = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"Workflow {n}"},
            "accessory": {
                "type": "button",
                "action_id": "open",
                "text": text("Open"),
                "value": str(n),
            },
        }
        for n in (1, 2, 3)
    ]
    client.views_publish(user_id=alice, view={"type": "home", "blocks": rows})

    user.click("open", value="2")

    action = bot.last_payload()["actions"][0]
    assert (
        action["value"] == "2"
        and action["block_id"] == slack.home_view(alice)["blocks"][1]["block_id"]
    )


def test_clicking_something_nobody_shows_is_a_lookup_error(user: SlackUser) -> None:
    with pytest.raises(LookupError):
        user.click("nothing_here")


def test_app_home_opened_is_an_event_callback_envelope(
    slack: SlackEmulator, user: SlackUser, bot: RecordingBot, alice: str
) -> None:
    user.open_home()

    envelope = json.loads(bot.bodies[-1])
    assert bot.requests[-1].headers["Content-Type"] == "application/json"
    assert envelope["type"] == "event_callback" and envelope["team_id"] == ACME
    assert envelope["api_app_id"] == slack.app_id
    assert envelope["event"] == {
        "type": "app_home_opened",
        "user": alice,
        "channel": slack.dm_channel(alice),
        "tab": "home",
        "event_ts": envelope["event"]["event_ts"],
    }
    assert envelope["authorizations"][0]["user_id"] == slack.teams[ACME].bot_user_id
    assert envelope["event_id"].startswith("Ev") and isinstance(envelope["event_time"], int)


def test_closing_a_view_without_notify_sends_nothing(
    slack: SlackEmulator, client: WebClient, user: SlackUser, bot: RecordingBot, alice: str
) -> None:
    view_id = open_view(slack, client, alice, [])

    closed = user.close(view_id)

    assert closed.status == 0 and bot.requests == []
    assert slack.modal_stack(alice) == []


def test_the_trigger_of_a_click_expires_like_any_other(
    slack: SlackEmulator, client: WebClient, clock: FakeClock, user: SlackUser, bot: RecordingBot
) -> None:
    user.slash("/sync", "create")
    trigger = dict(parse_qsl(bot.bodies[-1]))["trigger_id"]
    clock.advance(10)

    with pytest.raises(SlackApiError) as err:
        client.views_open(
            trigger_id=trigger, view={"type": "modal", "title": text("Late"), "blocks": []}
        )

    assert err.value.response["error"] == "expired_trigger_id"
