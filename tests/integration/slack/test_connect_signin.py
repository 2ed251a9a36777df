"""A connect link works only for the Slack user it was made for: whoever opens it signs in
with Slack (OpenID Connect) first. Someone else gets a page saying so, nothing is stored,
no DM goes out, and the link still works for its owner. The sign-in is remembered in a
signed cookie (12 h); a forged, replayed or mixed-up sign-in creates nothing."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
import yaml

from bot.oauth.signin import SESSION_COOKIE, SIGNIN_SCOPES
from handlers.ids import ActionId
from sandbox.slack import SlackUser
from sandbox.slack.browser import read_form
from tests.integration.slack.conftest import GLOBEX, RunningBot
from tests.integration.slack.test_connect import connect_links, connections

SALESFORCE = {"username": "alex.carter@acme-sandbox.example"}
SMARTSHEET = {"user": "owner"}
MANIFEST = yaml.safe_load((Path(__file__).parents[3] / "app_manifest.yml").read_text())


@pytest.fixture(autouse=True)
def _trust_the_sandbox(bot: RunningBot, alice: SlackUser) -> None:
    alice.trust_browser_ca(str(bot.box.ca_path))


def person(bot: RunningBot, name: str, team: str | None = None) -> SlackUser:
    someone = bot.user(name, team) if team else bot.user(name)
    someone.trust_browser_ca(str(bot.box.ca_path))
    return someone


def dms_since(bot: RunningBot, before: int) -> int:
    return sum(1 for c in bot.slack.calls[before:] if c.method == "chat.postMessage")


def until_slack_sends_back(user: SlackUser, link: str) -> str:
    """Open the link and sign in on Slack's page, but stop before the bot's identity
    callback: the URL Slack sends the browser to (code + state)."""
    to_slack = user.session.get(link, allow_redirects=False, timeout=30)
    page = user.session.get(to_slack.headers["Location"], timeout=30)
    action, fields = read_form(page.text, page.url)
    fields |= {"team_id": user.team_id, "user_id": user.user_id, "decision": "allow"}
    back = user.session.post(action, data=fields, allow_redirects=False, timeout=30)
    return urljoin(action, back.headers["Location"])


def with_state(identity_url: str, state: str) -> str:
    query = parse_qs(urlparse(identity_url).query)
    return identity_url.split("?")[0] + f"?code={query['code'][0]}&state={state}"


def state_of_a_new_sign_in(user: SlackUser, link: str) -> str:
    to_slack = user.session.get(link, allow_redirects=False, timeout=30)
    assert (
        to_slack.status_code == 302 and "/openid/connect/authorize" in to_slack.headers["Location"]
    )
    return parse_qs(urlparse(to_slack.headers["Location"]).query)["state"][0]


# -- another person's link ---------------------------------------------------------------
def test_someone_elses_link_is_refused_and_then_works_for_its_owner(
    bot: RunningBot, alice: SlackUser
) -> None:
    carol = person(bot, "carol")
    link = connect_links(bot, alice)[ActionId.CONNECT_SALESFORCE]
    before = len(bot.slack.calls)

    refused = carol.connect(link, SALESFORCE)

    assert refused.status_code == 403
    assert "This link was made for another Slack user" in refused.text
    assert "signed in with Slack as <b>Carol Chen</b> in Acme" in refused.text
    assert "/sync connect" in refused.text and "yourself" in refused.text
    assert connections(bot, alice) == [] and connections(bot, carol) == []
    assert dms_since(bot, before) == 0
    assert bot.box.salesforce.control.count("oauth.authorize") == 0  # never reached consent

    done = alice.connect(link, SALESFORCE)

    assert done.status_code == 200 and "alex.carter@acme-sandbox.example" in done.text
    assert "for <b>Alice Archer (Acme)</b> in Slack" in done.text  # her name, not her user id
    assert [c.username for c in connections(bot, alice)] == ["alex.carter@acme-sandbox.example"]
    assert connections(bot, carol) == []


def test_a_user_of_another_workspace_is_refused(bot: RunningBot, alice: SlackUser) -> None:
    erin = person(bot, "erin", GLOBEX)
    link = connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET]
    before = len(bot.slack.calls)

    refused = erin.connect(link, SMARTSHEET)

    assert refused.status_code == 403 and "Erin Evans</b> in Globex" in refused.text
    assert connections(bot, alice) == [] and connections(bot, erin) == []
    assert dms_since(bot, before) == 0
    assert bot.box.smartsheet.control.count("oauth.authorize") == 0


def test_a_signed_in_user_opening_someone_elses_link_signs_in_again(
    bot: RunningBot, alice: SlackUser
) -> None:
    """Carol's browser remembers Carol; Alice's link asks Slack again (a shared browser
    may now be Alice's) and, still Carol, gets the refusal."""
    carol = person(bot, "carol")
    carol.connect(connect_links(bot, carol)[ActionId.CONNECT_SMARTSHEET], SMARTSHEET)

    refused = carol.connect(connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET], SMARTSHEET)

    assert refused.status_code == 403 and carol.slack_sign_ins == 2
    assert connections(bot, alice) == [] and len(connections(bot, carol)) == 1


