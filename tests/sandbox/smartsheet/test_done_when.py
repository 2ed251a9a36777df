"""The acceptance script: what a sync engine does against a fresh sheet, end to end."""

from __future__ import annotations

from datetime import timedelta

import pytest
import smartsheet
from smartsheet.models import Row, Sheet

from sandbox.smartsheet import SmartsheetEmulator

from .helpers import cell, failure


def test_create_bulk_load_partial_failures_and_incremental_read(
    emulator: SmartsheetEmulator, owner: smartsheet.Smartsheet
) -> None:
    spec = Sheet(
        {
            "name": "Opportunities",
            "columns": [
                {"title": "Name", "type": "TEXT_NUMBER", "primary": True},
                {"title": "Amount", "type": "TEXT_NUMBER"},
                {"title": "Closed", "type": "CHECKBOX"},
            ],
        }
    )
    with pytest.warns(DeprecationWarning):  # Home.create_sheet is the SDK's POST /sheets
        created = owner.Home.create_sheet(spec).result
    name, amount, closed = (c.id for c in created.columns)

    def row(number: int) -> Row:
        return Row(
            {
                "toBottom": True,
                "cells": [
                    {"columnId": name, "value": f"Opp {number}"},
                    {"columnId": amount, "value": number},
                ],
            }
        )

    loaded = owner.Sheets.add_rows(created.id, [row(n) for n in range(500)])
    assert len(loaded.result) == 500
    assert owner.Sheets.get_sheet(created.id).total_row_count == 500

    status, code, _ = failure(
        lambda: owner.Sheets.add_rows(created.id, [row(n) for n in range(501)])
    )
    assert (status, code) == (400, 1061)
    assert owner.Sheets.get_sheet_version(created.id).version == loaded.version  # untouched

    mixed = [
        row(900),
        Row(
            {
                "toBottom": True,
                "cells": [
                    {"columnId": name, "value": "bad"},
                    {"columnId": closed, "value": "not a boolean"},
                ],
            }
        ),
        row(901),
    ]
    partial = owner.Sheets.add_rows_with_partial_success(created.id, mixed)
    assert partial.message == "PARTIAL_SUCCESS"
    (failed,) = partial.failed_items
    assert (failed.index, failed.error.error_code) == (1, 1042)
    assert [cell(r, name).value for r in partial.result] == ["Opp 900", "Opp 901"]

    later = emulator.clock() + timedelta(minutes=10)
    emulator.clock = lambda: later
    first = owner.Sheets.get_sheet(created.id, row_numbers=[1]).rows[0]
    owner.Sheets.update_rows(
        created.id, [Row({"id": first.id, "cells": [{"columnId": amount, "value": 12345}]})]
    )
    since = (later - timedelta(seconds=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    changed = owner.Sheets.get_sheet(created.id, rows_modified_since=since, column_ids=[amount])
    assert [r.id for r in changed.rows] == [first.id]
    assert cell(changed.rows[0], amount).value == 12345
    assert changed.total_row_count == 502
