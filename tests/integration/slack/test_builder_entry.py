"""The ways into the builder (issue #7): the Create workflow buttons of App Home and of
`/sync list`, the Edit entry of a workflow's menu, and the connect prompt for someone who
has not connected yet — each through the real Bolt app and the sandbox SlackUser."""

from __future__ import annotations

from typing import Any

from handlers.builder.ids import ActionId, CallbackId
from handlers.ids import ActionId as CommonAction
from sandbox.slack import SlackUser
from tests.integration.slack.builder_support import texts, view, wait_view
from tests.integration.slack.conftest import RunningBot


def builder_opened(bot: RunningBot, user: SlackUser, after: int) -> dict[str, Any]:
    """The builder's modal, once the placeholder that `views.open` put up is filled."""
    opened = bot.slack.wait_for_call("views.open", after=after)
    assert opened.response["ok"] is True  # opened with a trigger id still valid
    assert opened.args["view"]["callback_id"] == CallbackId.LOADING
    modal = bot.slack.modal_stack(user.user_id)[-1]
    return wait_view(bot, modal, CallbackId.WHAT)


def test_the_create_workflow_button_of_app_home_opens_the_builder(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    shown = alice.open_home()
    builder.slack.wait_for_call("views.publish", after=shown.calls_before)

    clicked = alice.click(CommonAction.CREATE_WORKFLOW)  # found in the Home tab

    assert clicked.status == 200
    step_one = builder_opened(builder, alice, clicked.calls_before)
    assert step_one["title"]["text"] == "New workflow"


def test_the_create_workflow_button_of_sync_list_opens_the_builder(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.workflow(alice.user_id, name="Deals")
    before = len(builder.slack.responses)
    alice.slash("/sync", "list")
    listed = builder.slack.wait_for_response(after=before)
    assert "Create workflow" in str(listed.body["blocks"])

    clicked = alice.click(CommonAction.CREATE_WORKFLOW)  # in the list just answered

    assert clicked.status == 200
    assert builder_opened(builder, alice, clicked.calls_before)["title"]["text"] == "New workflow"


def test_an_empty_sync_list_offers_create_workflow(bot: RunningBot, alice: SlackUser) -> None:
    alice.slash("/sync", "list")
    listed = bot.slack.wait_for_response()
    buttons = [e for b in listed.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(e["action_id"], e["text"]["text"]) for e in buttons] == [
        (CommonAction.CREATE_WORKFLOW, "Create workflow")
    ]


def test_edit_in_the_workflow_menu_opens_the_builder_prefilled(
    builder: RunningBot, alice: SlackUser
) -> None:
    workflow = builder.workflow(alice.user_id, name="Deals")
    before = len(builder.slack.responses)
    alice.slash("/sync", "list")
    builder.slack.wait_for_response(after=before)

    clicked = alice.click(CommonAction.WORKFLOW_MENU, selected=f"edit:{workflow}")

    assert clicked.status == 200
    step_one = builder_opened(builder, alice, clicked.calls_before)
    assert step_one["title"]["text"] == "Edit workflow"
    name = next(b for b in step_one["blocks"] if b.get("block_id") == "name")
    assert name["element"]["initial_value"] == "Deals"


def test_edit_in_the_app_home_menu_opens_the_builder_prefilled(
    builder: RunningBot, alice: SlackUser
) -> None:
    workflow = builder.workflow(alice.user_id, name="Deals")
    shown = alice.open_home()
    builder.slack.wait_for_call("views.publish", after=shown.calls_before)

    clicked = alice.click(CommonAction.WORKFLOW_MENU, selected=f"edit:{workflow}")  # Home tab

    assert clicked.status == 200
    assert builder_opened(builder, alice, clicked.calls_before)["title"]["text"] == "Edit workflow"


def test_someone_not_connected_gets_the_connect_buttons_then_retry_opens_step_one(
    builder: RunningBot, alice: SlackUser
) -> None:
    alice.trust_browser_ca(str(builder.box.ca_path))
    sent = alice.slash("/sync", "create")
    builder.slack.wait_for_call("views.update", after=sent.calls_before)
    modal = builder.slack.modal_stack(alice.user_id)[-1]
    prompt = view(builder, modal)
    assert prompt["callback_id"] == CallbackId.FAILED
    assert "Connect Salesforce and Smartsheet first" in texts(prompt)
    assert "My Domain? Use `/sync connect`" in texts(prompt)
    links = {
        e["action_id"]: e["url"]
        for b in prompt["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if "url" in e
    }
    assert set(links) == {
        CommonAction.CONNECT_SALESFORCE,
        CommonAction.CONNECT_SALESFORCE_SANDBOX,
        CommonAction.CONNECT_SMARTSHEET,
    }

    done = alice.connect(links[CommonAction.CONNECT_SMARTSHEET], {"user": "owner"})
    assert done.status_code == 200, done.text
    retried = alice.click(ActionId.RETRY, view_id=modal)
    builder.slack.wait_for_call("views.update", after=retried.calls_before)
    half = view(builder, modal)
    assert "Connect Salesforce first" in texts(half)  # only what is still missing
    assert "Connect Smartsheet" not in texts(half)
    again = {
        e["action_id"]: e["url"]
        for b in half["blocks"]
        for e in b.get("elements", [])
        if "url" in e
    }
    done = alice.connect(
        again[CommonAction.CONNECT_SALESFORCE], {"username": "alex.carter@acme-sandbox.example"}
    )
    assert done.status_code == 200, done.text

    alice.click(ActionId.RETRY, view_id=modal)
    assert "Salesforce connection" in texts(wait_view(builder, modal, CallbackId.WHAT))
