"""What each side holds, read from the sandbox's own state (no API call, so the demo's
looking does not count against the bot): the sheet as a grid, Salesforce records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.demo_render import table
from sandbox.salesforce.emulator import SalesforceEmulator
from sandbox.smartsheet.emulator import SmartsheetEmulator


@dataclass(frozen=True)
class SheetRow:
    row_id: int
    number: int
    cells: dict[str, Any]  # column title -> value


class SheetReader:
    def __init__(self, smartsheet: SmartsheetEmulator, sheet_id: int) -> None:
        self.smartsheet, self.sheet_id = smartsheet, sheet_id

    def titles(self) -> list[str]:
        return [c["title"] for c in self.smartsheet.sheet(self.sheet_id)["columns"]]

    def rows(self) -> list[SheetRow]:
        by_id = {c["id"]: c["title"] for c in self.smartsheet.sheet(self.sheet_id)["columns"]}
        return [
            SheetRow(
                row["id"],
                row["rowNumber"],
                {by_id[c["columnId"]]: c.get("value") for c in row.get("cells", [])},
            )
            for row in self.smartsheet.sheet_rows(self.sheet_id)
        ]

    def row(self, row_id: int) -> SheetRow:
        return next(r for r in self.rows() if r.row_id == row_id)

    def grid(self, limit: int = 5, only: set[int] | None = None) -> str:
        titles = self.titles()
        rows = [r for r in self.rows() if only is None or r.row_id in only]
        shown = [[r.number, *(r.cells.get(t) for t in titles)] for r in rows[:limit]]
        return table(["#", *titles], shown, more=max(0, len(rows) - limit))


def records_grid(
    salesforce: SalesforceEmulator, object_name: str, ids: list[str], fields: list[str]
) -> str:
    records = [salesforce.get_record(object_name, i) or {} for i in ids]
    return table(["Id", *fields], [[r.get("Id"), *(r.get(f) for f in fields)] for r in records])
