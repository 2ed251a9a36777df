"""From an edit on one side to its appearance on the other, with `syncbot serve` running.

    python -m bench.latency --interval 30 5 --edits 100 [--records 120] [--json]

A real `syncbot serve` process (SQLite, SYNC_POLL_INTERVAL=I) against the in-process
sandbox, one workflow of R Opportunities (Name <-> Deal), backfilled before measuring.
Then E edits on distinct records, half renamed in Salesforce and half in the sheet (through
the SDKs, as a person's tools would), spread evenly over two intervals so that they fall
at every phase of the tick. Both sides are polled (one query and one sheet read per
round, ~4 rounds a second); an edit's latency runs from the moment its write returned to
the first poll that shows it on the other side. Target (issue #9): p99 <= I + 2 s.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
import smartsheet
from simple_salesforce.api import Salesforce

from bench.common import ServeProcess, percentile, runtime_for, serve_env
from bot.sandbox_setup import connect_user
from sandbox.runner import Sandbox
from sync.ids import to_18
from sync.model import Condition, Direction, FieldMapping, Filter
from sync.workflow_file import WorkflowSpec
from sync.workflows import import_specs

TEAM, OWNER = "T0LATENCY1", "U0LATENCY1"
PREFIX = "LAT "
POLL_PAUSE = 0.25  # seconds between polling rounds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interval", type=int, nargs="+", default=[30, 5])
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--records", type=int, default=120)
    parser.add_argument("--json", action="store_true", help="one JSON object per interval")
    args = parser.parse_args()
    if not args.json:
        print("interval s  edits  seen  p50 s  p99 s  max s  target p99 s  SF->SS p99  SS->SF p99")
    for interval in args.interval:
        figures = measure(interval, args.edits, max(args.records, args.edits))
        if args.json:
            print(json.dumps(figures))
        else:
            print(
                f"{interval:10d}  {figures['edits']:5d}  {figures['seen']:4d}"
                f"  {figures['p50_s']:5.1f}  {figures['p99_s']:5.1f}  {figures['max_s']:5.1f}"
                f"  {figures['target_p99_s']:12.0f}  {figures['to_sheet_p99_s']:10.1f}"
                f"  {figures['to_salesforce_p99_s']:10.1f}"
            )


class Sides:
    """Both services through their SDKs, as a person's scripts would reach them."""

    def __init__(self, box: Sandbox, sheet_id: int) -> None:
        session = requests.Session()
        session.trust_env = False
        session.verify = str(box.ca_path)
        self.sf = Salesforce(
            instance_url=box.salesforce.base_url,
            session_id=box.salesforce.token_for("admin"),
            session=session,
        )
        self.ss = smartsheet.Smartsheet(
            access_token=box.smartsheet.token_for("owner"),
            api_base=box.smartsheet.api_base,
            user_agent="syncbot-bench",
        )
        self.ss.errors_as_exceptions(True)
        self.sheet_id = sheet_id

    def names_in_salesforce(self) -> dict[str, str]:
        soql = f"SELECT Id, Name FROM Opportunity WHERE Name LIKE '{PREFIX}%'"
        return {to_18(r["Id"]): r["Name"] for r in self.sf.query_all(soql)["records"]}

    def sheet(self) -> tuple[dict[str, str], dict[str, int], int]:
        """(record id -> Deal, record id -> row id, Deal's column id) as the sheet shows."""
        found = self.ss.Sheets.get_sheet(self.sheet_id).to_dict()
        titles = {c["title"]: c["id"] for c in found["columns"]}
        names, rows = {}, {}
        for row in found.get("rows", []):
            cells = {c["columnId"]: c.get("value") for c in row["cells"]}
            record = str(cells.get(titles["Salesforce Id"]) or "")
            if record:
                names[to_18(record)] = str(cells.get(titles["Deal"]))
                rows[to_18(record)] = row["id"]
        return names, rows, titles["Deal"]

    def rename_in_salesforce(self, record_id: str, name: str) -> None:
        self.sf.restful(f"sobjects/Opportunity/{record_id}", method="PATCH", json={"Name": name})

    def rename_in_sheet(self, row_id: int, column_id: int, name: str) -> None:
        cell = {"columnId": column_id, "value": name}
        row = smartsheet.models.Row({"id": row_id, "cells": [cell]})
        self.ss.Sheets.update_rows(self.sheet_id, [row])


