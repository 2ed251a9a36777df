"""The demo's Block Kit → text renderer, situation by situation: what a person reads."""

from __future__ import annotations

from bot.demo_render import (
    RULE,
    blocks_lines,
    indent,
    message_text,
    mrkdwn,
    page_text,
    table,
    view_text,
)


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text, "emoji": True}


def md(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def option(text: str, value: str) -> dict:
    return {"text": plain(text), "value": value}


# -- mrkdwn ------------------------------------------------------------------------------
def test_mentions_read_as_names_and_links_as_their_labels() -> None:
    shown = mrkdwn("<@U1> and <@U2>: <https://x.example/s/1|Open the sheet>", {"U1": "Alice"})
    assert shown == "@Alice and @U2: Open the sheet"


def test_a_bare_link_reads_as_its_address_and_a_channel_by_name() -> None:
    assert mrkdwn("<https://x.example> in <#C1|general>") == "https://x.example in #general"


def test_dates_read_as_their_fallback_and_special_mentions_as_at() -> None:
    shown = mrkdwn("<!date^1700000000^{date_short} {time}|2023-11-14 22:13 UTC> <!here>")
    assert shown == "2023-11-14 22:13 UTC @here"


def test_known_emoji_are_drawn_and_code_fences_dropped() -> None:
    assert mrkdwn(":white_check_mark: ok :party_parrot:") == "✅ ok :party_parrot:"
    assert mrkdwn("```a | b\n1 | 2```") == "a | b\n1 | 2"


# -- blocks ------------------------------------------------------------------------------
def test_a_section_with_fields_shows_them_two_per_line() -> None:
    block = {
        "type": "section",
        "text": md("*Deal*"),
        "fields": [md("Stage"), md("Amount"), md("Owner")],
    }
    assert blocks_lines([block]) == ["*Deal*", "Stage   Amount", "Owner"]


def test_a_sections_accessory_sits_at_the_end_of_its_last_line() -> None:
    button = {"type": "button", "text": plain("Revert"), "action_id": "revert", "value": "1:2"}
    block = {"type": "section", "text": md("#2 Amount\n`1` → `2`"), "accessory": button}
    assert blocks_lines([block]) == ["#2 Amount", "`1` → `2`   [ Revert ]"]


def test_an_overflow_menu_lists_its_choices() -> None:
    menu = {"type": "overflow", "options": [option("Run now", "run:1"), option("Pause", "p:1")]}
    block = {"type": "section", "text": md("*1. Won deals*"), "accessory": menu}
    assert blocks_lines([block]) == ["*1. Won deals*   [ ⋯ Run now | Pause ]"]


def test_headers_dividers_and_context() -> None:
    blocks = [
        {"type": "header", "text": plain("Your workflows")},
        {"type": "divider"},
        {"type": "context", "elements": [md("3 changes"), {"type": "image", "alt_text": "logo"}]},
    ]
    assert blocks_lines(blocks) == ["▌ Your workflows", RULE, "3 changes · [image: logo]"]


def test_actions_show_buttons_side_by_side_and_links_with_an_arrow() -> None:
    block = {
        "type": "actions",
        "elements": [
            {"type": "button", "text": plain("Connect"), "url": "https://x.example/c"},
            {"type": "button", "text": plain("Pause"), "action_id": "pause"},
            {"type": "static_select", "placeholder": plain("DMs"), "options": []},
        ],
    }
    assert blocks_lines([block]) == ["[ Connect ↗ ]  [ Pause ]  [ DMs ▾ ]"]


def test_modal_inputs_show_label_control_hint_and_optional() -> None:
    blocks = [
        {
            "type": "input",
            "label": plain("Connection"),
            "element": {
                "type": "static_select",
                "options": [option("alex", "1")],
                "initial_option": option("alex", "1"),
            },
        },
        {
            "type": "input",
            "label": plain("Name"),
            "optional": True,
            "hint": plain("Shown in /sync list."),
            "element": {"type": "plain_text_input", "initial_value": "Won deals"},
        },
        {
            "type": "input",
            "label": plain("Direction"),
            "element": {
                "type": "radio_buttons",
                "options": [option("To sheet", "to"), option("Both ways", "both")],
                "initial_option": option("Both ways", "both"),
            },
        },
        {
            "type": "input",
            "label": plain("New rows"),
            "element": {"type": "checkboxes", "options": [option("Create records", "yes")]},
        },
        {"type": "input", "label": plain("Close date"), "element": {"type": "datepicker"}},
    ]
    assert blocks_lines(blocks) == [
        "Connection: [ alex ▾ ]",
        "Name (optional): [ Won deals ]",
        "  Shown in /sync list.",
        "Direction: ○ To sheet  ◉ Both ways",
        "New rows: ☐ Create records",
        "Close date: [ date 📅 ]",
    ]


def test_an_empty_text_input_shows_its_placeholder_or_an_ellipsis() -> None:
    blocks = [
        {"type": "input", "label": plain("A"), "element": {"type": "plain_text_input"}},
        {
            "type": "input",
            "label": plain("B"),
            "element": {"type": "plain_text_input", "placeholder": plain("e.g. 5")},
        },
    ]
    assert blocks_lines(blocks) == ["A: [ … ]", "B: [ e.g. 5 ]"]


def test_rich_text_sections_lists_quotes_and_code() -> None:
    block = {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "text", "text": "Hi "},
                    {"type": "user", "user_id": "U1"},
                    {"type": "emoji", "name": "wave"},
                    {"type": "emoji", "name": "warning"},
                ],
            },
            {
                "type": "rich_text_list",
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": "one"}]},
                    {
                        "type": "rich_text_section",
                        "elements": [{"type": "link", "url": "https://x.example", "text": "two"}],
                    },
                ],
            },
            {"type": "rich_text_quote", "elements": [{"type": "text", "text": "said"}]},
            {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": "a = 1"}]},
        ],
    }
    assert blocks_lines([block], {"U1": "Alice"}) == [
        "Hi @Alice:wave:⚠️",
        "• one",
        "• two",
        "> said",
        "    a = 1",
    ]