# -- the remembered sign-in ------------------------------------------------------------
def test_a_second_connect_does_not_sign_in_again(bot: RunningBot, alice: SlackUser) -> None:
    alice.connect(connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET], SMARTSHEET)

    alice.connect(connect_links(bot, alice)[ActionId.CONNECT_SALESFORCE], SALESFORCE)

    assert alice.slack_sign_ins == 1
    assert bot.slack.control.count("openid.connect.token") == 1
    assert sorted(c.kind for c in connections(bot, alice)) == ["salesforce", "smartsheet"]
    [cookie] = [c for c in alice.session.cookies if c.name == SESSION_COOKIE]
    assert cookie.has_nonstandard_attr("HttpOnly") and cookie.path == "/connect/"


def test_an_edited_cookie_is_not_believed(bot: RunningBot, alice: SlackUser) -> None:
    """Carol rewrites her session cookie to say she is Alice: the signature fails, Slack is
    asked again, and Carol is still Carol."""
    carol = person(bot, "carol")
    carol.connect(connect_links(bot, carol)[ActionId.CONNECT_SMARTSHEET], SMARTSHEET)
    [cookie] = [c for c in carol.session.cookies if c.name == SESSION_COOKIE]
    body, mac = cookie.value.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["user"] = alice.user_id
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    cookie.value = f"{forged}.{mac}"

    refused = carol.connect(connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET], SMARTSHEET)

    assert refused.status_code == 403 and carol.slack_sign_ins == 2
    assert connections(bot, alice) == []


def test_an_expired_sign_in_asks_slack_again(bot: RunningBot, alice: SlackUser) -> None:
    alice.connect(connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET], SMARTSHEET)
    real = bot.services.links.clock
    late = type("Late", (), {"now": lambda self: real.now() + timedelta(hours=13)})()
    bot.services.links.clock = late  # type: ignore[assignment]

    done = alice.connect(connect_links(bot, alice)[ActionId.CONNECT_SALESFORCE], SALESFORCE)

    assert done.status_code == 200 and alice.slack_sign_ins == 2


def test_the_provider_callback_checks_the_sign_in_again(bot: RunningBot, alice: SlackUser) -> None:
    """Signed out (the cookie gone) between consent and callback: nothing is stored."""
    page = alice.open_link(connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET])
    action, fields = read_form(page.text, page.url)
    alice.session.cookies.clear(
        domain=urlparse(bot.url).hostname, path="/connect/", name=SESSION_COOKIE
    )
    before = len(bot.slack.calls)

    done = alice.session.post(action, data=fields | SMARTSHEET | {"decision": "allow"}, timeout=30)

    assert done.status_code == 400 and "no longer signed in with Slack" in done.text
    assert connections(bot, alice) == [] and dms_since(bot, before) == 0


# -- forged and replayed sign-ins ----------------------------------------------------------
def test_a_forged_state_at_the_identity_callback_creates_nothing(
    bot: RunningBot, alice: SlackUser
) -> None:
    link = connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET]
    back = until_slack_sends_back(alice, link)

    forged = alice.session.get(with_state(back, "forged-state"), timeout=30)

    assert forged.status_code == 400 and "not one syncbot started" in forged.text
    assert bot.slack.control.count("openid.connect.token") == 0
    assert connections(bot, alice) == []


