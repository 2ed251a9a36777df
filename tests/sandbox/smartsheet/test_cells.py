"""Cell values per column type: what is stored, what comes back, what is refused."""

from __future__ import annotations

from typing import Any

import pytest
import smartsheet
from smartsheet.models import Row

from sandbox.smartsheet import SmartsheetEmulator

from .conftest import ClientFactory
from .helpers import cell, column_ids, failure, http

LONG = "x" * 4000


@pytest.fixture
def pipeline_ids(owner: smartsheet.Smartsheet, pipeline: int) -> dict[str, int]:
    return column_ids(owner, pipeline)


def _write(
    client: smartsheet.Smartsheet, sheet_id: int, column_id: int, **fields: Any
) -> dict[str, Any]:
    """Add one row with one cell through the SDK; return that cell as read back raw."""
    row = Row({"toBottom": True, "cells": [{"columnId": column_id, **fields}]})
    added = client.Sheets.add_rows(sheet_id, [row]).result[0]
    fetched = client.Sheets.get_row(sheet_id, added.id, include="objectValue", level=2)
    raw = fetched.request_response.json()
    return next(c for c in raw["cells"] if c["columnId"] == column_id)


def _refusal(
    client: smartsheet.Smartsheet, sheet_id: int, column_id: int, **fields: Any
) -> tuple[int, int, str]:
    row = Row({"toBottom": True, "cells": [{"columnId": column_id, **fields}]})
    return failure(lambda: client.Sheets.add_rows(sheet_id, [row]))


def test_text_number_keeps_numbers_and_strings(
    owner: smartsheet.Smartsheet, pipeline: int, pipeline_ids: dict[str, int]
) -> None:
    amount = pipeline_ids["Amount"]
    assert _write(owner, pipeline, amount, value=100) == {
        "columnId": amount,
        "value": 100,
        "displayValue": "100",
        "objectValue": 100,
    }
    assert _write(owner, pipeline, amount, value=2.1)["displayValue"] == "2.1"
    assert _write(owner, pipeline, amount, value="123")["value"] == "123"  # strict: text
    assert _write(owner, pipeline, amount, value="123", strict=False)["value"] == 123
    flag = _write(owner, pipeline, amount, value=True)
    assert (flag["value"], flag["displayValue"]) == (True, "true")


def test_checkbox(
    owner: smartsheet.Smartsheet, pipeline: int, pipeline_ids: dict[str, int]
) -> None:
    won = pipeline_ids["Won"]
    ticked = _write(owner, pipeline, won, value=True)
    assert ticked["value"] is True and "displayValue" not in ticked
    assert _write(owner, pipeline, won, value="")["value"] is False  # cleared box reads false
    status, code, message = _refusal(owner, pipeline, won, value="yes")
    assert (status, code) == (400, 1042)
    assert message == (
        f"The value for cell in column {won}, yes, did not conform to the "
        "strict requirements for type CHECKBOX."
    )
    assert _write(owner, pipeline, won, value="yes", strict=False)["value"] is True


def test_date(owner: smartsheet.Smartsheet, pipeline: int, pipeline_ids: dict[str, int]) -> None:
    close = pipeline_ids["Close Date"]
    stored = _write(owner, pipeline, close, value="2024-02-29")
    assert stored["value"] == "2024-02-29" and "displayValue" not in stored
    assert _refusal(owner, pipeline, close, value="02/29/2024")[:2] == (400, 1042)
    assert _write(owner, pipeline, close, value="02/29/2024", strict=False)["value"] == (
        "2024-02-29"
    )


def test_picklist_free_text_unless_validated(
    emulator: SmartsheetEmulator,
    client_for: ClientFactory,
    pipeline: int,
    support: int,
    pipeline_ids: dict[str, int],
) -> None:
    owner = client_for("owner")
    # strict (the default) takes only an option, even without validation (issue #10.3) ...
    strict = _refusal(owner, pipeline, pipeline_ids["Stage"], value="Lost in space")
    assert strict[:2] == (400, 1042) and strict[2].endswith("for type PICKLIST.")
    # ... strict=false keeps the text, as the web app does.
    lenient = _write(owner, pipeline, pipeline_ids["Stage"], value="Lost in space", strict=False)
    assert lenient["value"] == "Lost in space"
    priority = column_ids(owner, support)["Priority"]
    status, code, message = _refusal(owner, support, priority, value="Urgent")
    assert (status, code) == (400, 1042) and message.endswith("for type PICKLIST.")
    overridden = _write(
        owner, support, priority, value="Urgent", strict=False, overrideValidation=True
    )
    assert overridden["value"] == "Urgent"
    emulator.share(support, "editor", "EDITOR")
    editor = client_for("editor")
    refused = _refusal(
        editor, support, priority, value="Urgent", strict=False, overrideValidation=True
    )
    assert refused[:2] == (403, 1212)


