"""Column endpoints and row discussions/comments."""

from __future__ import annotations

import smartsheet
from smartsheet.models import Column, Comment, Discussion

from sandbox.smartsheet import SmartsheetEmulator

from .conftest import ClientFactory
from .helpers import column_ids, failure, http, raw_json


def test_list_and_get_columns(owner: smartsheet.Smartsheet, pipeline: int) -> None:
    listed = owner.Sheets.get_columns(pipeline)
    assert (listed.page_number, listed.total_count) == (1, 9)
    assert [c.index for c in listed.data] == list(range(9))
    stage = next(c for c in listed.data if c.title == "Stage")
    fetched = owner.Sheets.get_column(pipeline, stage.id)
    assert (str(fetched.type), list(fetched.options)[:2]) == (
        "PICKLIST",
        ["Prospecting", "Qualification"],
    )
    assert failure(lambda: owner.Sheets.get_column(pipeline, 5))[:2] == (404, 1006)


def test_add_columns_inserts_at_index(owner: smartsheet.Smartsheet, target: int) -> None:
    added = owner.Sheets.add_columns(
        target,
        [
            Column({"title": "Region", "type": "PICKLIST", "options": ["EU", "US"], "index": 1}),
            Column({"title": "Signed", "type": "CHECKBOX", "index": 2}),
        ],
    )
    assert (added.message, added.result_code) == ("SUCCESS", 0)
    assert [(c.title, c.index) for c in added.result] == [("Region", 1), ("Signed", 2)]
    titles = [c.title for c in owner.Sheets.get_columns(target, include_all=True).data]
    assert titles == ["Name", "Region", "Signed", "Amount", "Stage", "Close Date"]


def test_add_column_errors(owner: smartsheet.Smartsheet, target: int) -> None:
    def add(props: dict[str, object]) -> object:
        return owner.Sheets.add_columns(target, [Column(props)])

    assert failure(lambda: add({"title": "Amount", "type": "TEXT_NUMBER", "index": 1}))[:2] == (
        400,
        1056,
    )
    assert failure(lambda: add({"title": "X", "type": "TEXT_NUMBER"}))[:2] == (400, 1012)
    assert failure(lambda: add({"title": "X", "type": "DATE", "index": 1, "options": ["a"]}))[
        :2
    ] == (400, 1060)


def test_update_and_delete_column(owner: smartsheet.Smartsheet, pipeline: int) -> None:
    ids = column_ids(owner, pipeline)
    updated = owner.Sheets.update_column(
        pipeline,
        ids["Sync Status"],
        Column({"title": "Status", "type": "PICKLIST", "options": ["OK", "Error"]}),
    )
    assert (updated.result.title, str(updated.result.type)) == ("Status", "PICKLIST")
    version = owner.Sheets.get_sheet_version(pipeline).version
    deleted = owner.Sheets.delete_column(pipeline, ids["Salesforce Id"])
    assert deleted.message == "SUCCESS"
    assert owner.Sheets.get_sheet_version(pipeline).version == version + 1
    assert "Salesforce Id" not in column_ids(owner, pipeline)
    assert failure(lambda: owner.Sheets.delete_column(pipeline, ids["Deal"]))[:2] == (400, 1065)
    retype = Column({"type": "DATE"})
    assert failure(lambda: owner.Sheets.update_column(pipeline, ids["Deal"], retype))[:2] == (
        400,
        1057,
    )


def test_column_changes_need_admin(client_for: ClientFactory, pipeline: int) -> None:
    editor = client_for("editor")
    new = [Column({"title": "Mine", "type": "TEXT_NUMBER", "index": 0})]
    assert failure(lambda: editor.Sheets.add_columns(pipeline, new))[:2] == (403, 1004)


def test_row_discussion_round_trip(
    client_for: ClientFactory, emulator: SmartsheetEmulator, pipeline: int
) -> None:
    editor = client_for("editor")
    row_id = editor.Sheets.get_sheet(pipeline).rows[0].id
    version = editor.Sheets.get_sheet_version(pipeline).version
    created = editor.Discussions.create_discussion_on_row(
        pipeline, row_id, Discussion({"comment": Comment({"text": "Amount looks wrong"})})
    )
    discussion = created.result
    assert discussion.title == "Amount looks wrong"
    assert discussion.comments[0].created_by.email == "sam.rivera@example.com"
    assert created.version == version + 1
    reply = editor.Discussions.add_comment_to_discussion(
        pipeline, discussion.id, Comment({"text": "Fixed in Salesforce"})
    )
    assert reply.result.text == "Fixed in Salesforce"
    listed = editor.Discussions.get_row_discussions(pipeline, row_id, include="comments")
    assert listed.total_count == 1
    assert [c.text for c in listed.data[0].comments] == [
        "Amount looks wrong",
        "Fixed in Salesforce",
    ]
    body = raw_json(editor.Sheets.get_row(pipeline, row_id, include="discussions"))
    assert body["discussions"][0]["commentCount"] == 2


def test_discussion_errors(
    client_for: ClientFactory, emulator: SmartsheetEmulator, pipeline: int
) -> None:
    viewer = client_for("viewer")
    row_id = viewer.Sheets.get_sheet(pipeline).rows[0].id
    comment = Discussion({"comment": Comment({"text": "hi"})})
    assert failure(lambda: viewer.Discussions.create_discussion_on_row(pipeline, row_id, comment))[
        :2
    ] == (403, 1004)
    answer = http(
        "POST",
        f"{emulator.api_base}/sheets/{pipeline}/rows/{row_id}/discussions",
        emulator.token_for("owner"),
        json={"comment": {"text": "x", "createdBy": {"email": "a@b.co"}}},
    )
    assert answer.json()["message"] == (
        "The attribute(s) discussion.comment.createdBy are not allowed for this operation."
    )
    owner = client_for("owner")
    assert failure(
        lambda: owner.Discussions.add_comment_to_discussion(pipeline, 99, Comment({"text": "x"}))
    )[:2] == (404, 1006)
