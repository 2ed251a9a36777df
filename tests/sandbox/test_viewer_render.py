"""The workspace page's Block Kit → HTML renderer, situation by situation (pure, no server)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sandbox.viewer.blocks import render_blocks
from sandbox.viewer.data_snapshot import Table
from sandbox.viewer.mrkdwn import mrkdwn, plain_text
from sandbox.viewer.page import table_html
from sandbox.viewer.slack_html import content_html, home_html, message_html, modal_html
from sandbox.viewer.slack_snapshot import Message

NAMES = {"U0ALICE001": "Alice Archer", "C0GENERAL1": "general"}
SCRIPT = "<script>alert(1)</script>"


def md(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def html(*blocks: dict[str, Any]) -> str:
    return render_blocks(list(blocks), NAMES)


# -- escaping ---------------------------------------------------------------------------------
def test_script_in_a_message_text_is_shown_as_text_not_run() -> None:
    shown = content_html({"text": f"Connected {SCRIPT}"}, NAMES)

    assert "<script>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def test_script_anywhere_in_blocks_is_escaped() -> None:
    shown = html(
        {"type": "header", "text": plain(SCRIPT)},
        {"type": "section", "text": md(SCRIPT), "fields": [plain(SCRIPT)]},
        {"type": "context", "elements": [md(SCRIPT)]},
        {"type": "actions", "elements": [{"type": "button", "text": plain(SCRIPT)}]},
        {
            "type": "input",
            "label": plain(SCRIPT),
            "element": {"type": "plain_text_input", "initial_value": f'"><{SCRIPT}'},
        },
        {"type": "image", "image_url": "https://x/a.png", "alt_text": SCRIPT},
        {
            "type": "rich_text",
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": SCRIPT}]}
            ],
        },
    )

    assert "<script" not in shown
    assert shown.count("&lt;script&gt;") >= 8
    assert 'value="&quot;&gt;&lt;' in shown  # the attribute cannot be closed either


def test_a_javascript_link_stays_text() -> None:
    shown = mrkdwn("<javascript:alert(1)|click me> and <https://example.com/a?b=1&amp;c=2|ok>")

    first, second = shown.split(" and ")
    assert first == "click me"
    assert 'href="https://example.com/a?b=1&amp;c=2"' in second
    assert second.endswith(">ok</a>")


def test_slack_entities_are_decoded_once() -> None:
    assert mrkdwn("a &lt;b&gt; &amp; c") == "a &lt;b&gt; &amp; c"
    assert plain_text("a < b & c") == "a &lt; b &amp; c"


# -- mrkdwn -----------------------------------------------------------------------------------
def test_mrkdwn_styles_mentions_and_code() -> None:
    shown = mrkdwn("*Deal* _renamed_ ~old~ `/sync list` for <@U0ALICE001> in <#C0GENERAL1>", NAMES)

    assert "<b>Deal</b>" in shown
    assert "<i>renamed</i>" in shown
    assert "<s>old</s>" in shown
    assert "<code>/sync list</code>" in shown
    assert '<span class="mention">@Alice Archer</span>' in shown
    assert '<span class="mention">#general</span>' in shown


def test_mrkdwn_code_is_not_formatted_inside() -> None:
    assert mrkdwn("`*not bold*`") == "<code>*not bold*</code>"


def test_mrkdwn_dates_show_their_fallback_and_known_emoji_turn_into_characters() -> None:
    shown = mrkdwn(
        ":white_check_mark: last sync <!date^1700000000^{date_short} {time}|2023-11-14 22:13 UTC> at 10:15:30"
    )

    badge = '<span class="emoji ok" role="img" aria-label="✅">✓</span>'
    assert shown == badge + " last sync 2023-11-14 22:13 UTC at 10:15:30"


def test_emoji_are_drawn_without_an_emoji_font() -> None:
    shown = plain_text("⚠️ paused 🔴")

    assert "\ufe0f" not in shown
    assert '<span class="emoji warn" role="img" aria-label="⚠">!</span>' in shown
    assert '<span class="emoji dot red" role="img" aria-label="🔴">●</span>' in shown


def test_mrkdwn_lines_quotes_and_code_blocks() -> None:
    shown = mrkdwn("one\n&gt; quoted\n```a < b\n*x*```")

    assert shown.startswith("one<br>")
    assert '<span class="quote">quoted</span>' in shown
    assert "<pre>a &lt; b\n*x*</pre>" in shown


# -- blocks -----------------------------------------------------------------------------------
def test_section_with_fields_and_a_button() -> None:
    shown = html(
        {
            "type": "section",
            "text": md("✅ Connected *alex@acme*"),
            "fields": [md("*Rows*\n40"), md("*Errors*\n0")],
            "accessory": {"type": "button", "text": plain("Disconnect"), "style": "danger"},
        }
    )

    assert "Connected <b>alex@acme</b>" in shown
    assert '<div class="field"><b>Rows</b><br>40</div>' in shown
    assert '<button class="button danger" type="button" disabled>Disconnect</button>' in shown


def test_a_link_button_is_a_link() -> None:
    shown = html(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": plain("Open sheet"),
                    "url": "https://app.smartsheet.com/b/1",
                }
            ],
        }
    )

    assert '<a href="https://app.smartsheet.com/b/1"' in shown
    assert "Open sheet</button></a>" in shown


def test_overflow_lists_its_options_and_selects_show_their_choice() -> None:
    options = [
        {"text": plain("Run now"), "value": "run:1"},
        {"text": plain("Pause"), "value": "pause:1"},
    ]
    shown = html(
        {
            "type": "actions",
            "elements": [
                {"type": "overflow", "options": options},
                {"type": "static_select", "options": options, "initial_option": options[1]},
                {"type": "external_select", "placeholder": plain("Choose a sheet")},
                {"type": "multi_users_select", "initial_users": ["U0ALICE001"]},
            ],
        }
    )

    assert "<li>Run now</li><li>Pause</li>" in shown
    assert '<span class="select" aria-disabled="true">Pause' in shown
    assert '<span class="select placeholder" aria-disabled="true">Choose a sheet' in shown
    assert ">Alice Archer<" in shown


def test_header_divider_context() -> None:
    shown = html(
        {"type": "header", "text": plain("syncbot")},
        {"type": "divider"},
        {"type": "context", "elements": [md("`/sync list` shows your workflows")]},
    )

    assert "<h4>syncbot</h4>" in shown
    assert "<hr>" in shown
    assert "<code>/sync list</code> shows your workflows" in shown


def test_an_image_is_not_fetched() -> None:
    shown = html({"type": "image", "image_url": "https://cdn.example/x.png", "alt_text": "chart"})

    assert "<img" not in shown
    assert "▣ chart" in shown


def test_input_blocks_of_a_modal() -> None:
    shown = html(
        {
            "type": "input",
            "label": plain("Workflow name"),
            "optional": True,
            "hint": plain("Shown in /sync list"),
            "element": {"type": "plain_text_input", "initial_value": "Deals", "multiline": True},
        },
        {
            "type": "input",
            "label": plain("Options"),
            "element": {
                "type": "checkboxes",
                "options": [
                    {"text": plain("Dry run"), "value": "dry"},
                    {"text": plain("Pause"), "value": "p"},
                ],
                "initial_options": [{"text": plain("Dry run"), "value": "dry"}],
            },
        },
    )

    assert '<label>Workflow name <span class="hint">(optional)</span></label>' in shown
    assert '<textarea disabled placeholder="">Deals</textarea>' in shown
    assert '<div class="hint">Shown in /sync list</div>' in shown
    assert '<input type="checkbox" disabled checked>Dry run' in shown
    assert '<input type="checkbox" disabled>Pause' in shown


def test_rich_text() -> None:
    shown = html(
        {
            "type": "rich_text",
            "elements": [
                {
                    "type": "rich_text_section",
                    "elements": [
                        {"type": "text", "text": "Hi ", "style": {"bold": True}},
                        {"type": "user", "user_id": "U0ALICE001"},
                        {"type": "link", "url": "https://example.com", "text": "docs"},
                        {"type": "emoji", "name": "tada"},
                    ],
                },
                {
                    "type": "rich_text_list",
                    "style": "bullet",
                    "elements": [
                        {"type": "rich_text_section", "elements": [{"type": "text", "text": "one"}]}
                    ],
                },
            ],
        }
    )

    assert "<b>Hi </b>" in shown
    assert "@Alice Archer" in shown
    assert ">docs</a>" in shown
    assert 'aria-label="🎉">★<' in shown
    assert "<ul><li><div>one</div></li></ul>" in shown


def test_an_unknown_block_is_labelled() -> None:
    assert "[video block]" in html({"type": "video", "title": plain("x")})


# -- messages, views, tables ----------------------------------------------------------------
def test_blocks_win_over_the_notification_text() -> None:
    shown = content_html(
        {"text": "fallback only", "blocks": [{"type": "section", "text": md("shown")}]}, NAMES
    )

    assert "shown" in shown
    assert "fallback only" not in shown


def test_a_message_says_who_posted_it_and_if_only_you_see_it() -> None:
    message = Message(
        "syncbot", True, "1700000000.000001", {"text": "hi"}, edited=True, only_you=True
    )

    shown = message_html(message, NAMES)

    assert "<b>syncbot</b>" in shown
    assert "APP" in shown
    assert "22:13:20" in shown
    assert "(edited)" in shown
    assert "Only visible to you" in shown


def test_a_modal_has_its_title_body_and_buttons() -> None:
    view = {
        "id": "V1",
        "type": "modal",
        "title": plain("Saved"),
        "close": plain("Close"),
        "submit": None,
        "blocks": [{"type": "section", "text": md("“Deals” is saved.")}],
    }

    shown = modal_html(view, NAMES, depth=2)

    assert (
        '<div class="modal-title">Saved <span class="hint">(2 views stacked)</span></div>' in shown
    )
    assert "“Deals” is saved." in shown
    assert "Close</button>" in shown
    assert "primary" not in shown


def test_a_home_tab_renders_its_blocks() -> None:
    shown = home_html(
        {"id": "V2", "type": "home", "blocks": [{"type": "header", "text": plain("syncbot")}]},
        NAMES,
    )

    assert '<div class="home" data-view-id="V2"><div class="block header"><h4>syncbot</h4>' in shown


def test_a_table_escapes_its_cells_and_says_what_is_cut() -> None:
    table = Table("1", "Pipeline <b>", ("", "Deal"), (("1", SCRIPT),), total=3)

    shown = table_html(table, "sheet")

    assert "<script>" not in shown
    assert "Pipeline &lt;b&gt;" in shown
    assert "3 rows" in shown
    assert "and 2 more" in shown


# -- Slack's own examples ------------------------------------------------------------------
RECORDED = Path(__file__).parents[1] / "fixtures" / "recorded" / "slack"


def plain_texts(node: Any) -> list[str]:
    """Every plain_text a person sees without clicking (a closed menu shows its choice)."""
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "plain_text" else []
        hidden = {"options", "option_groups"} if str(node.get("type")).endswith("select") else set()
        if any(key.startswith("initial_") for key in node):
            hidden.add("placeholder")  # a filled-in field shows its value instead
        shown = [value for key, value in node.items() if key not in hidden]
        return own + [t for value in shown for t in plain_texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in plain_texts(value)]
    return []


@pytest.mark.parametrize("path", sorted(RECORDED.glob("view_*.json")), ids=lambda p: p.stem)
def test_slacks_recorded_views_render_every_block_and_text(path: Path) -> None:
    view = json.loads(path.read_text())
    shown = modal_html(view, NAMES) if view["type"] == "modal" else home_html(view, NAMES)

    assert "unknown" not in shown
    assert shown.count('<div class="block ') == len(view["blocks"])
    missing = [t for t in plain_texts(view["blocks"]) if plain_text(t) not in shown]
    assert missing == []
