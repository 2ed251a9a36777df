"""The emulator's responses have the structure of recorded/official Smartsheet payloads.

Structure means: the keys a recorded object always has are present, and shared keys hold
the same JSON types (cell ``value``/``objectValue`` may be any primitive). The SDK-test
scenario files are replayed against the emulator with their ids mapped onto a real sheet;
their error responses must match code and message exactly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import reduce
from pathlib import Path
from typing import Any

import pytest
import requests

from sandbox.smartsheet import SmartsheetEmulator

from .helpers import http

RECORDED = Path(__file__).resolve().parents[2] / "fixtures" / "recorded" / "smartsheet"
_FREE = {"value", "objectValue"}
_ROW_KEYS = {"id", "siblingId", "parentId"}


# -- structure comparison ---------------------------------------------------------------
def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def assert_shape(
    actual: Any, example: Any, path: str = "$", optional: frozenset[str] = frozenset()
) -> None:
    if isinstance(example, dict):
        _object(actual, example, set(example) - optional, path, optional)
    elif isinstance(example, list):
        _array(actual, example, path, optional)
    else:
        assert _kind(actual) == _kind(example), f"{path}: {actual!r} vs {example!r}"


def _object(
    actual: Any, example: dict[str, Any], required: set[str], path: str, optional: frozenset[str]
) -> None:
    assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
    missing = required - set(actual)
    assert not missing, f"{path}: missing {sorted(missing)}"
    for key in set(example) & set(actual):
        if key not in _FREE:
            assert_shape(actual[key], example[key], f"{path}.{key}", optional)


def _array(actual: Any, example: list[Any], path: str, optional: frozenset[str]) -> None:
    assert isinstance(actual, list), f"{path}: expected an array, got {actual!r}"
    if not example or not actual:
        return
    if not all(isinstance(item, dict) for item in example):
        for item in actual:
            assert_shape(item, example[0], f"{path}[]", optional)
        return
    # Keys every example element has are required; any example element shows a key's type.
    required = reduce(set.intersection, (set(item) for item in example)) - optional
    merged: dict[str, Any] = reduce(lambda acc, item: {**item, **acc}, example, {})
    for index, item in enumerate(actual):
        _object(item, merged, required, f"{path}[{index}]", optional)


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text())


def scenario(file: str, title: str) -> dict[str, Any]:
    return next(s for s in recorded(file) if s["scenario"] == title)


# -- id mapping and replay --------------------------------------------------------------
@dataclass(frozen=True)
class IdMap:
    """Where the example's ids land on the scratch sheet."""

    columns: dict[int, int]
    rows: dict[int, int]

    def translate(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.translate(item) for item in value]
        if isinstance(value, dict):
            return {key: self._one(key, item) for key, item in value.items()}
        return value

    def _one(self, key: str, value: Any) -> Any:
        if key == "columnId" and isinstance(value, int):
            return self.columns.get(value, value)
        if key in _ROW_KEYS and isinstance(value, int):
            return self.rows.get(value, value)
        return self.translate(value)

    def path(self, url_path: str, sheet_id: int) -> str:
        path = re.sub(r"^/sheets/\d+", f"/sheets/{sheet_id}", url_path)
        path = re.sub(r"/rows/(\d+)", lambda m: f"/rows/{self.rows.get(int(m[1]), m[1])}", path)
        return re.sub(
            r"/columns/(\d+)", lambda m: f"/columns/{self.columns.get(int(m[1]), m[1])}", path
        )


def replay(
    emulator: SmartsheetEmulator, entry: dict[str, Any], sheet_id: int, ids: IdMap
) -> requests.Response:
    request = entry["request"]
    headers = {k: v for k, v in (request.get("headers") or {}).items() if k != "Content-Type"}
    body = request.get("body")
    return http(
        request["method"],
        emulator.api_base + ids.path(request["urlPath"], sheet_id),
        emulator.token_for("owner"),
        params=request.get("queryParameters"),
        json=ids.translate(body) if body is not None else None,
        headers=headers,
    )


def check_replay(
    answer: requests.Response, entry: dict[str, Any], optional: frozenset[str] = frozenset()
) -> None:
    expected = entry["response"]
    assert answer.status_code == expected.get("status", 200), answer.text
    body = expected["jsonBody"]
    if answer.status_code == 200:
        assert_shape(answer.json(), body, optional=optional)
    else:
        got = answer.json()
        assert (got["errorCode"], got["message"]) == (body["errorCode"], body["message"])
        if "detail" in body:
            assert got["detail"]["index"] == body["detail"]["index"]


