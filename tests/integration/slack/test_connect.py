"""Connect Salesforce and Smartsheet from Slack: the link the bot posts, Sign in with Slack
(the driver goes through it as the person), the consent pages of the sandbox, the callback;
and every link that must create nothing. Links opened by someone else: test_connect_signin."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests

from handlers.ids import ActionId, BlockId
from sandbox.slack import SlackUser
from sandbox.slack.browser import read_form
from sync.services import Actor
from sync.store import repo
from tests.integration.slack.conftest import RunningBot


@pytest.fixture(autouse=True)
def _trust_the_sandbox(bot: RunningBot, alice: SlackUser) -> None:
    alice.trust_browser_ca(str(bot.box.ca_path))


def stranger() -> requests.Session:
    """A browser that is nobody's: no cookies, not signed in with Slack."""
    return requests.Session()


def connect_links(bot: RunningBot, user: SlackUser) -> dict[str, str]:
    """`/sync connect`, then the URL of each button of the ephemeral prompt."""
    before = len(bot.slack.responses)
    user.slash("/sync", "connect")
    reply = bot.slack.wait_for_response(after=before)
    buttons = [e for b in reply.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return {e["action_id"]: e["url"] for e in buttons if "url" in e}


def connections(bot: RunningBot, user: SlackUser) -> list[repo.ConnectionInfo]:
    return bot.services.connections(Actor(user.team_id, user.user_id))


def access_token(bot: RunningBot, connection_id: int) -> str:
    with bot.store.unit() as session:
        return repo.tokens(session, bot.store.cipher, connection_id).access_token


def test_connect_salesforce_end_to_end(bot: RunningBot, alice: SlackUser) -> None:
    links = connect_links(bot, alice)
    before = len(bot.slack.calls)

    done = alice.connect(
        links[ActionId.CONNECT_SALESFORCE], {"username": "alex.carter@acme-sandbox.example"}
    )

    assert done.status_code == 200, done.text
    assert alice.slack_sign_ins == 1
    assert "alex.carter@acme-sandbox.example" in done.text and "Alice Archer" in done.text
    [sf] = connections(bot, alice)
    assert sf.kind == "salesforce" and sf.username == "alex.carter@acme-sandbox.example"
    assert sf.org_id and sf.status == "active"
    dm = bot.slack.wait_for_call("chat.postMessage", after=before)
    assert "Connected alex.carter@acme-sandbox.example" in dm.response["message"]["text"]
    replaced = bot.slack.wait_for_response(after=1)
    assert "Connected" in replaced.body["text"] and replaced.body["replace_original"] is True
    bot.slack.wait_for_call("views.publish", after=before)
    assert "alex.carter" in str(bot.slack.home_view(alice.user_id))


def test_connect_smartsheet_and_reconnecting_replaces(bot: RunningBot, alice: SlackUser) -> None:
    links = connect_links(bot, alice)
    done = alice.connect(links[ActionId.CONNECT_SMARTSHEET], {"user": "owner"})
    old = access_token(bot, connections(bot, alice)[0].id)
    again = connect_links(bot, alice)
    alice.connect(again[ActionId.CONNECT_SMARTSHEET], {"user": "owner"})

    assert done.status_code == 200 and "morgan.lee@example.com" in done.text
    [ss] = connections(bot, alice)
    assert ss.kind == "smartsheet" and ss.username == "morgan.lee@example.com"
    assert access_token(bot, ss.id) != old


def test_reconnecting_the_same_salesforce_org_replaces_its_tokens(
    bot: RunningBot, alice: SlackUser
) -> None:
    who = {"username": "alex.carter@acme-sandbox.example"}
    alice.connect(connect_links(bot, alice)[ActionId.CONNECT_SALESFORCE], who)
    [first] = connections(bot, alice)
    old = access_token(bot, first.id)
    alice.connect(connect_links(bot, alice)[ActionId.CONNECT_SALESFORCE], who)

    [again] = connections(bot, alice)  # one connection for the org, not two
    assert (again.id, again.org_id, again.status) == (first.id, first.org_id, "active")
    assert access_token(bot, again.id) != old  # the new sign-in's token is the one kept


def test_a_link_works_once(bot: RunningBot, alice: SlackUser) -> None:
    link = connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET]
    alice.connect(link, {"user": "owner"})

    replay = alice.open_link(link)

    assert replay.status_code == 400 and "already used" in replay.text
    assert len(connections(bot, alice)) == 1


