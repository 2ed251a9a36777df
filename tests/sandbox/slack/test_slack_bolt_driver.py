"""SlackUser against a real minimal Bolt app: install, command, modal, actions, Home tab.

The bot is slack_bolt's App with OAuth (SQLAlchemy installation and state stores on SQLite),
served over loopback by its own WSGI adapter; it reaches the emulator with a real WebClient.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from slack_bolt import Ack, App, Respond
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_support import FakeClock

from sandbox.server import BackgroundServer
from sandbox.slack import SlackEmulator, SlackUser

ACME = "T0SANDBOX1"
OBJECTS = ["Account", "Contact", "Opportunity", "Case", "Lead"]


def text(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value}


CREATE_VIEW: dict[str, Any] = {
    "type": "modal",
    "callback_id": "create",
    "notify_on_close": True,
    "title": text("New workflow"),
    "submit": text("Save"),
    "close": text("Cancel"),
    "blocks": [
        {
            "type": "input",
            "block_id": "name",
            "label": text("Name"),
            "element": {"type": "plain_text_input", "action_id": "name"},
        },
        {
            "type": "input",
            "block_id": "object",
            "label": text("Salesforce object"),
            "element": {"type": "external_select", "action_id": "object", "min_query_length": 0},
        },
        {
            "type": "section",
            "block_id": "more",
            "text": {"type": "mrkdwn", "text": "Filters?"},
            "accessory": {
                "type": "button",
                "action_id": "add_filter",
                "text": text("Add"),
                "value": "filter",
            },
        },
    ],
}
HOME_VIEW: dict[str, Any] = {
    "type": "home",
    "blocks": [
        {
            "type": "actions",
            "elements": [
                {"type": "button", "action_id": "refresh", "text": text("Refresh"), "value": "r"}
            ],
        }
    ],
}
DM_BLOCKS: list[dict[str, Any]] = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "Workflow 7 failed"}},
    {
        "type": "actions",
        "elements": [
            {"type": "button", "action_id": "dismiss", "text": text("Dismiss"), "value": "7"}
        ],
    },
]


def register(app: App, seen: list[tuple[Any, ...]]) -> None:
    def ack_sync(ack: Ack, command: dict[str, Any]) -> None:
        if command["text"] == "create":
            ack("Opening…")
        else:
            ack()

    def run_sync(command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        if command["text"] == "create":
            client.views_open(trigger_id=command["trigger_id"], view=CREATE_VIEW)
        else:
            respond("Usage: /sync create")

    app.command("/sync")(ack=ack_sync, lazy=[run_sync])

    @app.options("object")
    def objects(ack: Ack, payload: dict[str, Any]) -> None:
        typed = payload["value"].lower()
        ack(options=[{"text": text(o), "value": o} for o in OBJECTS if typed in o.lower()])

    @app.view("create")
    def save(ack: Ack, view: dict[str, Any], body: dict[str, Any]) -> None:
        values = view["state"]["values"]
        name = values["name"]["name"]["value"]
        if name == "bad":
            ack(response_action="errors", errors={"name": "Pick another name"})
            return
        picked = values["object"]["object"]["selected_option"]["value"]
        seen.append(("saved", name, picked, body["user"]["id"]))
        ack()

    @app.view_closed("create")
    def closed(ack: Ack, body: dict[str, Any]) -> None:
        seen.append(("closed", body["view"]["id"]))
        ack()

    @app.action("add_filter")
    def add_filter(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        view = {**CREATE_VIEW, "title": text("Filters")}
        client.views_update(view_id=body["view"]["id"], hash=body["view"]["hash"], view=view)

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view=HOME_VIEW)

    @app.action("refresh")
    def refresh(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text="Refreshed", blocks=DM_BLOCKS)

    @app.action("dismiss")
    def dismiss(ack: Ack, respond: Respond) -> None:
        ack()
        respond(replace_original=True, text="Dismissed")


class Bot:
    """The Bolt app, served on a free port; the WSGI handler is bound once the URL is known."""

    def __init__(self, slack: SlackEmulator, db: Path) -> None:
        self.server = BackgroundServer(self)
        self.url = self.server.url
        self.seen: list[tuple[Any, ...]] = []
        engine = sqlalchemy.create_engine(f"sqlite:///{db}")
        self.installations = SQLAlchemyInstallationStore(client_id=slack.client_id, engine=engine)
        self.installations.create_tables()
        states = SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine)
        states.create_tables()
        app = App(
            signing_secret=slack.signing_secret,
            client=WebClient(base_url=slack.api_url),
            oauth_settings=OAuthSettings(
                client_id=slack.client_id,
                client_secret=slack.client_secret,
                scopes=["commands", "chat:write", "im:write", "users:read"],
                redirect_uri=self.url + "/slack/oauth_redirect",
                installation_store=self.installations,
                state_store=states,
                authorization_url=slack.authorize_url,
            ),
        )
        register(app, self.seen)
        self._handler: Callable[..., Any] = SlackRequestHandler(app)
        self.server.start()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        return self._handler(environ, start_response)


@pytest.fixture(scope="module")
def bot(
    _served: tuple[SlackEmulator, FakeClock], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bot]:
    served = Bot(_served[0], tmp_path_factory.mktemp("bolt") / "bot.db")
    yield served
    served.server.stop()


@pytest.fixture
def user(slack: SlackEmulator, bot: Bot, alice: str) -> SlackUser:
    """Alice, with the app freshly installed into Acme through the browser flow."""
    bot.seen.clear()
    person = SlackUser(slack, bot.url + "/slack/events", team_id=ACME, user_id=alice)
    assert person.install(bot.url + "/slack/install").status == 200
    return person


def open_create_modal(slack: SlackEmulator, user: SlackUser) -> str:
    sent = user.slash("/sync", "create")
    assert sent.status == 200 and sent.body == "Opening…"
    call = slack.wait_for_call("views.open", after=sent.calls_before)
    assert call.response["ok"] is True, call.response
    return str(call.response["view"]["id"])


def test_install_walks_the_browser_flow_and_stores_the_bot(
    slack: SlackEmulator, bot: Bot, alice: str
) -> None:
    person = SlackUser(slack, bot.url + "/slack/events", team_id=ACME, user_id=alice)

    done = person.install(bot.url + "/slack/install")

    assert done.status == 200
    installation = bot.installations.find_installation(enterprise_id=None, team_id=ACME)
    assert installation is not None
    assert installation.bot_token == slack.bot_token_for(ACME)
    assert installation.bot_id == slack.teams[ACME].bot_id
    assert installation.user_id == alice
    assert [c.method for c in slack.calls[done.calls_before :]] == ["oauth.v2.access", "auth.test"]


def test_a_slash_command_opens_a_modal_through_a_lazy_listener(
    slack: SlackEmulator, user: SlackUser
) -> None:
    view_id = open_create_modal(slack, user)

    assert slack.modal_stack(user.user_id) == [view_id]
    assert slack.views()[view_id]["callback_id"] == "create"


def test_a_command_reply_goes_through_the_response_url(
    slack: SlackEmulator, user: SlackUser
) -> None:
    sent = user.slash("/sync", "help")

    reply = slack.wait_for_response()
    assert sent.status == 200
    assert reply.body["text"] == "Usage: /sync create"
    assert [m["text"] for m in slack.ephemerals(user.user_id)] == ["Usage: /sync create"]


def test_suggestions_and_a_submission_reach_the_bot(
    slack: SlackEmulator, user: SlackUser, bot: Bot
) -> None:
    view_id = open_create_modal(slack, user)

    offered = user.suggest("object", "opp", view_id=view_id)
    saved = user.submit(view_id, {"name": "Won deals", "object": "Opportunity"})

    assert [o["value"] for o in offered.json["options"]] == ["Opportunity"]
    assert saved.status == 200
    assert bot.seen == [("saved", "Won deals", "Opportunity", user.user_id)]
    assert slack.modal_stack(user.user_id) == []


def test_validation_errors_keep_the_modal_open(
    slack: SlackEmulator, user: SlackUser, bot: Bot
) -> None:
    view_id = open_create_modal(slack, user)

    answer = user.submit(view_id, {"name": "bad", "object": "Case"})

    assert answer.json == {"response_action": "errors", "errors": {"name": "Pick another name"}}
    assert slack.modal_stack(user.user_id) == [view_id]
    assert bot.seen == []


def test_a_required_input_cannot_be_left_empty(slack: SlackEmulator, user: SlackUser) -> None:
    view_id = open_create_modal(slack, user)

    with pytest.raises(ValueError, match="required input"):
        user.submit(view_id, {"name": "Only a name"})


def test_a_button_in_the_modal_lets_the_bot_update_it(
    slack: SlackEmulator, user: SlackUser
) -> None:
    view_id = open_create_modal(slack, user)

    clicked = user.click("add_filter", view_id=view_id)
    update = slack.wait_for_call("views.update", after=clicked.calls_before)

    assert clicked.status == 200
    assert update.response["ok"] is True, update.response
    assert slack.views()[view_id]["title"]["text"] == "Filters"


def test_closing_tells_the_bot_when_it_asked_to_know(
    slack: SlackEmulator, user: SlackUser, bot: Bot
) -> None:
    view_id = open_create_modal(slack, user)

    closed = user.close(view_id)

    assert closed.status == 200
    assert bot.seen == [("closed", view_id)]
    assert slack.modal_stack(user.user_id) == []


def test_home_tab_button_and_dm_button(slack: SlackEmulator, user: SlackUser) -> None:
    opened = user.open_home()
    slack.wait_for_call("views.publish", after=opened.calls_before)
    refreshed = user.click("refresh")
    posted = slack.wait_for_call("chat.postMessage", after=refreshed.calls_before)

    user.click("dismiss", message_ts=posted.response["ts"])
    reply = slack.wait_for_response()

    assert opened.status == 200 and refreshed.status == 200
    assert reply.source == "block_actions" and reply.message_ts == posted.response["ts"]
    assert [m["text"] for m in slack.messages(user.user_id)] == ["Dismissed"]


def test_a_request_signed_with_the_wrong_secret_is_refused(
    slack: SlackEmulator, bot: Bot, user: SlackUser
) -> None:
    impostor = SlackUser(
        slack,
        bot.url + "/slack/events",
        team_id=ACME,
        user_id=user.user_id,
        signing_secret="not-the-secret",
    )

    answer = impostor.slash("/sync", "create")

    assert answer.status == 401
    assert slack.calls_to("views.open") == []


def test_each_workspace_installs_and_works_on_its_own(
    slack: SlackEmulator, bot: Bot, user: SlackUser
) -> None:
    erin = SlackUser(
        slack,
        bot.url + "/slack/events",
        team_id="T0SANDBOX2",
        user_id=slack.user_id("T0SANDBOX2", "erin"),
    )
    assert erin.channel_id == "C0GENERAL2"

    assert erin.install(bot.url + "/slack/install").status == 200
    sent = erin.slash("/sync", "create")
    opened = slack.wait_for_call("views.open", after=sent.calls_before)

    assert opened.team_id == "T0SANDBOX2" and opened.token == slack.bot_token_for("T0SANDBOX2")
    assert slack.modal_stack(erin.user_id) == [opened.response["view"]["id"]]
    assert slack.modal_stack(user.user_id) == []
    acme = bot.installations.find_installation(enterprise_id=None, team_id=ACME)
    assert acme is not None and acme.bot_token == slack.bot_token_for(ACME)
