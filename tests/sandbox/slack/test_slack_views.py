"""views.open/push/update/publish: Slack's view objects, triggers, limits and errors."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_support import (
    FakeClock,
    assert_same_shape,
    recorded_examples,
    recorded_output_schema,
    recorded_success,
    recorded_view,
)

from sandbox.slack import SlackEmulator

ACME = "T0SANDBOX1"


def modal(
    title: str = "New workflow", blocks: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": "create",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks
        if blocks is not None
        else [
            {
                "type": "input",
                "block_id": "name",
                "label": {"type": "plain_text", "text": "Name"},
                "element": {"type": "plain_text_input", "action_id": "name_input"},
            }
        ],
    }
    view.update(extra)
    return view


def home(text: str = "Your workflows") -> dict[str, Any]:
    return {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def open_modal(slack: SlackEmulator, client: WebClient, user: str, **kw: Any) -> dict[str, Any]:
    trigger = slack.issue_trigger_id(ACME, user)
    return client.views_open(trigger_id=trigger, view=modal(**kw))["view"]


def error_of(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as err:
        call()
    assert err.value.response.status_code == 200
    return err.value.response.data


def test_views_open_returns_the_view_as_slack_stores_it(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    view = open_modal(slack, client, alice, private_metadata='{"step": 1}')

    assert view["id"].startswith("V") and view["root_view_id"] == view["id"]
    assert view["team_id"] == ACME and view["app_id"] == slack.app_id
    assert view["bot_id"] == slack.teams[ACME].bot_id
    assert view["state"] == {"values": {}}
    assert view["private_metadata"] == '{"step": 1}'
    assert view["hash"].count(".") == 1
    assert_same_shape(view, recorded_view("view_modal_009"))
    assert slack.modal_stack(alice) == [view["id"]]
    assert slack.views()[view["id"]] == view


def test_views_open_response_matches_the_documented_example(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    trigger = slack.issue_trigger_id(ACME, alice)

    answer = client.views_open(trigger_id=trigger, view=modal()).data

    assert_same_shape(answer, recorded_success("views.open"))
    assert set(recorded_output_schema("views.open")["required"]) <= set(answer)


def test_blocks_without_block_id_get_one(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]

    view = open_modal(slack, client, alice, blocks=blocks)

    assert view["blocks"][0]["block_id"]


def test_a_trigger_id_is_single_use(slack: SlackEmulator, client: WebClient, alice: str) -> None:
    trigger = slack.issue_trigger_id(ACME, alice)
    client.views_open(trigger_id=trigger, view=modal())

    answer = error_of(lambda: client.views_open(trigger_id=trigger, view=modal()))

    assert answer["error"] == "exchanged_trigger_id"


def test_a_trigger_id_expires_after_the_ttl(
    slack: SlackEmulator, client: WebClient, clock: FakeClock, alice: str
) -> None:
    fresh = slack.issue_trigger_id(ACME, alice)
    stale = slack.issue_trigger_id(ACME, alice)
    clock.advance(3.5)
    late = slack.issue_trigger_id(ACME, alice)

    assert (
        error_of(lambda: client.views_open(trigger_id=stale, view=modal()))["error"]
        == "expired_trigger_id"
    )
    assert client.views_open(trigger_id=late, view=modal())["ok"] is True
    assert (
        error_of(lambda: client.views_open(trigger_id=fresh, view=modal()))["error"]
        == "expired_trigger_id"
    )


def test_a_malformed_trigger_is_invalid_arguments_like_the_docs(
    slack: SlackEmulator, client: WebClient
) -> None:
    documented = recorded_examples("views.open")[1]

    answer = error_of(lambda: client.views_open(trigger_id="not-a-trigger", view=modal()))

    assert answer == documented


def test_a_well_formed_unknown_trigger_is_invalid_trigger_id(client: WebClient) -> None:
    answer = error_of(
        lambda: client.views_open(trigger_id="12345.98765.abcd2358fdea", view=modal())
    )

    assert answer["error"] == "invalid_trigger_id"


def test_a_trigger_from_another_workspace_is_refused(
    slack: SlackEmulator, client: WebClient
) -> None:
    globex_trigger = slack.issue_trigger_id("T0SANDBOX2", "U0ERIN0005")

    answer = error_of(lambda: client.views_open(trigger_id=globex_trigger, view=modal()))

    assert answer["error"] == "invalid_trigger_id"


def test_a_title_longer_than_24_characters_is_refused(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    trigger = slack.issue_trigger_id(ACME, alice)

    answer = error_of(lambda: client.views_open(trigger_id=trigger, view=modal(title="x" * 25)))

    assert answer["error"] == "invalid_arguments"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] failed to match all allowed schemas [json-pointer:/view/title]",
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]",
    ]
    assert open_modal(slack, client, alice, title="x" * 24)["title"]["text"] == "x" * 24


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"blocks": [{"type": "divider"}] * 101},
            "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]",
        ),
        (
            {"private_metadata": "m" * 3001},
            "[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]",
        ),
        (
            {"callback_id": "c" * 256},
            "[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]",
        ),
        (
            {"submit": {"type": "plain_text", "text": "S" * 25}},
            "[ERROR] must be less than 25 characters [json-pointer:/view/submit/text]",
        ),
        (
            {"submit": None},
            "[ERROR] must provide submit when the view has input blocks [json-pointer:/view/submit]",
        ),
        (
            {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "t" * 3001}}]},
            "[ERROR] must be less than 3001 characters [json-pointer:/view/blocks/0/text/text]",
        ),
        (
            {
                "blocks": [
                    {
                        "type": "actions",
                        "elements": [{"type": "static_select", "action_id": "s", "options": []}],
                    }
                ]
            },
            "[ERROR] must provide at least 1 items [json-pointer:/view/blocks/0/elements/0/options]",
        ),
        (
            {"blocks": [{"type": "no_such_block"}]},
            "[ERROR] failed to match all allowed schemas [json-pointer:/view/blocks/0]",
        ),
    ],
)
def test_views_slack_would_refuse_are_invalid_arguments(
    slack: SlackEmulator, client: WebClient, alice: str, change: dict[str, Any], message: str
) -> None:
    view = {**modal(), **change}
    trigger = slack.issue_trigger_id(ACME, alice)

    answer = error_of(lambda: client.views_open(trigger_id=trigger, view=view))

    assert answer["error"] == "invalid_arguments"
    assert message in answer["response_metadata"]["messages"]
    assert slack.modal_stack(alice) == []


def test_a_view_over_250kb_is_too_large(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2900}}] * 90
    trigger = slack.issue_trigger_id(ACME, alice)

    answer = error_of(lambda: client.views_open(trigger_id=trigger, view=modal(blocks=blocks)))

    assert answer["error"] == "view_too_large"


def test_a_stack_holds_three_views_at_most(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    root = open_modal(slack, client, alice)
    second = client.views_push(
        trigger_id=slack.issue_trigger_id(ACME, alice, view_id=root["id"]), view=modal("Step 2")
    )["view"]
    third = client.views_push(trigger_id=slack.issue_trigger_id(ACME, alice), view=modal("Step 3"))[
        "view"
    ]

    answer = error_of(
        lambda: client.views_push(
            trigger_id=slack.issue_trigger_id(ACME, alice), view=modal("Step 4")
        )
    )

    assert answer["error"] == "push_limit_reached"
    assert second["root_view_id"] == root["id"] and second["previous_view_id"] == root["id"]
    assert third["previous_view_id"] == second["id"]
    assert slack.modal_stack(alice) == [root["id"], second["id"], third["id"]]
    assert_same_shape(second, recorded_success("views.push")["view"])


def test_views_update_keeps_id_and_changes_hash(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    view = open_modal(slack, client, alice)

    updated = client.views_update(view_id=view["id"], hash=view["hash"], view=modal("Loaded"))[
        "view"
    ]

    assert updated["id"] == view["id"] and updated["hash"] != view["hash"]
    assert updated["title"]["text"] == "Loaded"
    # The documented example holds other blocks; the view around them must match.
    assert_same_shape(
        updated, recorded_success("views.update")["view"], optional=frozenset({"$.blocks"})
    )


def test_views_update_with_a_stale_hash_is_a_hash_conflict(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    view = open_modal(slack, client, alice)
    client.views_update(view_id=view["id"], view=modal("First"))

    answer = error_of(
        lambda: client.views_update(view_id=view["id"], hash=view["hash"], view=modal("Second"))
    )

    assert answer["error"] == "hash_conflict"
    assert slack.views()[view["id"]]["title"]["text"] == "First"


def test_views_update_finds_a_view_by_external_id(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    view = open_modal(slack, client, alice, external_id="wf-42")

    updated = client.views_update(
        external_id="wf-42", view=modal("By external id", external_id="wf-42")
    )

    assert updated["view"]["id"] == view["id"]


def test_views_update_of_an_unknown_view_is_not_found(client: WebClient) -> None:
    answer = error_of(lambda: client.views_update(view_id="V0NOTTHERE", view=modal()))

    assert answer == {"ok": False, "error": "not_found"}


def test_external_ids_are_unique_per_workspace(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    open_modal(slack, client, alice, external_id="same")
    trigger = slack.issue_trigger_id(ACME, slack.user_id(ACME, "bob"))

    answer = error_of(lambda: client.views_open(trigger_id=trigger, view=modal(external_id="same")))

    assert answer["error"] == "duplicate_external_id"


def test_input_state_survives_an_update_that_keeps_block_and_action_ids(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    view = open_modal(slack, client, alice)
    slack.set_view_value(
        view["id"], "name", "name_input", {"type": "plain_text_input", "value": "typed"}
    )

    kept = client.views_update(view_id=view["id"], view=modal("Same"))["view"]
    renamed = modal("Cleared")
    renamed["blocks"][0]["block_id"] = "name-v2"
    cleared = client.views_update(view_id=view["id"], view=renamed)["view"]

    assert kept["state"]["values"] == {
        "name": {"name_input": {"type": "plain_text_input", "value": "typed"}}
    }
    assert cleared["state"]["values"] == {}


def test_views_publish_sets_the_home_tab_and_keeps_its_id(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    first = client.views_publish(user_id=alice, view=home("one"))["view"]
    second = client.views_publish(user_id=alice, view=home("two"), hash=first["hash"])["view"]

    assert first["type"] == "home" and second["id"] == first["id"]
    assert slack.home_view(alice)["blocks"][0]["text"]["text"] == "two"
    assert_same_shape(second, recorded_success("views.publish")["view"])
    stale = error_of(
        lambda: client.views_publish(user_id=alice, view=home("three"), hash=first["hash"])
    )
    assert stale["error"] == "hash_conflict"


def test_views_publish_to_someone_outside_the_workspace_is_invalid(client: WebClient) -> None:
    documented = recorded_examples("views.publish")[1]

    answer = error_of(lambda: client.views_publish(user_id="U0ERIN0005", view=home()))

    assert answer == documented


def test_views_publish_needs_a_home_view(client: WebClient, alice: str) -> None:
    answer = error_of(lambda: client.views_publish(user_id=alice, view=modal()))

    assert answer["error"] == "invalid_arguments"


def test_views_open_without_a_view_is_a_missing_field(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    trigger = slack.issue_trigger_id(ACME, alice)

    answer = error_of(lambda: client.api_call("views.open", json={"trigger_id": trigger}))

    assert answer["response_metadata"]["messages"] == ["[ERROR] missing required field: view"]


def test_a_view_sent_as_a_form_string_is_accepted(
    slack: SlackEmulator, client: WebClient, alice: str
) -> None:
    import json

    trigger = slack.issue_trigger_id(ACME, alice)

    answer = client.api_call(
        "views.open", data={"trigger_id": trigger, "view": json.dumps(modal())}
    )

    assert answer["view"]["type"] == "modal"