def test_multi_picklist_needs_object_value(
    owner: smartsheet.Smartsheet, pipeline: int, pipeline_ids: dict[str, int]
) -> None:
    tags = pipeline_ids["Tags"]
    status, code, message = _refusal(owner, pipeline, tags, value="SMB")
    assert (status, code) == (400, 1235)
    assert message == "Value is not supported for this column type. Use objectValue instead."
    stored = _write(
        owner,
        pipeline,
        tags,
        objectValue={"objectType": "MULTI_PICKLIST", "values": ["SMB", "Renewal"]},
    )
    assert stored["objectValue"] == {"objectType": "MULTI_PICKLIST", "values": ["SMB", "Renewal"]}
    assert stored["displayValue"] == "SMB, Renewal"
    wrong = _refusal(
        owner, pipeline, tags, objectValue={"objectType": "CONTACT", "email": "a@b.co"}
    )
    assert wrong[:2] == (400, 1131)


def test_contact_list(
    owner: smartsheet.Smartsheet, pipeline: int, pipeline_ids: dict[str, int]
) -> None:
    person = pipeline_ids["Owner"]
    known = _write(owner, pipeline, person, value="sam.rivera@example.com")
    assert (known["value"], known["displayValue"]) == ("sam.rivera@example.com", "Sam Rivera")
    assert known["objectValue"] == {
        "objectType": "CONTACT",
        "email": "sam.rivera@example.com",
        "name": "Sam Rivera",
    }
    stranger = _write(
        owner,
        pipeline,
        person,
        objectValue={"objectType": "CONTACT", "email": "pat@corp.example", "name": "Pat Doe"},
    )
    assert stranger["displayValue"] == "Pat Doe"
    assert _refusal(owner, pipeline, person, value="Pat Doe")[:2] == (400, 1042)
    assert _write(owner, pipeline, person, value="Pat Doe", strict=False)["value"] == "Pat Doe"


def test_multi_contact_list_levels(owner: smartsheet.Smartsheet, support: int) -> None:
    watchers = column_ids(owner, support)["Watchers"]
    value = {
        "objectType": "MULTI_CONTACT",
        "values": [
            {"objectType": "CONTACT", "email": "alex.chen@example.com"},
            {"objectType": "CONTACT", "email": "x@corp.example", "name": "X Y"},
        ],
    }
    stored = _write(owner, support, watchers, objectValue=value)
    assert stored["displayValue"] == "Alex Chen, X Y"
    assert [v["email"] for v in stored["objectValue"]["values"]] == [
        "alex.chen@example.com",
        "x@corp.example",
    ]
    assert _refusal(owner, support, watchers, value="alex.chen@example.com")[:2] == (400, 1235)
    plain = owner.Sheets.get_sheet(support).request_response.json()
    column = next(c for c in plain["columns"] if c["id"] == watchers)
    assert column["type"] == "TEXT_NUMBER"
    level_one = owner.Sheets.get_sheet(support, level=1).request_response.json()
    column = next(c for c in level_one["columns"] if c["id"] == watchers)
    assert (column["type"], column["version"]) == ("MULTI_CONTACT_LIST", 1)


def test_cell_length_limit(
    owner: smartsheet.Smartsheet, pipeline: int, pipeline_ids: dict[str, int]
) -> None:
    deal = pipeline_ids["Deal"]
    assert _write(owner, pipeline, deal, value=LONG)["value"] == LONG
    status, code, message = _refusal(owner, pipeline, deal, value=LONG + "y")
    assert (status, code) == (400, 1041) and "4000" in message and "4001" in message