def test_a_tampered_link_creates_nothing(bot: RunningBot, alice: SlackUser) -> None:
    link = connect_links(bot, alice)[ActionId.CONNECT_SALESFORCE]

    forged = alice.open_link(link[:-3] + "xyz")
    wrong_service = alice.open_link(link.replace("/salesforce/", "/smartsheet/"))

    assert forged.status_code == 400 and "not one syncbot made" in forged.text
    assert wrong_service.status_code == 400 and "another service" in wrong_service.text
    assert connections(bot, alice) == []


def test_an_expired_link_creates_nothing(bot: RunningBot, alice: SlackUser) -> None:
    link = connect_links(bot, alice)[ActionId.CONNECT_SALESFORCE]
    real = bot.services.links.clock
    late = type("Late", (), {"now": lambda self: real.now() + timedelta(minutes=11)})()
    bot.services.links.clock = late  # type: ignore[assignment]

    answer = alice.open_link(link)

    assert answer.status_code == 400 and "expired" in answer.text
    assert connections(bot, alice) == []


def test_a_callback_finished_in_another_browser_creates_nothing(
    bot: RunningBot, alice: SlackUser
) -> None:
    """Someone who got hold of the provider redirect (state + code) cannot finish it."""
    link = connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET]
    page = alice.open_link(link)
    action, fields = read_form(page.text, page.url)
    fields.update({"user": "owner", "decision": "allow"})
    redirect = alice.session.post(action, data=fields, allow_redirects=False, timeout=30)
    callback = urljoin(redirect.url, redirect.headers["Location"])

    stolen = stranger().get(callback, allow_redirects=False, timeout=30)

    assert parse_qs(urlparse(callback).query)["state"]
    assert stolen.status_code == 400 and "another browser" in stolen.text
    assert connections(bot, alice) == []


def test_an_org_without_api_access_is_explained(bot: RunningBot, alice: SlackUser) -> None:
    links = connect_links(bot, alice)
    bot.box.salesforce.control.inject(
        "describe.global",
        status=403,
        body=[
            {
                "errorCode": "API_DISABLED_FOR_ORG",
                "message": "API is not enabled for this Organization or Partner",
            }
        ],
    )

    done = alice.connect(
        links[ActionId.CONNECT_SALESFORCE], {"username": "alex.carter@acme-sandbox.example"}
    )

    assert done.status_code == 400
    assert "no API access" in done.text and "Enterprise" in done.text
    assert connections(bot, alice) == []


def test_disconnect_revokes_and_pauses_its_workflows(bot: RunningBot, alice: SlackUser) -> None:
    wf = bot.workflow(alice.user_id)
    sf = next(c for c in connections(bot, alice) if c.kind == "salesforce")
    token = bot.box.salesforce.token_for("admin")
    alice.slash("/sync", "connect")
    bot.slack.wait_for_response()

    alice.click(ActionId.DISCONNECT, value=str(sf.id))
    reply = bot.slack.wait_for_response(after=1)

    assert (
        "Disconnected" in reply.body["text"] and "1 workflow using it paused" in reply.body["text"]
    )
    assert bot.services.summary(Actor(alice.team_id, alice.user_id, True), wf).status == "paused"
    assert bot.box.salesforce.control.count("oauth.revoke") == 1
    del token


def test_my_domain_modal_refuses_other_hosts_and_links_to_a_my_domain(
    bot: RunningBot, alice: SlackUser
) -> None:
    connect_links(bot, alice)
    opened = alice.click(ActionId.CONNECT_SALESFORCE_DOMAIN)
    modal = bot.slack.wait_for_call("views.open", after=opened.calls_before).response["view"]

    refused = alice.submit(modal["id"], {"domain": "login.acme.example"})

    assert refused.json["response_action"] == "errors"
    error = refused.json["errors"][BlockId.DOMAIN]
    assert "is not a Salesforce My Domain" in error and "acme.my.salesforce.com" in error
    assert bot.slack.modal_stack(alice.user_id) != []  # the modal stays, with the error

    before = len(bot.slack.calls)
    accepted = alice.submit(modal["id"], {"domain": "https://Acme.my.salesforce.com/home"})
    posted = bot.slack.wait_for_call("chat.postEphemeral", after=before)

    assert accepted.status == 200 and bot.slack.modal_stack(alice.user_id) == []
    blocks = posted.args["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert "Sign in at *acme.my.salesforce.com*" in str(blocks)
    (url,) = [b["accessory"]["url"] for b in blocks if "url" in b.get("accessory", {})]
    token = parse_qs(urlparse(url).query)["t"][0]
    link = bot.services.links.peek(token, "salesforce")
    assert link.login_url == "https://acme.my.salesforce.com" and link.user_id == alice.user_id
