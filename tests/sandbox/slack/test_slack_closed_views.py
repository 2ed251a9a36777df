"""views.update on a modal that is no longer on screen answers not_found, as Slack does.

| how the modal left the screen             | views.update answer  |
|-------------------------------------------|----------------------|
| the person pressed Close                  | not_found            |
| submitted, the bot acked empty (closes)   | not_found            |
| submitted, the bot acked "clear"          | not_found (all)      |
| a pushed view closed on submit            | not_found; root ok   |
| a new views.open replaced the stack       | not_found (old)      |
| by external_id after closing              | not_found            |
| a Home tab (never closes)                 | ok                   |
"""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_support import recorded_examples

from sandbox.slack import SlackEmulator

ACME = "T0SANDBOX1"
NOT_FOUND = {"ok": False, "error": "not_found"}


def modal(title: str = "New workflow", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Loading…"}}],
        **extra,
    }


def open_modal(slack: SlackEmulator, client: WebClient, user: str, **extra: Any) -> str:
    trigger = slack.issue_trigger_id(ACME, user)
    return str(client.views_open(trigger_id=trigger, view=modal(**extra))["view"]["id"])


def push_modal(slack: SlackEmulator, client: WebClient, user: str) -> str:
    trigger = slack.issue_trigger_id(ACME, user)
    return str(client.views_push(trigger_id=trigger, view=modal("Filters"))["view"]["id"])


def update_error(client: WebClient, **where: str) -> Any:
    with pytest.raises(SlackApiError) as err:
        client.views_update(view=modal("Loaded"), **where)
    assert err.value.response.status_code == 200
    return err.value.response.data


def test_a_modal_the_person_closed_cannot_be_updated(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    view_id = open_modal(slack, client, alice)
    slack.close_view(view_id)

    assert update_error(client, view_id=view_id) == NOT_FOUND
    assert slack.views()[view_id]["title"]["text"] == "New workflow"


def test_a_modal_closed_on_submit_cannot_be_updated(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    view_id = open_modal(slack, client, alice)
    slack.apply_view_ack(view_id, None)  # an empty ack closes the submitted view

    assert update_error(client, view_id=view_id) == NOT_FOUND


def test_clear_closes_every_view_of_the_stack(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    root = open_modal(slack, client, alice)
    pushed = push_modal(slack, client, alice)
    slack.apply_view_ack(pushed, {"response_action": "clear"})

    assert update_error(client, view_id=root) == NOT_FOUND
    assert update_error(client, view_id=pushed) == NOT_FOUND


def test_a_pushed_view_closed_on_submit_leaves_the_root_updatable(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    root = open_modal(slack, client, alice)
    pushed = push_modal(slack, client, alice)
    slack.apply_view_ack(pushed, None)

    assert update_error(client, view_id=pushed) == NOT_FOUND
    assert client.views_update(view_id=root, view=modal("Loaded"))["view"]["id"] == root


def test_a_view_replaced_by_a_new_modal_cannot_be_updated(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    old = open_modal(slack, client, alice)
    new = open_modal(slack, client, alice)

    assert update_error(client, view_id=old) == NOT_FOUND
    assert client.views_update(view_id=new, view=modal("Loaded"))["ok"] is True


def test_a_closed_modal_is_not_found_by_external_id_either(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    view_id = open_modal(slack, client, alice, external_id="wf-7")
    slack.close_view(view_id)

    assert update_error(client, external_id="wf-7") == NOT_FOUND


def test_the_answer_is_the_documented_error_example(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    view_id = open_modal(slack, client, alice)
    slack.close_view(view_id)
    documented = next(e for e in recorded_examples("views.update") if not e["ok"])

    assert update_error(client, view_id=view_id) == documented == NOT_FOUND


def test_a_home_tab_stays_updatable(slack: SlackEmulator, client: WebClient, alice: str) -> None:
    section = {"type": "section", "text": {"type": "plain_text", "text": "Hi"}}
    home = {"type": "home", "blocks": [section]}
    view_id = client.views_publish(user_id=alice, view=home)["view"]["id"]

    updated = client.views_update(view_id=view_id, view={**home, "blocks": home["blocks"] * 2})

    assert updated["view"]["id"] == view_id