# -- a scratch sheet for the scenarios --------------------------------------------------
def scratch(
    emulator: SmartsheetEmulator,
    *,
    flag_first: bool = False,
    example_columns: tuple[int, ...] = (101, 102),
    example_rows: tuple[int, ...] = (10, 11),
) -> tuple[int, IdMap]:
    """A sheet with one column per example column id (Column1..n) and four rows.

    ``flag_first`` makes Column1 a CHECKBOX (Column2 is then the primary column).
    """
    columns: list[dict[str, Any]] = [
        {"title": f"Column{n}", "type": "TEXT_NUMBER"} for n in range(1, len(example_columns) + 1)
    ]
    columns[1 if flag_first else 0]["primary"] = True
    if flag_first:
        columns[0]["type"] = "CHECKBOX"
    sheet_id = emulator.create_sheet("Scenario", columns)
    values: list[dict[str, Any]] = [
        {"Column1": True if flag_first else f"r{n}"} for n in range(1, 5)
    ]
    if len(columns) > 1:
        for n, row in enumerate(values, start=1):
            row["Column2"] = n
    real_rows = [emulator.add_row(sheet_id, row) for row in values]
    real_columns = [c.id for c in emulator.sheets[sheet_id].columns]
    return sheet_id, IdMap(
        dict(zip(example_columns, real_columns, strict=True)),
        dict(zip(example_rows, real_rows, strict=False)),
    )


_ROW_SCENARIOS = [
    s["scenario"] for s in recorded("rows_scenarios.json") if "Predecessor" not in s["scenario"]
]


@pytest.mark.parametrize("title", _ROW_SCENARIOS)
def test_rows_scenarios_replay(emulator: SmartsheetEmulator, title: str) -> None:
    entry = scenario("rows_scenarios.json", title)
    sheet_id, ids = scratch(emulator, flag_first="Checkbox" in title)
    check_replay(replay(emulator, entry, sheet_id, ids), entry)


@pytest.mark.parametrize(
    "title",
    [
        "Serialization - Rows",
        "Serialization - BulkFailure",
        "Serialization - Column",
        "Serialization - Discussion",
    ],
)
def test_serialization_scenarios_replay(emulator: SmartsheetEmulator, title: str) -> None:
    entry = scenario("serialization_scenarios.json", title)
    columns = {"Serialization - Rows": (2, 3, 5), "Serialization - BulkFailure": (2,)}.get(
        title, (2, 4)
    )
    sheet_id, ids = scratch(emulator, example_columns=columns, example_rows=(2,))
    answer = replay(emulator, entry, sheet_id, ids)
    check_replay(answer, entry)
    if title == "Serialization - BulkFailure":
        failed = answer.json()["failedItems"]
        expected = entry["response"]["jsonBody"]["failedItems"]
        assert [(f["index"], f["error"]["errorCode"], f["error"]["message"]) for f in failed] == [
            (e["index"], e["error"]["errorCode"], e["error"]["message"]) for e in expected
        ]


def test_create_sheet_scenarios(emulator: SmartsheetEmulator) -> None:
    for file, title in [
        ("serialization_scenarios.json", "Serialization - Sheet"),
        ("header_scenarios.json", "Change Agent Header - Can Be Passed"),
        ("sheets_scenarios.json", "Create Sheet - Invalid - No Columns"),
    ]:
        entry = scenario(file, title)
        check_replay(replay(emulator, entry, 0, IdMap({}, {})), entry)


@pytest.mark.parametrize("title", ["List Sheets - No Params", "List Sheets - Include Owner Info"])
def test_list_sheets_scenarios(emulator: SmartsheetEmulator, title: str) -> None:
    entry = scenario("sheets_scenarios.json", title)
    check_replay(replay(emulator, entry, 0, IdMap({}, {})), entry)


@pytest.mark.parametrize(
    "title",
    ["Update Column - Change Type - Picklist", "Update Column - Change Type - Contact List"],
)
def test_update_column_scenarios(emulator: SmartsheetEmulator, title: str) -> None:
    entry = scenario("columns_scenarios.json", title)
    sheet_id, ids = scratch(emulator, example_columns=(1, 234, 3))
    check_replay(replay(emulator, entry, sheet_id, ids), entry)


def test_get_sheet_matches_assume_user_scenario(emulator: SmartsheetEmulator) -> None:
    entry = scenario("header_scenarios.json", "Assume User - Can Be Set")
    sheet_id, ids = scratch(emulator, example_columns=(234, 235))
    # One example column (the primary) and a user with favourites/filters: those keys are
    # not on every column or every sheet.
    optional = frozenset(
        {"primary", "favorite", "showParentRowsForFilters", "appliedSheetFilterId"}
    )
    check_replay(replay(emulator, entry, sheet_id, ids), entry, optional)


