"""`/sync create` from start to a syncing workflow, with nothing but Slack (issue #7): the
real Bolt app, the sandbox SlackUser, Salesforce and Smartsheet over loopback."""

from __future__ import annotations

from handlers.builder.ids import ActionId, CallbackId
from sandbox.slack import SlackUser
from sync.services import Actor
from sync.workflow_file import dump, parse
from sync.workflows import export_specs
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


def a_pipeline_sheet(bot: RunningBot) -> int:
    return bot.box.smartsheet.create_sheet(
        "Builder board",
        [
            {"title": "Deal", "type": "TEXT_NUMBER", "primary": True},
            {"title": "Amount", "type": "TEXT_NUMBER"},
            {"title": "Won?", "type": "CHECKBOX"},
        ],
        owner="owner",
    )


def test_a_person_builds_a_workflow_into_an_existing_sheet(
    builder: RunningBot, alice: SlackUser
) -> None:
    bot = builder
    sf_id, _ = bot.connect(alice.user_id)
    sheet = a_pipeline_sheet(bot)
    modal = open_builder(bot, alice)
    assert view(bot, modal)["callback_id"] == CallbackId.WHAT

    objects = alice.suggest(ActionId.OBJECT, "opp", view_id=modal).json
    groups = {g["label"]["text"]: g["options"] for g in objects["option_groups"]}
    assert [o["value"] for o in groups["Standard"]] == ["Opportunity"]
    sheets = alice.suggest(ActionId.SHEET, "builder b", view_id=modal).json
    assert [o["value"] for o in sheets["options"]] == ["new", str(sheet)]

    step = submit(
        alice,
        modal,
        {"builder_object": "Opportunity", "builder_sheet": str(sheet), "builder_name": "Won deals"},
    )
    assert step["response_action"] == "update"
    assert view(bot, modal)["callback_id"] == CallbackId.MAPPINGS

    # Add mapping: a field by type-ahead, then only the columns that fit it
    pushed = alice.click(ActionId.ADD_MAPPING, view_id=modal)
    assert pushed.status == 200
    builder.slack.wait_for_call("views.push", after=pushed.calls_before)
    adding = bot.slack.modal_stack(alice.user_id)[-1]
    fields = alice.suggest(ActionId.FIELD, "account n", view_id=adding).json["options"]
    assert fields[0]["text"]["text"] == "Account \u203a Account Name (Account.Name) · read-only"
    alice.suggest(ActionId.FIELD, "name", view_id=adding)
    alice.click(ActionId.FIELD, view_id=adding, selected="Name")
    bot.slack.wait_for_call("views.update", after=pushed.calls_before)
    columns = next(b for b in view(bot, adding)["blocks"] if b["block_id"] == "column")
    assert [o["value"] for o in columns["element"]["options"]] == ["new", "Deal", "Amount"]
    before = len(bot.slack.calls)
    assert submit(alice, adding, {"builder_column": "Deal", "builder_direction": "both"}) == {}
    assert bot.slack.modal_stack(alice.user_id) == [modal]
    bot.slack.wait_for_call("views.update", after=before)
    assert "'Name ⇄ Deal'" in texts(view(bot, modal))

    # auto-map pairs Amount by name; the filter; the dry run
    step = submit(alice, modal, {"builder_auto_map": ["auto"]})
    assert view(bot, modal)["callback_id"] == CallbackId.FILTER
    submit(
        alice,
        modal,
        {
            "filter_field_0.builder_filter_field": "StageName",
            "filter_op_0.builder_filter_op": "=",
            "filter_value_0.builder_filter_value": "Closed Won",
        },
    )
    preview = wait_view(bot, modal, CallbackId.PREVIEW)
    assert "Opportunity records match" in texts(preview)
    assert "Deal | Amount" in texts(preview)

    calls = len(bot.slack.calls)
    assert "is saved" in saved(bot, alice, modal)
    done = final_update(bot, calls)
    assert "“Won deals” is syncing" in done.args["text"]

    exported = dump(export_specs(bot.store, alice.team_id))
    org = next(
        c.org_id
        for c in bot.services.connections(Actor(alice.team_id, alice.user_id))
        if c.id == sf_id
    )
    assert exported == dump(
        parse(f"""
workflows:
  - name: Won deals
    team: {alice.team_id}
    owner: {alice.user_id}
    salesforce: {{org: {org}, object: Opportunity}}
    smartsheet: {{sheet: {sheet}}}
    filter: {{all: [{{field: StageName, op: "=", value: Closed Won}}]}}
    fields:
      - {{field: Name, column: Deal, direction: both}}
      - {{field: Amount, column: Amount, direction: both}}
""")
    )
    rows = bot.box.smartsheet.sheet_rows(sheet)
    assert rows, "the backfill wrote the won deals"