def measure(interval: int, edits: int, records: int) -> dict[str, Any]:
    box = Sandbox(salesforce_size=40, smartsheet_size=5).start()
    workdir = Path(tempfile.mkdtemp(prefix="bench-latency-"))
    env = serve_env(box, f"sqlite:///{workdir / 'syncbot.db'}", SYNC_POLL_INTERVAL=str(interval))
    sheet_id = _workflow(box, env, records)
    serve = ServeProcess(workdir, "serve", env).start()
    try:
        serve.wait_ready()
        sides = Sides(box, sheet_id)
        _wait(lambda: len(sides.sheet()[0]) == records, interval * 3 + 120, "the backfill")
        time.sleep(interval + 1)  # the echo tick after the backfill
        latencies = _edit_and_watch(box, sides, interval, edits)
    finally:
        serve.stop()
        box.stop()
    seen = {k: v for k, v in latencies.items() if v is not None}
    to_sheet = [v for (side, _), v in seen.items() if side == "salesforce"]
    to_salesforce = [v for (side, _), v in seen.items() if side == "sheet"]
    every = list(seen.values())
    return {
        "interval_s": interval,
        "edits": edits,
        "seen": len(seen),
        "p50_s": round(percentile(every, 0.5), 2),
        "p99_s": round(percentile(every, 0.99), 2),
        "max_s": round(max(every, default=0.0), 2),
        "to_sheet_p99_s": round(percentile(to_sheet, 0.99), 2),
        "to_salesforce_p99_s": round(percentile(to_salesforce, 0.99), 2),
        "target_p99_s": interval + 2,
    }


def _workflow(box: Sandbox, env: dict[str, str], records: int) -> int:
    sf = box.salesforce
    real_clock = sf.clock
    sf.clock = lambda: datetime.now(UTC) - timedelta(hours=1)  # quiet since an hour
    for i in range(records):
        sf.insert(
            "Opportunity",
            {"Name": f"{PREFIX}{i:04d}", "StageName": "Prospecting", "CloseDate": "2027-03-01"},
        )
    sf.clock = real_clock
    sheet = box.smartsheet.create_sheet(
        "Latency bench", [{"title": "Deal", "type": "TEXT_NUMBER", "primary": True}]
    )
    runtime = runtime_for(env)
    connect_user(runtime.store, box, team=TEAM, owner=OWNER)
    spec = WorkflowSpec(
        name="latency bench",
        team=TEAM,
        owner=OWNER,
        org=to_18(sf.org_id),
        object="Opportunity",
        sheet=sheet,
        fields=(FieldMapping("Name", "Deal", Direction.BOTH),),
        filter=Filter((Condition("Name", "starts with", PREFIX),)),
    )
    import_specs(runtime.store, runtime.connectors, [spec], datetime.now(UTC))
    runtime.db.dispose()
    return sheet


Edit = tuple[str, str]  # (the side edited, the new name)


def _edit_and_watch(
    box: Sandbox, sides: Sides, interval: int, edits: int
) -> dict[Edit, float | None]:
    """Each edit's seconds to the other side (None: not seen within 3 intervals + 30 s)."""
    _names, rows, deal = sides.sheet()
    records = sorted(rows)[:edits]
    made: dict[Edit, tuple[str, float]] = {}  # edit -> (record, when its write returned)
    lock = threading.Lock()
    spacing = 2 * interval / edits

    def edit_all() -> None:
        writer = Sides(box, sides.sheet_id)  # its own HTTP sessions, apart from the poller's
        for n, record in enumerate(records):
            side = "salesforce" if n % 2 == 0 else "sheet"
            name = f"{PREFIX}{n:04d} edited in {side}"
            if side == "salesforce":
                writer.rename_in_salesforce(record, name)
            else:
                writer.rename_in_sheet(rows[record], deal, name)
            with lock:
                made[(side, name)] = (record, time.monotonic())
            time.sleep(spacing)

    editor = threading.Thread(target=edit_all)
    editor.start()
    latencies: dict[Edit, float | None] = {}
    deadline: float | None = None
    while deadline is None or time.monotonic() < deadline:
        if deadline is None and not editor.is_alive():
            deadline = time.monotonic() + 3 * interval + 30
        in_salesforce = sides.names_in_salesforce()
        in_sheet = sides.sheet()[0]
        now = time.monotonic()
        with lock:
            pending = [(e, r, t) for e, (r, t) in made.items() if e not in latencies]
        for (side, name), record, at in pending:
            other = in_sheet if side == "salesforce" else in_salesforce
            if other.get(record) == name:
                latencies[(side, name)] = now - at
        if len(latencies) == edits:
            break
        time.sleep(POLL_PAUSE)
    editor.join()
    return {edit: latencies.get(edit) for edit in made}


def _wait(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up waiting for {what}")
        time.sleep(0.5)


if __name__ == "__main__":
    main()
