"""A first backfill by syncbot beside its I/O floor, both measured from outside.

    python -m bench.backfill_floor --records 20000 [--runs 3] [--json]

`syncbot sandbox` runs as its own process. N Opportunities (10 mapped fields) are created
in it once; then, alternating, R times each, on a new empty sheet: (a) the floor, a plain
SDK script (bench/floor_client.py) making the same describe, column read, query pages and
row adds; (b) syncbot, its workflow imported beforehand (untimed), then `syncbot sync-once`
in a subprocess, its first tick. Each figure is the subprocess's: wall seconds, CPU
seconds (user + system), peak RSS, and the calls the sandbox counted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import requests
import smartsheet
import yaml
from simple_salesforce.api import Salesforce

TEAM, OWNER = "T0FLOOR001", "U0FLOOR001"
PREFIX = "BF "
# (Salesforce field, sheet column): ten mapped fields of every kind the backfill converts
FIELDS = [
    ("Name", "Deal"),
    ("StageName", "Stage"),
    ("Amount", "Amount"),
    ("CloseDate", "Close"),
    ("Probability", "Probability"),
    ("Type", "Type"),
    ("LeadSource", "Source"),
    ("NextStep", "Next step"),
    ("Description", "Description"),
    ("IsPrivate", "Private"),
]
ID_COLUMN = "Salesforce Id"


@dataclass
class Run:
    side: str  # "floor" or "syncbot"
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    salesforce_calls: int
    smartsheet_calls: int
    rows: int


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    parser.add_argument(
        "--database-url",
        default="",
        help="syncbot's database (PostgreSQL: a fresh schema per run); default a new SQLite file",
    )
    args = parser.parse_args()
    with SandboxProcess() as box:
        seed(box.env, args.records)
        runs: list[Run] = []
        for _ in range(args.runs):
            runs.append(run_floor(box))
            runs.append(run_syncbot(box, args.database_url))
    summary = summarise(args.records, runs)
    summary["database"] = "postgresql" if args.database_url else "sqlite"
    if args.json:
        print(json.dumps(summary))
    else:
        print_table(summary, runs)


class SandboxProcess:
    """`syncbot sandbox` in its own process, its env lines read from the file it writes."""

    def __enter__(self) -> SandboxProcess:
        self.dir = Path(tempfile.mkdtemp(prefix="bench-floor-"))
        env_file = self.dir / "sandbox.env"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "sandbox", "--size", "5", "--env-file", env_file],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not env_file.exists() or not env_file.read_text().endswith("\n"):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("syncbot sandbox did not start")
            time.sleep(0.1)
        lines = env_file.read_text().splitlines()
        self.env = dict(line.split("=", 1) for line in lines if "=" in line)
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def calls(self) -> tuple[int, int]:
        return tuple(
            sum(
                json.load(
                    urllib.request.urlopen(f"{self.env['SANDBOX_CONTROL_URL']}/{s}/counters")
                ).values()
            )
            for s in ("salesforce", "smartsheet")
        )


def salesforce(env: dict[str, str]) -> Salesforce:
    session = requests.Session()
    session.trust_env = False
    session.verify = env["SALESFORCE_CA_BUNDLE"]
    return Salesforce(
        instance_url=env["SANDBOX_SALESFORCE_INSTANCE_URL"],
        session_id=env["SANDBOX_SALESFORCE_TOKEN"],
        session=session,
    )


def seed(env: dict[str, str], count: int) -> None:
    """N Opportunities through sObject Collections (200 a call), untimed."""
    sf = salesforce(env)
    stages = ["Prospecting", "Qualification", "Needs Analysis", "Closed Won"]
    records = [
        {
            "attributes": {"type": "Opportunity"},
            "Name": f"{PREFIX}{i:06d}",
            "StageName": stages[i % len(stages)],
            "Amount": 1000 + i,
            "CloseDate": f"2027-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "Probability": i % 100,
            "Type": "New Customer",
            "LeadSource": "Web",
            "NextStep": f"call back {i}",
            "Description": f"deal number {i} of the backfill bench",
            "IsPrivate": i % 2 == 0,
        }
        for i in range(count)
    ]
    for start in range(0, count, 200):
        body = {"allOrNone": True, "records": records[start : start + 200]}
        sf.restful("composite/sobjects", method="POST", data=json.dumps(body))


def new_sheet(env: dict[str, str], name: str, with_id: bool) -> int:
    ss = smartsheet.Smartsheet(
        access_token=env["SANDBOX_SMARTSHEET_TOKEN"], api_base=env["SMARTSHEET_API_URL"]
    )
    ss.errors_as_exceptions(True)
    titles = [column for _, column in FIELDS] + ([ID_COLUMN] if with_id else [])
    columns = [
        {"title": title, "type": "TEXT_NUMBER", "primary": i == 0} for i, title in enumerate(titles)
    ]
    made = ss.Home.create_sheet(smartsheet.models.Sheet({"name": name, "columns": columns}))
    return int(made.result.id)


def soql() -> str:
    """The backfill query syncbot sends for this workflow (sync/soql.py backfill_query)."""
    fields = ["Id", *(f for f, _ in FIELDS), "SystemModstamp", "LastModifiedById"]
    fields.append("LastModifiedBy.Name")
    return (
        f"SELECT {', '.join(fields)} FROM Opportunity WHERE Name LIKE '{PREFIX}%' ORDER BY Id ASC"
    )


def timed(box: SandboxProcess, side: str, command: list[str], env: dict[str, str]) -> Run:
    """Run a subprocess; its wall time, CPU and peak RSS (wait4), and the sandbox's calls."""
    before = box.calls()
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{side} failed with exit code {process.returncode}")
    after = box.calls()
    return Run(
        side,
        seconds,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        after[0] - before[0],
        after[1] - before[1],
        0,
    )