def test_formulas(owner: smartsheet.Smartsheet, target: int) -> None:
    ids = column_ids(owner, target)
    row = Row(
        {
            "cells": [
                {"columnId": ids["Name"], "value": "f"},
                {"columnId": ids["Amount"], "value": 21},
            ]
        }
    )
    added = owner.Sheets.add_rows(target, [row]).result[0]
    doubled = Row(
        {"id": added.id, "cells": [{"columnId": ids["Name"], "formula": "=[Amount]@row * 2"}]}
    )
    result = owner.Sheets.update_rows(target, [doubled]).result[0]
    assert (cell(result, ids["Name"]).value, cell(result, ids["Name"]).formula) == (
        42,
        "=[Amount]@row * 2",
    )
    total = Row({"cells": [{"columnId": ids["Name"], "formula": "=SUM([Amount]1, 8)"}]})
    assert cell(owner.Sheets.add_rows(target, [total]).result[0], ids["Name"]).value == 29
    broken = Row({"cells": [{"columnId": ids["Name"], "formula": "=[Nope]@row"}]})
    assert cell(owner.Sheets.add_rows(target, [broken]).result[0], ids["Name"]).value == (
        "#UNPARSEABLE"
    )
    both = Row({"cells": [{"columnId": ids["Name"], "formula": "=1", "value": "1"}]})
    assert failure(lambda: owner.Sheets.add_rows(target, [both]))[:2] == (400, 1163)
    bare = Row({"cells": [{"columnId": ids["Name"], "formula": "1+1"}]})
    assert failure(lambda: owner.Sheets.add_rows(target, [bare]))[:2] == (400, 1162)


def test_cell_shape_errors(
    emulator: SmartsheetEmulator, owner: smartsheet.Smartsheet, target: int
) -> None:
    name = column_ids(owner, target)["Name"]

    def post(cells: list[dict[str, Any]]) -> tuple[int, int, str]:
        answer = http(
            "POST",
            f"{emulator.api_base}/sheets/{target}/rows",
            emulator.token_for("owner"),
            json=[{"cells": cells}],
        )
        return answer.status_code, answer.json()["errorCode"], answer.json()["message"]

    link = {"url": "http://example.com", "sheetId": 2}
    assert post([{"columnId": name, "value": "x", "hyperlink": link}]) == (
        400,
        1112,
        "hyperlink.url must be null for sheet, report, or Sight hyperlinks.",
    )
    assert post([{"columnId": name, "value": "a", "objectValue": "b"}])[:2] == (400, 1130)
    assert post([{"columnId": name, "value": "a"}, {"columnId": name, "value": "b"}])[:2] == (
        400,
        1037,
    )
    assert post([{"columnId": name}]) == (
        400,
        1012,
        "Required object attribute(s) are missing from your request: cell.value.",
    )
    assert post([{"columnId": name, "value": {"a": 1}}])[:2] == (400, 1038)


def test_clearing_a_value_leaves_an_empty_cell(
    owner: smartsheet.Smartsheet, pipeline: int, pipeline_ids: dict[str, int]
) -> None:
    deal = pipeline_ids["Deal"]
    row_id = owner.Sheets.get_sheet(pipeline).rows[0].id
    cleared = Row({"id": row_id, "cells": [{"columnId": deal, "value": ""}]})
    raw = owner.Sheets.update_rows(pipeline, [cleared]).request_response.json()
    assert next(c for c in raw["result"][0]["cells"] if c["columnId"] == deal) == {"columnId": deal}


def test_system_columns_are_computed_and_read_only(
    emulator: SmartsheetEmulator, owner: smartsheet.Smartsheet
) -> None:
    sheet_id = emulator.create_sheet(
        "Audit",
        [
            {"title": "Item", "type": "TEXT_NUMBER", "primary": True},
            {"title": "Modified", "type": "DATETIME", "systemColumnType": "MODIFIED_DATE"},
            {"title": "Modified By", "type": "CONTACT_LIST", "systemColumnType": "MODIFIED_BY"},
            {
                "title": "No.",
                "type": "TEXT_NUMBER",
                "systemColumnType": "AUTO_NUMBER",
                "autoNumberFormat": {"prefix": "T-", "fill": "000"},
            },
        ],
    )
    ids = column_ids(owner, sheet_id)
    emulator.add_row(sheet_id, {"Item": "one"}, as_user="owner")
    emulator.add_row(sheet_id, {"Item": "two"}, as_user="owner")
    rows = owner.Sheets.get_sheet(sheet_id).rows
    assert cell(rows[1], ids["No."]).value == "T-002"
    assert cell(rows[0], ids["Modified By"]).display_value == "Morgan Lee"
    assert cell(rows[0], ids["Modified"]).value.endswith("Z")
    write = Row({"id": rows[0].id, "cells": [{"columnId": ids["No."], "value": "T-9"}]})
    assert failure(lambda: owner.Sheets.update_rows(sheet_id, [write]))[:2] == (400, 1046)
