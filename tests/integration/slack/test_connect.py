"""Connect Salesforce and Smartsheet from Slack: the link the bot posts, the consent pages of
the sandbox, the callback; and every link that must create nothing."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests

from handlers.ids import ActionId
from sandbox.slack import SlackUser
from sandbox.slack.browser import read_form, trust_loopback
from sync.services import Actor
from sync.store import repo
from tests.integration.slack.conftest import RunningBot


class Browser:
    """A person's browser: keeps cookies, follows redirects by hand."""

    ca: str | bool = True  # the sandbox's CA, set by the fixture below

    def __init__(self) -> None:
        self.session = requests.Session()
        self.session.verify = Browser.ca
        self.session.trust_env = False  # REQUESTS_CA_BUNDLE would override verify

    def get(self, url: str) -> requests.Response:
        response = self.session.get(url, allow_redirects=False, timeout=30)
        trust_loopback(self.session.cookies)
        return response

    def follow(self, response: requests.Response) -> requests.Response:
        while response.is_redirect:
            response = self.get(urljoin(response.url, response.headers["Location"]))
        return response

    def consent(self, start_url: str, choice: dict[str, str]) -> requests.Response:
        """Open the link, pick the account on the provider's page, Allow, land back."""
        page = self.follow(self.get(start_url))
        assert page.status_code == 200, page.text
        action, fields = read_form(page.text, page.url)
        fields.update(choice | {"decision": "allow"})
        answer = self.session.post(action, data=fields, allow_redirects=False, timeout=30)
        return self.follow(answer)


@pytest.fixture(autouse=True)
def _trust_the_sandbox(bot: RunningBot) -> None:
    Browser.ca = str(bot.box.ca_path)


def connect_links(bot: RunningBot, user: SlackUser) -> dict[str, str]:
    """`/sync connect`, then the URL of each button of the ephemeral prompt."""
    before = len(bot.slack.responses)
    user.slash("/sync", "connect")
    reply = bot.slack.wait_for_response(after=before)
    buttons = [e for b in reply.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return {e["action_id"]: e["url"] for e in buttons if "url" in e}


def connections(bot: RunningBot, user: SlackUser) -> list[repo.ConnectionInfo]:
    return bot.services.connections(Actor(user.team_id, user.user_id))


def test_connect_salesforce_end_to_end(bot: RunningBot, alice: SlackUser) -> None:
    links = connect_links(bot, alice)
    before = len(bot.slack.calls)

    done = Browser().consent(
        links[ActionId.CONNECT_SALESFORCE], {"username": "alex.carter@acme-sandbox.example"}
    )

    assert done.status_code == 200, done.text
    assert "alex.carter@acme-sandbox.example" in done.text and alice.user_id in done.text
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
    done = Browser().consent(links[ActionId.CONNECT_SMARTSHEET], {"user": "owner"})
    again = connect_links(bot, alice)
    Browser().consent(again[ActionId.CONNECT_SMARTSHEET], {"user": "owner"})

    assert done.status_code == 200 and "morgan.lee@example.com" in done.text
    [ss] = connections(bot, alice)
    assert ss.kind == "smartsheet" and ss.username == "morgan.lee@example.com"


def test_a_link_works_once(bot: RunningBot, alice: SlackUser) -> None:
    link = connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET]
    Browser().consent(link, {"user": "owner"})

    replay = Browser().get(link)

    assert replay.status_code == 400 and "already used" in replay.text
    assert len(connections(bot, alice)) == 1


def test_a_tampered_link_creates_nothing(bot: RunningBot, alice: SlackUser) -> None:
    link = connect_links(bot, alice)[ActionId.CONNECT_SALESFORCE]

    forged = Browser().get(link[:-3] + "xyz")
    wrong_service = Browser().get(link.replace("/salesforce/", "/smartsheet/"))

    assert forged.status_code == 400 and "not one syncbot made" in forged.text
    assert wrong_service.status_code == 400 and "another service" in wrong_service.text
    assert connections(bot, alice) == []


def test_an_expired_link_creates_nothing(bot: RunningBot, alice: SlackUser) -> None:
    link = connect_links(bot, alice)[ActionId.CONNECT_SALESFORCE]
    real = bot.services.links.clock
    late = type("Late", (), {"now": lambda self: real.now() + timedelta(minutes=11)})()
    bot.services.links.clock = late  # type: ignore[assignment]

    answer = Browser().get(link)

    assert answer.status_code == 400 and "expired" in answer.text
    assert connections(bot, alice) == []


def test_a_callback_finished_in_another_browser_creates_nothing(
    bot: RunningBot, alice: SlackUser
) -> None:
    """Someone who got hold of the provider redirect (state + code) cannot finish it."""
    link = connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET]
    victim = Browser()
    page = victim.follow(victim.get(link))
    action, fields = read_form(page.text, page.url)
    fields.update({"user": "owner", "decision": "allow"})
    redirect = victim.session.post(action, data=fields, allow_redirects=False, timeout=30)
    callback = urljoin(redirect.url, redirect.headers["Location"])

    stolen = Browser().get(callback)

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

    done = Browser().consent(
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
