"""Builder views stay within Slack's limits for any object and sheet, and show what the
person needs. Every view is also checked by the sandbox's copy of Slack's own rules."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.builder.ids import ActionId, BlockId, CallbackId
from handlers.builder.metadata import ViewState
from handlers.views.builder_options import (
    column_options,
    field_options,
    object_options,
    sheet_options,
)
from handlers.views.limits import ViewLimitError, guard
from handlers.views.workflow_modal import (
    CaseAccess,
    add_mapping_view,
    change_consequences,
    confirm_view,
    failed_view,
    filter_view,
    loading_view,
    mappings_view,
    preview_view,
    what_view,
)
from sandbox.slack.view_rules import check_view
from sync.convert import compatibility
from sync.draft import Draft
from sync.model import (
    ColumnType,
    Condition,
    Direction,
    FieldMapping,
    Filter,
    SalesforceType,
    SheetColumn,
)
from sync.ports import ObjectInfo, SheetInfo
from sync.preview import Preview, ValueFailure
from tests.unit.builders import a_field

STATE = ViewState("f" * 32)
WIDE = [
    a_field(f"Field_{i:03d}__c", label=f"A rather long field label number {i:03d}")
    for i in range(500)
]
FIELDS = {f.name: f for f in WIDE}
COLUMNS = [
    SheetColumn(i, f"Column with a long title {i:03d}", ColumnType.TEXT_NUMBER) for i in range(400)
]


def slack_accepts(view: dict[str, Any]) -> dict[str, Any]:
    check_view(view, "modal")
    return view


def a_draft(mappings: int = 0, **changes: Any) -> Draft:
    fields = tuple(
        FieldMapping(WIDE[i].name, COLUMNS[i].title, Direction.BOTH) for i in range(mappings)
    )
    return Draft(team="T1", owner="U1", object="Wide__c", sheet_id=5, fields=fields, **changes)


def blocks_of(view: dict[str, Any]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = view["blocks"]
    return blocks


def test_the_placeholder_and_the_error_view_are_valid_and_the_error_offers_retry() -> None:
    assert slack_accepts(loading_view())["callback_id"] == CallbackId.LOADING
    failed = slack_accepts(failed_view("Salesforce did not answer in time.", STATE))
    retry = blocks_of(failed)[1]["elements"][0]
    assert (retry["action_id"], retry["value"]) == (ActionId.RETRY, STATE.draft_id)


def test_step_one_offers_only_the_callers_connections_and_explains_a_missing_preset() -> None:
    view = slack_accepts(
        what_view(STATE, a_draft(), [(3, "Acme production")], CaseAccess(False, "no Case access"))
    )
    connection = blocks_of(view)[0]["element"]
    assert [o["value"] for o in connection["options"]] == ["3"]
    texts = str(view)
    assert "Service Cloud preset unavailable: no Case access" in texts
    assert "service_cloud" not in texts


def test_step_one_offers_the_service_cloud_preset_when_case_is_accessible() -> None:
    view = slack_accepts(what_view(STATE, a_draft(), [(3, "Acme")], CaseAccess(True)))
    preset = next(b for b in blocks_of(view) if b.get("block_id") == BlockId.PRESET)
    assert [o["value"] for o in preset["element"]["options"]] == ["salesforce", "service_cloud"]


def test_a_summary_of_500_mappings_stays_within_100_blocks_and_lists_them_all() -> None:
    view = slack_accepts(mappings_view(STATE, a_draft(400), FIELDS))
    assert len(blocks_of(view)) <= 100
    text = "\n".join(b.get("text", {}).get("text", "") for b in blocks_of(view))
    assert "A rather long field label number 000 ⇄ Column with a long title 000" in text
    assert "A rather long field label number 399 ⇄ Column with a long title 399" in text
    assert len(view["private_metadata"]) <= 3000


def test_caveats_of_400_mappings_are_shown_within_slacks_limits() -> None:
    draft = a_draft(400, preset="service_cloud", case_hidden=("Origin",))
    warnings = [f"Caveat number {i:03d} of a mapping, told in a long sentence." for i in range(400)]
    view = slack_accepts(mappings_view(STATE, draft, FIELDS, warnings))
    assert len(blocks_of(view)) <= 100
    text = "\n".join(b.get("text", {}).get("text", "") for b in blocks_of(view))
    assert "Works, with a caveat" in text and "Caveat number 000" in text
    assert "A rather long field label number 399 ⇄ Column with a long title 399" in text


def test_the_preview_shows_caveats_and_keeps_save() -> None:
    result = Preview(1, ("A",), (("x",),), (), 0, "The sheet is empty.", warnings=("Careful.",))
    view = slack_accepts(preview_view(STATE, a_draft(1), result))
    assert "Allowed, with a caveat" in str(view["blocks"]) and "Careful." in str(view["blocks"])
    assert view["submit"]["text"] == "Save"


def test_a_read_only_field_offers_only_the_to_sheet_direction() -> None:
    related = a_field("Account.Name", label="Account Name", createable=False, updateable=False)
    draft = Draft(
        team="T1",
        owner="U1",
        fields=(FieldMapping("Account.Name", "Account", Direction.TO_SMARTSHEET),),
    )
    view = slack_accepts(mappings_view(STATE, draft, {"Account.Name": related}))
    row = blocks_of(view)[2]
    assert "Account Name _(read-only)_ → Account" in row["text"]["text"]
    assert [o["value"] for o in row["accessory"]["options"]] == ["edit:0", "remove:0"]


def test_adding_a_mapping_to_a_400_column_sheet_uses_type_ahead_for_columns() -> None:
    columns = [(c, compatibility(WIDE[0], c, Direction.BOTH)) for c in COLUMNS]
    view = slack_accepts(add_mapping_view(STATE, WIDE[0], columns))
    column = next(b for b in blocks_of(view) if b.get("block_id") == BlockId.COLUMN)
    assert column["element"]["type"] == "external_select"
    answer = column_options(columns, "")
    assert len(answer["options"]) == 100
    assert answer["options"][0]["value"] == "new"


def test_only_compatible_columns_are_offered_for_a_field() -> None:
    amount = a_field("Amount", SalesforceType.CURRENCY, label="Amount")
    columns = [
        SheetColumn(1, "Amount", ColumnType.TEXT_NUMBER),
        SheetColumn(2, "Done", ColumnType.CHECKBOX),
        SheetColumn(3, "When", ColumnType.DATE),
    ]
    verdicts = [(c, compatibility(amount, c, Direction.BOTH)) for c in columns]
    view = slack_accepts(add_mapping_view(STATE, amount, verdicts))
    column = next(b for b in blocks_of(view) if b.get("block_id") == BlockId.COLUMN)
    assert [o["value"] for o in column["element"]["options"]] == ["new", "Amount"]


def test_the_filter_step_keeps_five_conditions_and_explains_the_defaults() -> None:
    draft = a_draft(
        1, filter=Filter((Condition("Field_001__c", "in", ["a", "b"]),), match_all=False)
    )
    view = slack_accepts(filter_view(STATE, draft, {"Field_001__c": "Field one"}))
    ids = [b.get("block_id") for b in blocks_of(view)]
    assert "filter_value_4" in ids and "filter_value_5" not in ids
    value = next(b for b in blocks_of(view) if b.get("block_id") == "filter_value_0")
    assert value["element"]["initial_value"] == "a, b"
    assert "Salesforce wins by default" in str(view)


def test_the_preview_shows_rows_failures_and_refuses_save_when_blocked() -> None:
    failures = tuple(
        ValueFailure(f"006{i:015d}", "Stage", '"X" is not an option') for i in range(20)
    )
    result = Preview(
        matching=20_000,
        headers=tuple(c.title for c in COLUMNS[:60]),
        sample=tuple(tuple("value" * 20 for _ in range(60)) for _ in range(5)),
        failures=failures,
        failure_count=345,
        existing="The sheet is empty: 20,000 rows will be added, one per record.",
    )
    view = slack_accepts(preview_view(STATE, a_draft(60), result))
    assert view["submit"]["text"] == "Save"
    text = str(view)
    assert "*20,000* Wide__c records match." in text and "345 values would fail" in text
    assert "…and 325 more." in text
    blocked = Preview(0, (), (), (), 0, "The sheet is empty", ("Nothing is mapped yet.",))
    assert "submit" not in slack_accepts(preview_view(STATE, a_draft(), blocked))


def test_changing_the_object_while_editing_asks_first() -> None:
    before = a_draft(editing=7)
    after = Draft(team="T1", owner="U1", object="Case", sheet_id=5, editing=7)
    changes = change_consequences(before, after)
    assert changes[0] == "The object changes from Wide__c to Case."
    assert any("Links between records and rows are dropped" in c for c in changes)
    slack_accepts(confirm_view(STATE, changes))
    assert change_consequences(before, before) == []


def test_object_options_group_standard_and_custom_within_100() -> None:
    objects = [ObjectInfo(f"Std{i}", f"Standard {i}", False, True, True, True) for i in range(150)]
    objects += [ObjectInfo(f"Cus{i}__c", f"Custom {i}", True, True, True, True) for i in range(80)]
    answer = object_options(objects)
    groups = answer["option_groups"]
    assert [g["label"]["text"] for g in groups] == ["Standard", "Custom"]
    assert [len(g["options"]) for g in groups] == [50, 50]
    assert groups[1]["options"][0]["text"]["text"] == "Custom 0 (Cus0__c)"


def test_field_options_mark_read_only_fields_and_cut_long_labels() -> None:
    long = a_field("Very__c", label="L" * 90, calculated=True)
    answer = field_options([long, *WIDE])
    assert len(answer["options"]) == 100
    assert answer["options"][0]["text"]["text"].endswith("…")
    assert len(answer["options"][0]["text"]["text"]) == 75


def test_sheet_options_leave_out_sheets_the_user_cannot_edit() -> None:
    sheets = [
        SheetInfo(1, "Pipeline", 1, "OWNER", ()),
        SheetInfo(2, "Pipeline (view only)", 1, "VIEWER", ()),
        SheetInfo(3, "Pipeline shared", 1, "EDITOR", ()),
    ]
    answer = sheet_options(sheets, "pipe")
    assert [o["value"] for o in answer["options"]] == ["new", "1", "3"]


def test_the_guard_refuses_what_slack_would_refuse() -> None:
    view = loading_view()
    view["title"]["text"] = "A title that is far too long"
    view["blocks"] = [{"type": "divider"}] * 101
    view["private_metadata"] = "x" * 3001
    with pytest.raises(ViewLimitError) as caught:
        guard(view)
    assert len(caught.value.problems) == 3
