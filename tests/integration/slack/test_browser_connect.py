"""One browser test: Chromium (Debian's, driven by Playwright) opens the connect links the
bot posted in Slack, signs in with Slack once (the sandbox's Sign in with Slack page; the
second link remembers it), goes through the sandbox's Salesforce and Smartsheet consent pages,
and lands on syncbot's success page; the connection is stored and the DM sent. Each page
is saved as a screenshot (in the test's tmp dir, path printed)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from handlers.ids import ActionId
from sandbox.slack import SlackUser
from sync.services import Actor
from tests.integration.slack.conftest import RunningBot

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api")
# .ci/run installs chromium; in CI a missing browser is a failure, not a quiet skip.
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
    reason="no chromium installed (apt-get install chromium)",
)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        # The sandbox's Salesforce speaks HTTPS with a test CA Chromium does not know.
        context = browser.new_context(ignore_https_errors=True)
        yield context.new_page()
        context.close()
        browser.close()


def posted_links(bot: RunningBot, user: SlackUser) -> dict[str, str]:
    user.slash("/sync", "connect")
    reply = bot.slack.wait_for_response()
    elements = [e for b in reply.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return {e["action_id"]: e["url"] for e in elements if "url" in e}


def test_connect_both_services_in_a_real_browser(
    bot: RunningBot, alice: SlackUser, page: Any, tmp_path: Path
) -> None:
    links = posted_links(bot, alice)

    page.goto(links[ActionId.CONNECT_SALESFORCE])
    page.screenshot(path=str(tmp_path / "0-sign-in-with-slack.png"))
    signin_page = page.content()
    page.select_option("select[name='team_id']", alice.team_id)
    page.select_option("select[name='user_id']", alice.user_id)
    page.click("button[value='allow']")
    page.wait_for_load_state()
    page.screenshot(path=str(tmp_path / "1-salesforce-consent.png"))
    page.check("input[value='alex.carter@acme-sandbox.example']")
    page.click("button[value='allow']")
    page.wait_for_load_state()
    page.screenshot(path=str(tmp_path / "2-salesforce-connected.png"))
    salesforce_page = page.content()

    page.goto(links[ActionId.CONNECT_SMARTSHEET])  # signed in already: straight to consent
    page.screenshot(path=str(tmp_path / "3-smartsheet-consent.png"))
    smartsheet_consent_url = page.url
    page.check("input[value='owner']")
    page.click("button[value='allow']")
    page.wait_for_load_state()
    page.screenshot(path=str(tmp_path / "4-smartsheet-connected.png"))
    smartsheet_page = page.content()
    print("screenshots in", tmp_path)

    assert "Sign in to syncbot with Slack" in signin_page
    assert smartsheet_consent_url.startswith(bot.box.smartsheet.base_url)
    assert (
        "Salesforce connected" in salesforce_page
        and "alex.carter@acme-sandbox.example" in salesforce_page
    )
    assert "Smartsheet connected" in smartsheet_page and "morgan.lee@example.com" in smartsheet_page
    kinds = sorted(c.kind for c in bot.services.connections(Actor(alice.team_id, alice.user_id)))
    assert kinds == ["salesforce", "smartsheet"]
    dms = [m["text"] for m in bot.slack.messages(bot.slack.dm_channel(alice.user_id))]
    assert any("alex.carter@acme-sandbox.example" in t for t in dms)
    assert any("morgan.lee@example.com" in t for t in dms)
    assert len(list(tmp_path.glob("*.png"))) == 5
