"""The workspace page over HTTP, on a Sandbox the real SDK has posted to: the page, the
fragment its script polls (ETag / 304), and the counts in state.json."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
from slack_sdk import WebClient

from sandbox.runner import Sandbox

ACME = "T0SANDBOX1"


@dataclass
class Seeded:
    box: Sandbox
    bot: WebClient
    alice: str
    sheet_id: int
    record_id: str


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def section(text: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.fixture(scope="module")
def seeded() -> Iterator[Seeded]:
    with Sandbox(salesforce_size=5, smartsheet_size=5) as box:
        bot = WebClient(token=box.slack.bot_token, base_url=box.slack.api_url)
        alice = box.slack.user_id(ACME, "alice")
        bot.chat_postMessage(
            channel=alice, text="Connected", blocks=[section("✅ Connected *alex@acme*")]
        )
        bot.chat_postEphemeral(channel="C0GENERAL1", user=alice, text="Only for _Alice_")
        bot.views_publish(
            user_id=alice, view={"type": "home", "blocks": [section("*Your workflows* (1)")]}
        )
        with box.slack.lock:  # what a click on a button hands the app
            trigger = box.slack.state.triggers.issue(ACME, alice)
        bot.views_open(
            trigger_id=trigger,
            view={"type": "modal", "title": plain("Saved"), "blocks": [section("Deals saved")]},
        )
        sheet_id = box.smartsheet.create_sheet(
            "Opportunities", [{"title": "Deal", "type": "TEXT_NUMBER", "primary": True}]
        )
        box.smartsheet.add_row(sheet_id, {"Deal": "Viewer test deal <b>"})
        record_id = box.salesforce.insert(
            "Opportunity",
            {"Name": "Viewer Opportunity", "StageName": "Prospecting", "CloseDate": "2026-12-31"},
        )
        yield Seeded(box, bot, alice, sheet_id, record_id)


def get(seeded: Seeded, path: str, **headers: str) -> requests.Response:
    return requests.get(seeded.box.viewer_url + path, headers=headers, timeout=10)


def test_the_page_shows_the_dm_home_modal_sheet_and_records(seeded: Seeded) -> None:
    response = get(seeded, "")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    page = response.text
    assert "Connected <b>alex@acme</b>" in page
    assert "Only visible to you" in page and "Only for <i>Alice</i>" in page
    assert "<b>Your workflows</b> (1)" in page
    assert '<div class="modal-title">Saved</div>' in page
    assert "<td>Viewer test deal &lt;b&gt;</td>" in page
    assert f"<td>{seeded.record_id}</td><td>Viewer Opportunity</td>" in page


def test_the_page_loads_nothing_from_elsewhere_and_runs_only_its_own_script(
    seeded: Seeded,
) -> None:
    response = get(seeded, "")

    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    assert re.findall(r"<script[^>]*>", response.text) == [f"<script nonce='{nonce.group(1)}'>"]
    assert "default-src 'none'" in policy
    assert re.findall(r"<link[^>]*>", response.text) == ["<link rel='icon' href='data:,'>"]
    assert not re.search(r"<(img|iframe|object|embed)\b|\ssrc=", response.text)


def test_the_fragment_answers_304_until_something_changes(seeded: Seeded) -> None:
    first = get(seeded, "fragment")
    etag = first.headers["ETag"]
    assert first.status_code == 200
    assert first.text.startswith('<section id="slack">')
    assert etag.strip('"') in get(seeded, "").text  # the page hands its script this ETag

    assert get(seeded, "fragment", **{"If-None-Match": etag}).status_code == 304

    seeded.bot.chat_postMessage(channel=seeded.alice, text="First sync finished: 6 rows")
    changed = get(seeded, "fragment", **{"If-None-Match": etag})

    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "First sync finished: 6 rows" in changed.text


def test_state_json_counts_what_the_page_shows(seeded: Seeded) -> None:
    state = get(seeded, "state.json").json()

    assert state["slack"]["Acme"]["people"] == ["Alice Archer"]
    assert state["slack"]["Globex"] == {"channels": {}, "people": []}
    assert state["sheets"]["Opportunities"] == 1
    assert state["salesforce"]["Opportunity"] == 6


def test_an_unknown_path_is_404(seeded: Seeded) -> None:
    assert get(seeded, "nope").status_code == 404
