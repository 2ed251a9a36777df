"""Slack's limits hold for a custom object of 500 fields and a sheet of 400 columns: the
emulator refuses any view Slack would refuse, so every step here passing is the check."""

from __future__ import annotations

from handlers.builder.ids import ActionId, CallbackId
from handlers.builder.metadata import ViewState
from sandbox.salesforce.wide_object import WIDE_OBJECT
from sandbox.slack import SlackUser
from sync.store.drafts import load_draft
from tests.integration.slack.builder_support import open_builder, submit, texts, view, with_builder
from tests.integration.slack.conftest import RunningBot


def test_a_500_field_object_and_a_400_column_sheet_stay_within_slacks_limits(
    bot: RunningBot, alice: SlackUser
) -> None:
    with_builder(bot)
    bot.connect(alice.user_id)
    titles = [f"Field {i:03d}" for i in range(399)]
    sheet = bot.box.smartsheet.create_sheet(
        "Very wide",
        [{"title": "Key", "type": "TEXT_NUMBER", "primary": True}]
        + [{"title": t, "type": "TEXT_NUMBER"} for t in titles],
        owner="owner",
    )
    modal = open_builder(bot, alice)
    custom = alice.suggest(ActionId.OBJECT, "wide", view_id=modal).json["option_groups"]
    assert [(g["label"]["text"], [o["value"] for o in g["options"]]) for g in custom] == [
        ("Custom", [WIDE_OBJECT])
    ]
    submit(
        alice,
        modal,
        {"builder_object": WIDE_OBJECT, "builder_sheet": str(sheet), "builder_name": "Wide"},
    )

    pushed = alice.click(ActionId.ADD_MAPPING, view_id=modal)
    bot.slack.wait_for_call("views.push", after=pushed.calls_before)
    adding = bot.slack.modal_stack(alice.user_id)[-1]
    fields = alice.suggest(ActionId.FIELD, "field", view_id=adding).json["options"]
    assert len(fields) == 100  # of 500 matching: type-ahead narrows, never a full list
    chosen = alice.click(ActionId.FIELD, view_id=adding, selected="Field_000__c")
    bot.slack.wait_for_call("views.update", after=chosen.calls_before)
    column = next(b for b in view(bot, adding)["blocks"] if b["block_id"] == "column")
    assert column["element"]["type"] == "external_select"
    columns = alice.suggest(ActionId.COLUMN, "field 00", view_id=adding).json["options"]
    assert [o["value"] for o in columns][:3] == ["new", "Field 000", "Field 001"]
    alice.close(adding)

    answer = submit(alice, modal, {"builder_auto_map": ["auto"]})  # proposes pairs by name
    assert answer["response_action"] == "update", answer
    assert not bot.slack.rejected_acks
    assert view(bot, modal)["callback_id"] == CallbackId.FILTER
    submit(alice, modal, {})
    preview = view(bot, modal)
    assert preview["callback_id"] == CallbackId.PREVIEW
    assert "records match" in texts(preview)
    assert len(preview["blocks"]) <= 100
    draft_id = ViewState.load(preview["private_metadata"]).draft_id
    with bot.store.unit() as session:
        draft = load_draft(session, draft_id, alice.team_id, alice.user_id)
    assert len(draft.fields) == 399  # every "Field nnn" column paired with its field
