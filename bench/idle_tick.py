"""What an idle tick costs as workflows multiply, beside its floor.

    python -m bench.idle_tick --workflows 1000 --groups 5 --connections 10 [--json]

Workflow i uses Salesforce connection i mod G (all on Opportunity, so G groups) and
Smartsheet connection i mod C. The minimum an idle tick can cost is one query per group
and one "which sheets changed" listing per Smartsheet connection; the floor column is a
plain SDK script making exactly those calls, timed in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import smartsheet
from simple_salesforce.api import Salesforce

from bench.common import Bench
from sync.connectors.http import make_session


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workflows", type=int, nargs="+", default=[1000])
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="one JSON object per size")
    parser.add_argument("--profile", action="store_true", help="pyinstrument the idle tick")
    args = parser.parse_args()
    if not args.json:
        print("workflows  groups  connections  SF calls  SS calls  seconds  floor s  set-up s")
    for count in args.workflows:
        figures = measure(count, args.groups, args.connections, args.profile)
        if args.json:
            print(json.dumps(figures))
        else:
            print(
                f"{count:9d}  {args.groups:6d}  {args.connections:11d}  "
                f"{figures['salesforce_calls']:8d}  {figures['smartsheet_calls']:8d}  "
                f"{figures['seconds']:7.2f}  {figures['floor_seconds']:7.2f}  "
                f"{figures['setup_seconds']:8.1f}"
            )


def measure(count: int, groups: int, connections: int, profile: bool = False) -> dict[str, Any]:
    # the set-up of N sheets takes 3 calls each: past 300 a minute per token, it would
    # spread over minutes of ticks (as it must in production); the bench lifts the budget
    bench = Bench(smartsheet_per_minute=10**6)
    try:
        pairs = [bench.connect(f"U0IDLE{n:04d}") for n in range(max(groups, connections))]
        for i in range(count):
            sf_conn, ss_conn = pairs[i % groups][0], pairs[i % connections][1]
            bench.workflow(
                "Opportunity", [("Name", "Name")], f"none-{i}-", f"wf {i}", (sf_conn, ss_conn)
            )
        started = time.perf_counter()
        bench.engine.tick()  # set-up: describes, columns, backfills
        setup = time.perf_counter() - started
        bench.engine.tick()
        bench.age(minutes=10)  # the steady state: nothing edited for minutes
        bench.reset_counters()
        with profiled(profile):
            started = time.perf_counter()
            report = bench.engine.tick()
            seconds = time.perf_counter() - started
        assert not report.failures, report.failures
        calls = bench.calls()
        floor = floor_seconds(bench, groups, connections)
        return {
            "workflows": count,
            "groups": groups,
            "connections": connections,
            "salesforce_calls": calls["salesforce"],
            "smartsheet_calls": calls["smartsheet"],
            "minimum_calls": groups + connections,
            "seconds": round(seconds, 3),
            "floor_seconds": round(floor, 3),
            "setup_seconds": round(setup, 2),
        }
    finally:
        bench.close()


@contextmanager
def profiled(enabled: bool) -> Iterator[None]:
    """pyinstrument's call tree of the block, on stderr (the figures stay on stdout)."""
    if not enabled:
        yield
        return
    from pyinstrument import Profiler

    profiler = Profiler()
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        sys.stderr.write(profiler.output_text(unicode=True, color=False))


def floor_seconds(bench: Bench, groups: int, connections: int) -> float:
    """The same calls from a plain SDK script: G queries, C sheet listings, no engine."""
    box = bench.box
    since = box.smartsheet.clock() - timedelta(minutes=2)
    soql = (
        "SELECT Id, Name, SystemModstamp, IsDeleted FROM Opportunity WHERE SystemModstamp > "
        + since.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    started = time.perf_counter()
    session = make_session(Path(box.ca_path))
    sf = Salesforce(
        instance_url=box.salesforce.base_url,
        session_id=box.salesforce.token_for("admin"),
        session=session,
    )
    for _ in range(groups):
        sf.query_all(soql, include_deleted=True)
    for _ in range(connections):
        client = smartsheet.Smartsheet(
            access_token=box.smartsheet.token_for("owner"), api_base=box.smartsheet.api_base
        )
        client.errors_as_exceptions(True)
        client.Sheets.list_sheets(include="sheetVersion", modified_since=since)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
