"""What importing N workflows costs (`syncbot workflows import`), beside its minimum.

    python -m bench.import_workflows --workflows 1000 --connections 10 [--json]

Workflow i belongs to owner i mod C (each owner with its own Salesforce and Smartsheet
connection, the latter on a token of its own), all on Opportunity, each on its own sheet,
under Smartsheet's real budget of 300 calls a minute per token (1,000 workflows on 10
connections: 100 calls per token). The minimum is one describe per
(Salesforce connection, object) and one read of each sheet's columns: validation has no
side effect, so the Id and status columns come with the first sync, not the import.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from typing import Any

from bench.common import TEAM, Bench
from sync.connectors.factory import ConnectorFactory
from sync.ids import to_18
from sync.model import Direction, FieldMapping
from sync.workflow_file import WorkflowSpec
from sync.workflows import import_specs

TARGET_SECONDS = 20.0  # issue #9 target 5, at 1,000 workflows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workflows", type=int, nargs="+", default=[1000])
    parser.add_argument("--connections", type=int, default=10, help="owners (C)")
    parser.add_argument("--json", action="store_true", help="one JSON object per size")
    args = parser.parse_args()
    if not args.json:
        print("workflows  connections  SF calls  SF min  SS calls  SS min  seconds  target s")
    for count in args.workflows:
        figures = measure(count, args.connections)
        if args.json:
            print(json.dumps(figures))
        else:
            print(
                f"{count:9d}  {args.connections:11d}  {figures['salesforce_calls']:8d}"
                f"  {figures['salesforce_minimum']:6d}  {figures['smartsheet_calls']:8d}"
                f"  {figures['smartsheet_minimum']:6d}  {figures['seconds']:7.1f}"
                f"  {TARGET_SECONDS:8.0f}"
            )


def measure(count: int, connections: int = 1) -> dict[str, Any]:
    # Smartsheet's real budget, 300 calls a minute per token, and each owner on a token of
    # its own; past it the import waits for a slot, as `syncbot workflows import` does
    bench = Bench()
    factory = bench.engine.connectors
    assert isinstance(factory, ConnectorFactory)
    factory.smartsheet_budget.blocking = True
    try:
        owners = [f"U0IMPORT{n:03d}" for n in range(connections)]
        for owner in owners:
            bench.connect_own_token(owner)
        specs = [_spec(bench, n, owners[n % connections]) for n in range(count)]
        bench.reset_counters()
        started = time.perf_counter()
        ids = import_specs(bench.store, factory, specs, datetime.now(UTC))
        seconds = time.perf_counter() - started
        assert len(ids) == count
        calls = bench.calls()
        return {
            "workflows": count,
            "connections": connections,
            "salesforce_calls": calls["salesforce"],
            "salesforce_minimum": min(connections, count),
            "smartsheet_calls": calls["smartsheet"],
            "smartsheet_minimum": count,
            "seconds": round(seconds, 2),
            "target_seconds": TARGET_SECONDS,
        }
    finally:
        bench.close()


def _spec(bench: Bench, n: int, owner: str) -> WorkflowSpec:
    sheet = bench.box.smartsheet.create_sheet(
        f"import {n}",
        [
            {"title": "Deal", "type": "TEXT_NUMBER", "primary": True},
            {"title": "Amount", "type": "TEXT_NUMBER"},
        ],
    )
    return WorkflowSpec(
        name=f"import {n}",
        team=TEAM,
        owner=owner,
        org=to_18(bench.box.salesforce.org_id),
        object="Opportunity",
        sheet=sheet,
        fields=(
            FieldMapping("Name", "Deal", Direction.BOTH),
            FieldMapping("Amount", "Amount", Direction.BOTH),
        ),
    )


if __name__ == "__main__":
    main()