def run_floor(box: SandboxProcess) -> Run:
    sheet = new_sheet(box.env, "floor sheet", with_id=True)
    env = {
        **os.environ,
        **box.env,
        "FLOOR_OBJECT": "Opportunity",
        "FLOOR_SHEET": str(sheet),
        "FLOOR_SOQL": soql(),
        "FLOOR_FIELDS": json.dumps([f for f, _ in FIELDS]),
        "FLOOR_COLUMNS": json.dumps([*FIELDS, ("Id", ID_COLUMN)]),
    }
    run = timed(box, "floor", [sys.executable, "-m", "bench.floor_client"], env)
    run.rows = count_rows(box.env, sheet)
    return run


def run_syncbot(box: SandboxProcess, database_url: str = "") -> Run:
    if not database_url:
        workdir = Path(tempfile.mkdtemp(prefix="bench-floor-db-", dir=box.dir))
        return _run_syncbot(box, workdir, f"sqlite:///{workdir / 'syncbot.db'}")
    from bench.common import fresh_schema  # PostgreSQL only: its imports stay out otherwise

    with fresh_schema(database_url) as url:
        return _run_syncbot(box, Path(tempfile.mkdtemp(prefix="bench-floor-", dir=box.dir)), url)


def _run_syncbot(box: SandboxProcess, workdir: Path, database_url: str) -> Run:
    sheet = new_sheet(box.env, "syncbot sheet", with_id=False)
    env = {**os.environ, **box.env, "DATABASE_URL": database_url}
    cli = [sys.executable, "-m", "bot.cli"]
    add_salesforce = [
        *cli, "connections", "add", "salesforce", "--team", TEAM, "--owner", OWNER,
        "--instance-url", box.env["SANDBOX_SALESFORCE_INSTANCE_URL"],
        "--access-token", box.env["SANDBOX_SALESFORCE_TOKEN"],
    ]  # fmt: skip
    add_smartsheet = [
        *cli, "connections", "add", "smartsheet", "--team", TEAM, "--owner", OWNER,
        "--access-token", box.env["SANDBOX_SMARTSHEET_TOKEN"],
    ]  # fmt: skip
    spec = workdir / "workflows.yml"
    spec.write_text(yaml.safe_dump({"workflows": [workflow_spec(box.env, sheet)]}))
    for command in (
        [*cli, "db", "upgrade"],
        add_salesforce,
        add_smartsheet,
        [*cli, "workflows", "import", str(spec)],
    ):
        subprocess.run(command, env=env, check=True, capture_output=True)
    run = timed(box, "syncbot", [*cli, "sync-once"], env)
    run.rows = count_rows(box.env, sheet)
    return run


def workflow_spec(env: dict[str, str], sheet: int) -> dict[str, Any]:
    return {
        "name": "backfill bench",
        "team": TEAM,
        "owner": OWNER,
        "salesforce": {"org": env["SANDBOX_SALESFORCE_ORG_ID"], "object": "Opportunity"},
        "smartsheet": {"sheet": sheet},
        "filter": {"all": [{"field": "Name", "op": "starts with", "value": PREFIX}]},
        "fields": [{"field": f, "column": c, "direction": "both"} for f, c in FIELDS],
    }


def count_rows(env: dict[str, str], sheet: int) -> int:
    ss = smartsheet.Smartsheet(
        access_token=env["SANDBOX_SMARTSHEET_TOKEN"], api_base=env["SMARTSHEET_API_URL"]
    )
    ss.errors_as_exceptions(True)
    return int(ss.Sheets.get_sheet(sheet, page_size=1).total_row_count)


def summarise(records: int, runs: list[Run]) -> dict[str, Any]:
    def side(name: str) -> dict[str, Any]:
        mine = [r for r in runs if r.side == name]
        return {
            "seconds_median": round(statistics.median(r.seconds for r in mine), 3),
            "cpu_seconds_median": round(statistics.median(r.cpu_seconds for r in mine), 3),
            "peak_rss_mb_max": round(max(r.peak_rss_mb for r in mine), 1),
            "salesforce_calls": mine[-1].salesforce_calls,
            "smartsheet_calls": mine[-1].smartsheet_calls,
            "rows": mine[-1].rows,
        }

    floor, syncbot = side("floor"), side("syncbot")
    return {
        "records": records,
        "runs": [asdict(r) for r in runs],
        "floor": floor,
        "syncbot": syncbot,
        "ratio": round(syncbot["seconds_median"] / floor["seconds_median"], 2),
        "cpu_ratio": round(syncbot["cpu_seconds_median"] / floor["cpu_seconds_median"], 2),
    }


def print_table(summary: dict[str, Any], runs: list[Run]) -> None:
    print(
        f"backfill of {summary['records']} Opportunities, 10 mapped fields, empty sheet, "
        f"syncbot on {summary['database']}"
    )
    print("side      SF calls  SS calls   rows  seconds  CPU s  peak RSS MB")
    for r in runs:
        print(
            f"{r.side:8s}  {r.salesforce_calls:8d}  {r.smartsheet_calls:8d}  {r.rows:5d}  "
            f"{r.seconds:7.2f}  {r.cpu_seconds:5.2f}  {r.peak_rss_mb:11.0f}"
        )
    print(
        f"median: floor {summary['floor']['seconds_median']:.2f} s, "
        f"syncbot {summary['syncbot']['seconds_median']:.2f} s, ratio {summary['ratio']:.2f}x "
        f"(client CPU {summary['cpu_ratio']:.2f}x)"
    )


if __name__ == "__main__":
    main()
