"""What importing N workflows costs (`syncbot workflows import`), beside its minimum.

    python -m bench.import_workflows --workflows 1000 [--json]

All on one Salesforce connection and object, each on its own empty sheet. The minimum is
one describe per (connection, object) and, per sheet, one read of its columns and one
call adding syncbot's Id and status columns.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from typing import Any

from bench.common import OWNER, TEAM, Bench
from sync.ids import to_18
from sync.model import Direction, FieldMapping
from sync.workflow_file import WorkflowSpec
from sync.workflows import import_specs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workflows", type=int, nargs="+", default=[1000])
    parser.add_argument("--json", action="store_true", help="one JSON object per size")
    args = parser.parse_args()
    if not args.json:
        print("workflows  SF calls  SS calls  minimum  seconds")
    for count in args.workflows:
        figures = measure(count)
        if args.json:
            print(json.dumps(figures))
        else:
            print(
                f"{count:9d}  {figures['salesforce_calls']:8d}  {figures['smartsheet_calls']:8d}"
                f"  {figures['minimum_calls']:7d}  {figures['seconds']:7.1f}"
            )


def measure(count: int) -> dict[str, Any]:
    # 1 + 2N Smartsheet calls: past 300 a minute per token a real import waits for the
    # budget (at 1,000 workflows about 7 minutes); the bench lifts it to measure syncbot
    bench = Bench(smartsheet_per_minute=10**6)
    try:
        specs = [
            WorkflowSpec(
                name=f"import {n}",
                team=TEAM,
                owner=OWNER,
                org=to_18(bench.box.salesforce.org_id),
                object="Opportunity",
                sheet=bench.box.smartsheet.create_sheet(
                    f"import {n}",
                    [
                        {"title": "Deal", "type": "TEXT_NUMBER", "primary": True},
                        {"title": "Amount", "type": "TEXT_NUMBER"},
                    ],
                ),
                fields=(
                    FieldMapping("Name", "Deal", Direction.BOTH),
                    FieldMapping("Amount", "Amount", Direction.BOTH),
                ),
            )
            for n in range(count)
        ]
        bench.reset_counters()
        started = time.perf_counter()
        ids = import_specs(bench.store, bench.engine.connectors, specs, datetime.now(UTC))
        seconds = time.perf_counter() - started
        assert len(ids) == count
        calls = bench.calls()
        return {
            "workflows": count,
            "salesforce_calls": calls["salesforce"],
            "smartsheet_calls": calls["smartsheet"],
            "minimum_calls": 1 + 2 * count,
            "seconds": round(seconds, 2),
        }
    finally:
        bench.close()


if __name__ == "__main__":
    main()