def test_a_sign_in_finished_in_another_browser_creates_nothing(
    bot: RunningBot, alice: SlackUser
) -> None:
    back = until_slack_sends_back(alice, connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET])

    stolen = requests.get(back, timeout=30)

    assert stolen.status_code == 400 and "not started in this browser" in stolen.text
    assert bot.slack.control.count("openid.connect.token") == 0


def test_a_replayed_code_creates_nothing(bot: RunningBot, alice: SlackUser) -> None:
    carol = person(bot, "carol")
    back = until_slack_sends_back(carol, connect_links(bot, carol)[ActionId.CONNECT_SMARTSHEET])
    assert carol.open_link(back).status_code == 200  # Carol's own sign-in, used once
    second = connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET]

    replay = alice.session.get(with_state(back, state_of_a_new_sign_in(alice, second)), timeout=30)

    assert replay.status_code == 400 and "invalid_code" in replay.text
    assert alice.connect(second, SMARTSHEET).status_code == 200  # the link survived


def test_a_stolen_unused_code_does_not_sign_in_as_its_owner(
    bot: RunningBot, alice: SlackUser
) -> None:
    """Carol puts Alice's fresh code into her own sign-in: the nonce does not match."""
    carol = person(bot, "carol")
    alices = until_slack_sends_back(alice, connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET])
    own = connect_links(bot, carol)[ActionId.CONNECT_SMARTSHEET]

    injected = carol.session.get(with_state(alices, state_of_a_new_sign_in(carol, own)), timeout=30)

    assert injected.status_code == 400 and "did not say who signed in" in injected.text
    assert [c.name for c in carol.session.cookies if c.name == SESSION_COOKIE] == []
    assert connections(bot, alice) == [] and connections(bot, carol) == []


def test_a_cancelled_sign_in_keeps_the_link(bot: RunningBot, alice: SlackUser) -> None:
    link = connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET]
    to_slack = alice.session.get(link, allow_redirects=False, timeout=30)
    page = alice.session.get(to_slack.headers["Location"], timeout=30)
    action, fields = read_form(page.text, page.url)
    back = alice.session.post(action, data=fields | {"decision": "deny"}, allow_redirects=False)

    cancelled = alice.session.get(urljoin(action, back.headers["Location"]), timeout=30)

    assert cancelled.status_code == 400 and "cancelled" in cancelled.text
    assert alice.connect(link, SMARTSHEET).status_code == 200


# -- the Slack app's configuration -----------------------------------------------------------
def test_the_manifest_declares_sign_in_with_slack() -> None:
    oauth = MANIFEST["oauth_config"]
    assert set(oauth["scopes"]["user"]) == set(SIGNIN_SCOPES)
    assert any(u.endswith("/connect/slack/identity") for u in oauth["redirect_urls"])


# -- what Slack answers ------------------------------------------------------------------------
def test_without_an_id_token_user_info_says_who_it_is(bot: RunningBot, alice: SlackUser) -> None:
    """A token answer without id_token: openid.connect.userInfo names the person (Carol)."""
    carol = person(bot, "carol")
    token = bot.slack.state.issue_user_token(alice.team_id, carol.user_id, SIGNIN_SCOPES)
    answer = {"ok": True, "access_token": token.value, "token_type": "Bearer"}
    bot.slack.control.inject("openid.connect.token", status=200, body=answer)

    refused = carol.connect(connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET], SMARTSHEET)

    assert refused.status_code == 403 and "Carol Chen" in refused.text
    assert bot.slack.control.count("openid.connect.userInfo") == 1
    assert connections(bot, alice) == []


def test_slack_failing_the_exchange_is_explained(bot: RunningBot, alice: SlackUser) -> None:
    link = connect_links(bot, alice)[ActionId.CONNECT_SMARTSHEET]
    bot.slack.control.inject("openid.connect.token", status=500)

    failed = alice.connect(link, SMARTSHEET)

    assert failed.status_code == 400 and "Slack did not accept this sign-in" in failed.text
    assert alice.connect(link, SMARTSHEET).status_code == 200  # the link survived