def test_unknown_blocks_render_as_nothing() -> None:
    assert blocks_lines([{"type": "video"}, "not a block", {"type": "divider"}]) == [RULE]


# -- messages and views --------------------------------------------------------------------
def test_a_message_without_blocks_shows_its_text() -> None:
    assert message_text({"text": "Running <@U1>'s workflow…"}, {"U1": "Alice"}) == (
        "Running @Alice's workflow…"
    )


def test_a_message_with_blocks_shows_the_blocks_not_the_fallback() -> None:
    message = {"text": "fallback", "blocks": [{"type": "section", "text": md("shown")}]}
    assert message_text(message) == "shown"


def test_a_modal_has_its_title_bar_and_buttons() -> None:
    view = {
        "type": "modal",
        "title": plain("New workflow"),
        "close": plain("Cancel"),
        "submit": plain("Next"),
        "blocks": [{"type": "section", "text": md("Step 1")}],
    }
    assert view_text(view) == "┌─ New workflow ─┐\nStep 1\n[ Cancel ]  [ Next ]"


def test_indent_sets_off_every_line() -> None:
    assert indent("a\nb", "> ") == "> a\n> b"


# -- tables ------------------------------------------------------------------------------
def test_a_table_aligns_columns_and_counts_what_it_left_out() -> None:
    shown = table(["#", "Deal", "Amount"], [[1, "Acme", 420250.0], [2, "Globex", None]], more=3)
    assert shown.splitlines() == [
        "# | Deal   | Amount",
        "--+--------+-------",
        "1 | Acme   | 420250",
        "2 | Globex |",
        "… and 3 more",
    ]


# -- web pages ---------------------------------------------------------------------------
def test_a_page_shows_its_heading_and_paragraphs_not_its_head() -> None:
    html = (
        "<!doctype html><html><head><title>T</title><style>h1{x:y}</style></head>"
        "<body><h1>Salesforce connected</h1><p>Connected <b>alex</b>\n  for "
        "&lt;U1&gt;.</p><script>var a;</script><p>You can close this tab.</p></body></html>"
    )
    assert page_text(html) == (
        "Salesforce connected\nConnected alex for <U1>.\nYou can close this tab."
    )
