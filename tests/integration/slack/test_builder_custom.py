"""The full create path for a custom object into a new sheet (issue #7): Project__c, a
formula field that may only go to the sheet, a related field one level up, new columns of
the matching type, the backfill, and the same YAML as an imported workflow."""

from __future__ import annotations

from typing import Any

from handlers.builder.ids import ActionId, CallbackId
from sandbox.slack import SlackUser
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


def add_new_column(
    bot: RunningBot, user: SlackUser, modal: str, field: str, title: str, direction: str
) -> dict[str, Any]:
    """Add mapping: `field` by type-ahead to a new column `title`; the pushed view as it
    was before submitting (to read what it offered)."""
    pushed = user.click(ActionId.ADD_MAPPING, view_id=modal)
    bot.slack.wait_for_call("views.push", after=pushed.calls_before)
    adding = bot.slack.modal_stack(user.user_id)[-1]
    user.suggest(ActionId.FIELD, field, view_id=adding)
    chosen = user.click(ActionId.FIELD, view_id=adding, selected=field)
    bot.slack.wait_for_call("views.update", after=chosen.calls_before)
    offered = view(bot, adding)
    before = len(bot.slack.calls)
    values = {"builder_column": "new", "builder_new_column": title, "builder_direction": direction}
    assert submit(user, adding, values) == {}
    bot.slack.wait_for_call("views.update", after=before)
    return offered


def directions(found: dict[str, Any]) -> list[str]:
    block = next(b for b in found["blocks"] if b["block_id"] == "direction")
    return [o["value"] for o in block["element"]["options"]]


def test_a_custom_object_into_a_new_sheet_from_start_to_syncing(
    builder: RunningBot, alice: SlackUser
) -> None:
    builder.connect(alice.user_id)
    modal = open_builder(builder, alice)
    found = alice.suggest(ActionId.OBJECT, "project", view_id=modal).json["option_groups"]
    assert [(g["label"]["text"], [o["text"]["text"] for o in g["options"]]) for g in found] == [
        ("Custom", ["Project (Project__c)"])
    ]
    submit(
        alice,
        modal,
        {
            "builder_object": "Project__c",
            "builder_sheet": "new",
            "builder_new_sheet": "Projects board",
            "builder_name": "Projects",
        },
    )
    assert view(builder, modal)["callback_id"] == CallbackId.MAPPINGS

    name = add_new_column(builder, alice, modal, "Name", "Project", "both")
    assert sorted(directions(name)) == ["both", "to_salesforce", "to_smartsheet"]
    score = add_new_column(builder, alice, modal, "Score__c", "Score", "to_smartsheet")
    assert directions(score) == ["to_smartsheet"]  # a formula field: to the sheet only
    assert "formula fields go to the sheet only" in texts(score)
    account = add_new_column(builder, alice, modal, "Account__r.Name", "Account", "to_smartsheet")
    assert directions(account) == ["to_smartsheet"]  # a related field: read-only
    summary = texts(view(builder, modal))
    assert "Score _(read-only)_ → Score" in summary
    assert "Account Name _(read-only)_ → Account" in summary

    submit(alice, modal, {})
    submit(alice, modal, {})
    preview = texts(wait_view(builder, modal, CallbackId.PREVIEW))
    projects = len(builder.box.salesforce.records("Project__c"))
    assert f"*{projects:,}* Project__c records match." in preview
    calls = len(builder.slack.calls)
    assert "is saved" in saved(builder, alice, modal)
    done = final_update(builder, calls)
    assert f"{projects:,} rows created, 0 row errors" in done.args["text"]

    sheet = builder.box.smartsheet.find_sheet("Projects board")
    columns = {c["title"]: c["type"] for c in builder.box.smartsheet.sheet(sheet)["columns"]}
    assert {"Project", "Score", "Account"} <= set(columns)
    assert len(builder.box.smartsheet.sheet_rows(sheet)) == projects
    (spec,) = export_specs(builder.store, alice.team_id)
    assert dump([spec]) == dump(
        parse(f"""
workflows:
  - name: Projects
    team: {alice.team_id}
    owner: {alice.user_id}
    salesforce: {{org: {spec.org}, object: Project__c}}
    smartsheet: {{sheet: {sheet}}}
    fields:
      - {{field: Name, column: Project, direction: both}}
      - {{field: Score__c, column: Score, direction: to_smartsheet}}
      - {{field: Account__r.Name, column: Account, direction: to_smartsheet}}
""")
    )
