"""The dry run reads every matching record, not just the first page: a bad value far past
the first 2,000 records (one query page) is still named in the Preview."""

from __future__ import annotations

from handlers.builder.ids import CallbackId
from sandbox.slack import SlackUser
from tests.integration.slack.builder_support import submit, texts, view, wait_view
from tests.integration.slack.conftest import RunningBot
from tests.integration.slack.test_builder_flows import a_sheet, add_mapping, to_summary

RECORDS = 2_500
BAD_AT = 2_400  # past the first query page (2,000 records)


def test_a_bad_value_past_the_first_page_is_named_in_the_preview(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    ids = [
        builder.box.salesforce.insert(
            "Opportunity",
            {
                "Name": f"Wide {n}",
                "StageName": "Closed Won" if n == BAD_AT else "Prospecting",
                "CloseDate": "2027-01-31",
            },
        )
        for n in range(RECORDS)
    ]
    stage = {"title": "Stage", "type": "PICKLIST", "options": ["Prospecting"], "validation": True}
    sheet = a_sheet(builder, "Wide board", stage)
    modal = to_summary(builder, alice, sheet)
    add_mapping(builder, alice, modal, "Name", "Deal", "to_smartsheet")
    add_mapping(builder, alice, modal, "StageName", "Stage", "to_smartsheet")
    submit(alice, modal, {})
    submit(
        alice,
        modal,
        {
            "filter_field_0.builder_filter_field": "Name",
            "filter_op_0.builder_filter_op": "starts with",
            "filter_value_0.builder_filter_value": "Wide ",
        },
    )
    preview = texts(wait_view(builder, modal, CallbackId.PREVIEW, timeout=60))
    assert "*2,500* Opportunity records match." in preview
    assert "Values checked in all 2,500 matching records." in preview
    assert ":warning: *1 value would fail*" in preview  # that one value only
    assert f"Stage of {ids[BAD_AT]}" in preview
    assert view(builder, modal)["submit"]["text"] == "Save"  # a row error is allowed