# -- the canned Java SDK responses ------------------------------------------------------
def _get(emulator: SmartsheetEmulator, path: str, **params: Any) -> Any:
    answer = http("GET", emulator.api_base + path, emulator.token_for("owner"), params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_get_sheet_and_list_sheets_payloads(emulator: SmartsheetEmulator) -> None:
    pipeline = emulator.find_sheet("Pipeline")
    assert_shape(
        _get(emulator, f"/sheets/{pipeline}"),
        recorded("getSheet.json"),
        optional=frozenset({"source", "tags"}),
    )
    assert_shape(_get(emulator, "/sheets"), recorded("listSheets.json"))
    assert_shape(_get(emulator, "/users/me"), recorded("getCurrentUser.json"))
    assert_shape(_get(emulator, f"/sheets/{pipeline}/columns"), recorded("listColumns.json"))
    column = emulator.sheets[pipeline].columns[4].id
    assert_shape(
        _get(emulator, f"/sheets/{pipeline}/columns/{column}"),
        recorded("getColumn.json"),
        optional=frozenset({"symbol"}),
    )
    row = emulator.sheets[pipeline].rows[0].id
    # Its DATE and CHECKBOX cells have no displayValue, so that key cannot be required.
    assert_shape(
        _get(
            emulator,
            f"/sheets/{pipeline}/rows/{row}",
            include="columnType",
            exclude="nonexistentCells",
        ),
        recorded("getRow.json"),
        optional=frozenset({"displayValue"}),
    )


def test_write_payloads(emulator: SmartsheetEmulator) -> None:
    sheet_id, ids = scratch(emulator, flag_first=True, example_columns=(101, 102, 103))
    flag, text = ids.columns[101], ids.columns[102]
    token = emulator.token_for("owner")
    base = f"{emulator.api_base}/sheets/{sheet_id}"
    added = http(
        "POST",
        f"{base}/rows",
        token,
        params={"include": "columnType"},
        json=[
            {
                "toBottom": True,
                "cells": [
                    {"columnId": flag, "value": True},
                    {"columnId": text, "value": "New status"},
                    {"columnId": ids.columns[103], "value": 3},
                ],
            }
        ]
        * 2,
    )
    assert_shape(added.json(), recorded("insertRows.json"))
    parent = added.json()["result"][0]["id"]
    child = http(
        "POST",
        f"{base}/rows",
        token,
        json=[{"parentId": parent, "cells": [{"columnId": text, "value": "child"}]}],
    ).json()["result"][0]["id"]
    updated = http(
        "PUT",
        f"{base}/rows",
        token,
        json=[{"id": child, "cells": [{"columnId": text, "value": "sda"}]}],
    )
    assert_shape(updated.json(), recorded("updateRows.json"))
    deleted = http("DELETE", f"{base}/rows", token, params={"ids": f"{parent},{child}"})
    assert_shape(deleted.json(), recorded("deleteRow.json"))
    columns = http(
        "POST",
        f"{base}/columns",
        token,
        json=[
            {
                "title": "New Picklist Column 1",
                "type": "PICKLIST",
                "options": ["First"],
                "index": 3,
            },
            {"title": "New Date Column", "type": "DATE", "index": 4},
        ],
    )
    assert_shape(columns.json(), recorded("addColumn.json"))
    renamed = http(
        "PUT",
        f"{base}/columns/{ids.columns[103]}",
        token,
        json={"title": "First Column", "type": "PICKLIST", "options": ["One"]},
    )
    assert_shape(renamed.json(), recorded("updateColumn.json"))
    row = ids.rows[10]
    discussion = http(
        "POST",
        f"{base}/rows/{row}/discussions",
        token,
        json={"comment": {"text": "This text is the body of the first comment"}},
    )
    assert_shape(discussion.json(), recorded("createDiscussionOnRow.json"))


def test_error_payloads(emulator: SmartsheetEmulator) -> None:
    pipeline = emulator.find_sheet("Pipeline")
    denied = http(
        "POST",
        f"{emulator.api_base}/sheets/{pipeline}/rows",
        emulator.token_for("viewer"),
        json=[{"cells": []}],
    )
    assert denied.status_code == 403
    assert {k: v for k, v in denied.json().items() if k != "refId"} == recorded(
        "OAuthException.json"
    )
    row = emulator.sheets[pipeline].rows[0].id
    refused = http(
        "POST",
        f"{emulator.api_base}/sheets/{pipeline}/rows/{row}/discussions",
        emulator.token_for("owner"),
        json={"comment": {"text": "x", "createdBy": {"name": "me"}}},
    )
    assert {k: v for k, v in refused.json().items() if k != "refId"} == recorded(
        "createDiscussion_1032.json"
    )
