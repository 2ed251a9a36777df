"""Slack's 3-second rule, as the SlackUser driver applies it to a real, slow Bolt app.

The bot runs with ``process_before_response=True`` (as on a FaaS), so its HTTP answer
leaves only when the listener returns: a listener that acks and then works slowly answers
late, the mistake the rule punishes. Slack then shows the person an error and throws the
late answer away; a lazy listener is the fix (acknowledged at once, works afterwards).

| request         | answered        | the person sees                                  |
|-----------------|-----------------|--------------------------------------------------|
| slash command   | after deadline  | /sync failed with the error "operation_timeout"  |
| slash command   | in time (lazy)  | the ack text, then the reply via response_url    |
| modal submit    | after deadline  | "We had some trouble connecting. Try again?"     |
|                 |                 | and the modal unchanged (response_action lost)   |
| modal submit    | in time         | the modal updated by response_action             |
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, Respond
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sandbox.server import BackgroundServer
from sandbox.slack import SlackEmulator, SlackUser
from sandbox.slack.driver import ACK_DEADLINE, SUBMIT_TIMED_OUT

ACME = "T0SANDBOX1"
# Answers meant to be late get a shorter deadline (SHORT) to keep the suite fast; one test
# uses Slack's own 3 s. Answers meant to be in time keep the 3 s, so a busy machine
# cannot make them late.
SHORT = 1.0
SLOW = 0.6  # seconds past the deadline the slow listeners take


def text(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value}


def modal(title: str, callback_id: str = "save") -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": text(title),
        "submit": text("Save"),
        "blocks": [
            {
                "type": "input",
                "block_id": "name",
                "label": text("Name"),
                "element": {"type": "plain_text_input", "action_id": "name"},
            }
        ],
    }


class SlowBot:
    """A Bolt app whose listeners take ``delay`` seconds after acknowledging."""

    def __init__(self, slack: SlackEmulator, delay: float) -> None:
        self.delay = delay
        self.working = threading.Event()
        self.finished = threading.Event()
        self.may_update = threading.Event()
        self.update_errors: list[str] = []
        self.app = App(
            signing_secret=slack.signing_secret,
            client=WebClient(token=slack.bot_token, base_url=slack.api_url),
            process_before_response=True,
        )
        self._register()
        self._handler = SlackRequestHandler(self.app)
        self.server = BackgroundServer(self._handler).start()
        self.url = self.server.url + "/slack/events"

    def _work(self) -> None:
        self.working.set()
        time.sleep(self.delay)
        self.finished.set()

    def _register(self) -> None:
        self.app.command("/sync")(ack=self._ack_sync, lazy=[self._later])
        self.app.view("save")(self._save)

    def _ack_sync(self, ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack("Working on it…")
        if command["text"] == "slow":  # slow work before the HTTP answer leaves
            self._work()
            respond("Finished")

    def _later(self, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        if command["text"] == "lazy":
            self._work()
            respond("Finished")
        elif command["text"] == "loading":
            self._open_then_update(command["trigger_id"], client)

    def _open_then_update(self, trigger_id: str, client: WebClient) -> None:
        view_id = client.views_open(trigger_id=trigger_id, view=modal("Loading"))["view"]["id"]
        self.working.set()
        self.may_update.wait(5)
        try:
            client.views_update(view_id=view_id, view=modal("Loaded"))
        except SlackApiError as err:
            self.update_errors.append(str(err.response["error"]))
        self.finished.set()

    def _save(self, ack: Ack, view: dict[str, Any]) -> None:
        name = view["state"]["values"]["name"]["name"]["value"]
        ack(response_action="update", view=modal(f"Saved {name}"))
        if name == "slow":
            self._work()


@pytest.fixture
def slow_bot(slack: SlackEmulator) -> Iterator[SlowBot]:
    bot = SlowBot(slack, SHORT + SLOW)
    yield bot
    if bot.working.is_set():
        bot.finished.wait(5)  # let a late listener end before the server stops
    bot.server.stop()


def person(slack: SlackEmulator, bot: SlowBot, deadline: float = ACK_DEADLINE) -> SlackUser:
    alice = slack.user_id(ACME, "alice")
    return SlackUser(slack, bot.url, team_id=ACME, user_id=alice, ack_deadline=deadline)


def open_modal(slack: SlackEmulator, user: SlackUser) -> str:
    trigger = slack.issue_trigger_id(ACME, user.user_id)
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    return str(client.views_open(trigger_id=trigger, view=modal("New workflow"))["view"]["id"])


def test_the_driver_waits_three_seconds_like_slack(slack: SlackEmulator) -> None:
    alice = slack.user_id(ACME, "alice")
    assert SlackUser(slack, "http://127.0.0.1:9", team_id=ACME, user_id=alice).ack_deadline == 3.0
    assert ACK_DEADLINE == 3.0


def test_a_slash_command_acknowledged_after_three_seconds_is_operation_timeout(
    slack: SlackEmulator,
) -> None:
    bot = SlowBot(slack, ACK_DEADLINE + SLOW)
    try:
        sent = person(slack, bot, ACK_DEADLINE).slash("/sync", "slow")
    finally:
        bot.finished.wait(10)
        bot.server.stop()

    assert sent.timed_out is True and sent.status == 0
    assert sent.user_sees == '/sync failed with the error "operation_timeout"'
    assert sent.body == "" and sent.json is None  # "Working on it…" never reached the person


def test_the_response_url_still_works_after_a_timed_out_command(
    slack: SlackEmulator, slow_bot: SlowBot
) -> None:
    sent = person(slack, slow_bot, SHORT).slash("/sync", "slow")

    reply = slack.wait_for_response(after=0, timeout=5)

    assert sent.timed_out is True
    assert reply.body["text"] == "Finished"


def test_a_lazy_listener_acknowledges_in_time_and_replies_later(
    slack: SlackEmulator, slow_bot: SlowBot
) -> None:
    sent = person(slack, slow_bot).slash("/sync", "lazy")

    reply = slack.wait_for_response(after=0, timeout=5)

    assert (sent.timed_out, sent.user_sees, sent.status) == (False, None, 200)
    assert sent.body == "Working on it…"
    assert reply.body["text"] == "Finished"


def test_a_late_response_action_is_discarded_and_the_modal_stays_as_it_was(
    slack: SlackEmulator, slow_bot: SlowBot
) -> None:
    user = person(slack, slow_bot, SHORT)
    view_id = open_modal(slack, user)

    sent = user.submit(view_id, {"name": "slow"})
    assert slow_bot.finished.wait(5)  # the bot did answer, with response_action=update

    assert sent.timed_out is True
    assert sent.user_sees == SUBMIT_TIMED_OUT == "We had some trouble connecting. Try again?"
    assert slack.modal_stack(user.user_id) == [view_id]
    shown = slack.views()[view_id]
    assert shown["title"]["text"] == "New workflow"
    assert shown["state"]["values"]["name"]["name"]["value"] == "slow"  # still typed in


def test_a_response_action_in_time_is_applied(slack: SlackEmulator, slow_bot: SlowBot) -> None:
    user = person(slack, slow_bot)
    view_id = open_modal(slack, user)

    sent = user.submit(view_id, {"name": "quick"})

    assert (sent.timed_out, sent.user_sees, sent.status) == (False, None, 200)
    assert slack.views()[view_id]["title"]["text"] == "Saved quick"


def test_a_bot_updating_a_modal_the_person_closed_gets_not_found(
    slack: SlackEmulator, slow_bot: SlowBot
) -> None:
    user = person(slack, slow_bot)
    sent = user.slash("/sync", "loading")
    opened = slack.wait_for_call("views.open", after=sent.calls_before)
    view_id = opened.response["view"]["id"]

    user.close(view_id)
    slow_bot.may_update.set()
    slack.wait_for_call("views.update", after=sent.calls_before)

    assert slow_bot.finished.wait(5)
    assert slow_bot.update_errors == ["not_found"]
    assert slack.views()[view_id]["title"]["text"] == "Loading"
