"""The builder's rules through Slack: placeholder within the trigger window, presets, new
sheets, validation errors under the right input, the dry run, and only one's own things."""

from __future__ import annotations

from handlers.builder.ids import ActionId, CallbackId
from sandbox.slack import SlackUser
from tests.integration.slack.builder_support import (
    final_update,
    open_builder,
    saved,
    submit,
    texts,
    view,
    wait_view,
)
from tests.integration.slack.conftest import RunningBot


def test_the_placeholder_opens_within_the_trigger_window_when_describe_is_slow(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    builder.box.salesforce.control.slow("describe.global", 3.5)
    sent = alice.slash("/sync", "create")
    opened = builder.slack.wait_for_call("views.open", after=sent.calls_before)
    assert opened.response["ok"] is True  # the trigger id (3 s) was still valid
    assert opened.args["view"]["callback_id"] == CallbackId.LOADING
    modal = builder.slack.modal_stack(alice.user_id)[-1]
    assert "Salesforce connection" in texts(wait_view(builder, modal, CallbackId.WHAT))
    fill = next(c for c in builder.slack.calls[sent.calls_before :] if c.method == "views.update")
    assert fill.args["hash"] == opened.response["view"]["hash"]  # replaces that placeholder only


def test_a_failed_fill_shows_the_reason_and_retry_fills_it(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    builder.box.salesforce.control.inject("describe.global", 503, times=3)
    sent = alice.slash("/sync", "create")
    builder.slack.wait_for_call("views.update", after=sent.calls_before)
    modal = builder.slack.modal_stack(alice.user_id)[-1]
    failed = view(builder, modal)
    assert failed["callback_id"] == CallbackId.FAILED
    alice.click(ActionId.RETRY, view_id=modal)
    assert wait_view(builder, modal, CallbackId.WHAT)


def test_someone_without_connections_gets_the_connect_prompt(
    builder: RunningBot, alice: SlackUser
) -> None:
    modal = open_builder(builder, alice)
    prompt = view(builder, modal)
    assert "Connect Salesforce and Smartsheet first" in texts(prompt)
    assert "Connect Smartsheet" in texts(prompt)  # the connect prompt's buttons


def test_service_cloud_into_a_new_sheet_creates_one_column_per_mapping(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    modal = open_builder(builder, alice)
    preset = next(b for b in view(builder, modal)["blocks"] if b.get("block_id") == "preset")
    assert [o["value"] for o in preset["element"]["options"]] == ["salesforce", "service_cloud"]
    submit(
        alice,
        modal,
        {
            "builder_preset": "service_cloud",
            "builder_sheet": "new",
            "builder_new_sheet": "Support cases",
            "builder_name": "Support",
        },
    )
    summary = texts(view(builder, modal))
    assert "*Case*" in summary and "8 mapping(s)" in summary
    assert "Owner Full Name _(read-only)_ → Owner" in summary or "Owner" in summary
    submit(alice, modal, {})
    submit(alice, modal, {})
    assert "Case records match" in texts(wait_view(builder, modal, CallbackId.PREVIEW))
    calls = len(builder.slack.calls)
    assert "is saved" in saved(builder, alice, modal)
    assert "is syncing" in final_update(builder, calls).args["text"]
    sheet = builder.box.smartsheet.find_sheet("Support cases")
    columns = {c["title"]: c["type"] for c in builder.box.smartsheet.sheet(sheet)["columns"]}
    assert {"Case Number", "Subject", "Status", "Priority", "Origin", "Account", "Contact"} <= set(
        columns
    )
    assert columns["Status"] == "PICKLIST"


def test_step_one_errors_land_under_their_inputs(builder: RunningBot, alice: SlackUser) -> None:
    builder.connect(alice.user_id)
    view_only = builder.box.smartsheet.create_sheet(
        "Not mine", [{"title": "A", "type": "TEXT_NUMBER", "primary": True}], owner="member"
    )
    builder.box.smartsheet.share(view_only, "owner", "VIEWER")
    builder.workflow(alice.user_id, name="Taken")
    modal = open_builder(builder, alice)
    answer = submit(alice, modal, {"builder_sheet": str(view_only), "builder_name": "Taken"})
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"name", "sheet", "object"}
    assert "needs Editor access" in answer["errors"]["sheet"]
    assert "already have a workflow called “Taken”" in answer["errors"]["name"]


def preset_choices(found: dict[str, object]) -> list[str]:
    blocks = found["blocks"]
    assert isinstance(blocks, list)
    preset = next(b for b in blocks if b.get("block_id") == "preset")
    return [o["value"] for o in preset["element"]["options"]]


def test_without_read_access_to_cases_the_preset_is_not_offered_and_the_modal_says_why(
    builder: RunningBot, carol: SlackUser
) -> None:
    builder.connect(carol.user_id, sf_user="limited")  # the profile has no Read on Case
    modal = open_builder(builder, carol)
    found = view(builder, modal)
    assert preset_choices(found) == ["salesforce"]
    assert "Service Cloud preset unavailable: your Salesforce user cannot read Cases" in texts(
        found
    )
    cases = carol.suggest(ActionId.OBJECT, "case", view_id=modal).json
    assert all(o["value"] != "Case" for g in cases["option_groups"] for o in g["options"])


def test_preset_fields_hidden_by_field_security_are_left_out_and_named(
    builder: RunningBot, carol: SlackUser
) -> None:
    builder.connect(carol.user_id, sf_user="rep")  # reads Cases; Origin hidden by FLS
    modal = open_builder(builder, carol)
    found = view(builder, modal)
    assert preset_choices(found) == ["salesforce", "service_cloud"]
    note = "The Service Cloud preset leaves out Origin: your Salesforce user cannot see it"
    assert note in texts(found)
    submit(
        carol,
        modal,
        {
            "builder_preset": "service_cloud",
            "builder_sheet": "new",
            "builder_new_sheet": "Rep cases",
            "builder_name": "Rep cases",
        },
    )
    summary = view(builder, modal)
    assert summary["callback_id"] == CallbackId.MAPPINGS
    assert "7 mapping(s)" in texts(summary) and note in texts(summary)
    assert "→ Origin" not in texts(summary) and "Subject ⇄ Subject" in texts(summary)


def test_an_unexpected_answer_while_filling_still_replaces_the_placeholder(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    builder.box.salesforce.control.inject("describe.global", 200, {"unexpected": "shape"})
    sent = alice.slash("/sync", "create")
    builder.slack.wait_for_call("views.open", after=sent.calls_before)
    modal = builder.slack.modal_stack(alice.user_id)[-1]
    failed = wait_view(builder, modal, CallbackId.FAILED)
    assert "Something went wrong on syncbot's side (reference" in texts(failed)
    alice.click(ActionId.RETRY, view_id=modal)  # the fault was once: Retry fills it
    assert wait_view(builder, modal, CallbackId.WHAT)
