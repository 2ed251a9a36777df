"""Validation that needs the services' real answers (issue #7): a column retyped since the
workflow was made, a field the person's Salesforce profile hides or makes read-only, and
caveats (warnings) shown in the summary and the preview while Save stays allowed."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.builder.ids import CallbackId
from sandbox.slack import SlackUser
from sync.model import Direction, FieldMapping, Workflow
from sync.services import Actor
from sync.store import repo
from tests.integration.slack.builder_support import open_builder, submit, texts, view, wait_view
from tests.integration.slack.conftest import ACME, RunningBot
from tests.integration.slack.test_builder_flows import a_sheet, add_mapping, to_summary


def workflow_as(bot: RunningBot, owner: str, sf_user: str, fields: tuple[FieldMapping, ...]) -> int:
    """A stored Opportunity workflow of `owner`, connected as the Salesforce user `sf_user`
    (as if their profile had changed since it was made)."""
    sf_id, ss_id = bot.connect(owner, sf_user=sf_user)
    sheet = a_sheet(
        bot,
        f"{sf_user} board",
        *({"title": m.column, "type": "TEXT_NUMBER"} for m in fields if m.column != "Deal"),
    )
    wf = Workflow(
        id=0,
        name="Deals",
        team_id=ACME,
        owner_id=owner,
        salesforce_connection_id=sf_id,
        smartsheet_connection_id=ss_id,
        object_name="Opportunity",
        sheet_id=sheet,
        fields=fields,
    )
    with bot.store.unit() as session:
        return repo.save_workflow(session, wf, datetime.now(UTC))


def summary_errors(bot: RunningBot, user: SlackUser, workflow: int) -> dict[str, object]:
    """`/sync edit`, Next on step 1, then Next on the summary: what the ack answered."""
    modal = open_builder(bot, user, f"edit {workflow}")
    submit(user, modal, {})
    assert view(bot, modal)["callback_id"] == CallbackId.MAPPINGS
    answer = submit(user, modal, {})
    assert view(bot, modal)["callback_id"] == CallbackId.MAPPINGS  # the modal stays
    return answer


def test_a_column_retyped_since_blocks_its_mapping_under_the_summary(
    builder: RunningBot, alice: SlackUser
) -> None:
    workflow = builder.workflow(alice.user_id, name="Deals")
    (sheet,) = [
        w.sheet_id for w in builder.services.list_workflows(Actor(alice.team_id, alice.user_id))
    ]
    builder.box.smartsheet.set_column(sheet, "Amount", type="CHECKBOX")

    answer = summary_errors(builder, alice, workflow)

    assert answer == {
        "response_action": "errors",
        "errors": {
            "mappings": "Amount is a Checkbox column and holds only checked or unchecked; "
            "map a checkbox (true/false) field to it."
        },
    }


def test_a_field_the_profile_hides_is_refused_under_the_summary(
    builder: RunningBot, carol: SlackUser
) -> None:
    fields = (
        FieldMapping("Name", "Deal", Direction.BOTH),
        FieldMapping("Amount", "Amount", Direction.BOTH),  # hidden from "limited" by FLS
    )
    workflow = workflow_as(builder, carol.user_id, "limited", fields)

    answer = summary_errors(builder, carol, workflow)

    assert answer["response_action"] == "errors"
    assert answer["errors"] == {
        "mappings": "Opportunity has no field “Amount” that you can see "
        "(it may not exist, or your Salesforce profile hides it)."
    }


def test_a_field_the_profile_cannot_write_is_refused_both_ways_under_the_summary(
    builder: RunningBot, carol: SlackUser
) -> None:
    fields = (
        FieldMapping("Name", "Deal", Direction.BOTH),
        FieldMapping("NextStep", "Next", Direction.BOTH),  # read-only for "limited"
    )
    workflow = workflow_as(builder, carol.user_id, "limited", fields)

    answer = summary_errors(builder, carol, workflow)

    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert isinstance(errors, dict) and list(errors) == ["mappings"]
    assert "Next Step cannot be written by your Salesforce user; choose “to sheet”" in str(
        errors["mappings"]
    )


def test_a_caveat_is_shown_in_the_summary_and_the_preview_and_save_stays(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    stage = {"title": "Stage", "type": "PICKLIST", "options": ["Prospecting"], "validation": True}
    sheet = a_sheet(builder, "Strict board", stage)
    modal = to_summary(builder, alice, sheet)
    add_mapping(builder, alice, modal, "StageName", "Stage", "to_smartsheet")

    summary = texts(view(builder, modal))
    assert "Works, with a caveat" in summary
    assert "Stage accepts only its options and lacks" in summary
    assert submit(alice, modal, {})["response_action"] == "update"  # a warning does not block
    submit(alice, modal, {})
    preview = wait_view(builder, modal, CallbackId.PREVIEW)
    assert "Allowed, with a caveat" in texts(preview)
    assert "Stage accepts only its options and lacks" in texts(preview)
    assert preview["submit"]["text"] == "Save"


def test_a_sheet_shared_view_only_before_the_preview_keeps_save_back(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    sheet = builder.box.smartsheet.create_sheet(
        "Shared board", [{"title": "Deal", "type": "TEXT_NUMBER", "primary": True}], owner="member"
    )
    builder.box.smartsheet.share(sheet, "owner", "EDITOR")
    modal = to_summary(builder, alice, sheet)
    add_mapping(builder, alice, modal, "Name", "Deal")
    submit(alice, modal, {})
    builder.box.smartsheet.share(sheet, "owner", "VIEWER")  # the sheet's owner changed it

    submit(alice, modal, {})

    preview = wait_view(builder, modal, CallbackId.PREVIEW)
    assert "needs Editor access" in texts(preview)
    assert not preview.get("submit")  # no Save while it blocks


def test_new_sheet_without_a_name_is_refused_under_the_name_input(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    modal = open_builder(builder, alice)

    answer = submit(
        alice,
        modal,
        {"builder_object": "Opportunity", "builder_sheet": "new", "builder_name": "Fresh"},
    )

    assert answer == {
        "response_action": "errors",
        "errors": {"new_sheet": "Name the new sheet, or pick an existing sheet."},
    }
