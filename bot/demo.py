"""`syncbot demo`: the sandbox plus the engine, played through as a person would.

What is real so far: the three emulators, the store, and the sync engine driven through
the same services the CLI uses. The Slack walkthrough joins in with the Slack app.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import load_settings
from bot.demo_slack import DemoStepFailed, slack_through_serve
from bot.runtime import Runtime, build_runtime
from bot.sandbox_setup import connect_user
from sandbox.runner import Sandbox
from sync.ids import to_18
from sync.model import ColumnType
from sync.workflow_file import parse
from sync.workflows import import_specs

TEAM, OWNER = "T0SANDBOX1", "U0DEMO0001"

WORKFLOW = """
workflows:
  - name: Open pipeline
    team: {team}
    owner: {owner}
    salesforce: {{org: {org}, object: Opportunity}}
    smartsheet: {{sheet: {sheet}}}
    filter: {{all: [{{field: IsClosed, op: "=", value: false}}]}}
    fields:
      - {{field: Name, column: Deal, direction: both}}
      - {{field: Account.Name, column: Account, direction: to_smartsheet}}
      - {{field: StageName, column: Stage, direction: both}}
      - {{field: Amount, column: Amount, direction: both}}
      - {{field: CloseDate, column: Close Date, direction: both}}
"""


def say(text: str) -> None:
    print(f"\n== {text}", flush=True)


def run(args: argparse.Namespace) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="syncbot-demo-"))
    with Sandbox(salesforce_size=args.records, smartsheet_size=20, workdir=workdir) as box:
        say(
            f"Sandbox up: Salesforce {box.salesforce.base_url}, Smartsheet "
            f"{box.smartsheet.api_base}, Slack {box.slack.api_url}"
        )
        env = {k.lower(): v for k, v in box.env().items() if not k.startswith("SANDBOX_")}
        settings = load_settings(database_url=f"sqlite:///{workdir / 'syncbot.db'}", **env)
        runtime = build_runtime(settings, progress=_progress)
        sheet_id = _connect_and_import(box, runtime)
        _walkthrough(box, runtime, sheet_id)
        try:
            slack_through_serve(box, workdir, TEAM, say)
        except (DemoStepFailed, TimeoutError) as exc:
            print(f"syncbot demo: a step did not hold: {exc}", file=sys.stderr)
            return 1
        if args.keep_running:
            say("Still running (Ctrl-C to stop). The sandbox's environment:")
            print(box.env_lines())
            threading.Event().wait()
    return 0


def _connect_and_import(box: Sandbox, runtime: Runtime) -> int:
    sf, ss = box.salesforce, box.smartsheet
    now = datetime.now(UTC)
    connect_user(runtime.store, box, team=TEAM, owner=OWNER)
    say("Connected the demo user's Salesforce org and Smartsheet account (tokens encrypted).")
    sheet_id = ss.create_sheet(
        "Open pipeline (demo)",
        [
            {"title": "Deal", "type": ColumnType.TEXT_NUMBER.value, "primary": True},
            {"title": "Account", "type": ColumnType.TEXT_NUMBER.value},
            {
                "title": "Stage",
                "type": ColumnType.PICKLIST.value,
                "options": [
                    "Prospecting",
                    "Qualification",
                    "Needs Analysis",
                    "Proposal/Price Quote",
                    "Negotiation/Review",
                    "Closed Won",
                    "Closed Lost",
                ],
            },
            {"title": "Amount", "type": ColumnType.TEXT_NUMBER.value},
            {"title": "Close Date", "type": ColumnType.DATE.value},
        ],
    )
    text = WORKFLOW.format(team=TEAM, owner=OWNER, org=to_18(sf.org_id), sheet=sheet_id)
    ids = import_specs(runtime.store, runtime.connectors, parse(text), now)
    say(f"Imported workflow {ids[0]} (Opportunity ↔ sheet {sheet_id}) from YAML:{text}")
    return sheet_id


def _walkthrough(box: Sandbox, runtime: Runtime, sheet_id: int) -> None:
    sf, ss = box.salesforce, box.smartsheet
    _tick(runtime, "First tick: backfill of every open opportunity")
    rows = ss.sheet_rows(sheet_id)
    print(f"The sheet now has {len(rows)} rows. First three:")
    for row in rows[:3]:
        print("  ", _row_text(row, ss, sheet_id))
    first = rows[0]
    record_id = _cell(ss, sheet_id, first, "Salesforce Id")
    sf.update("Opportunity", record_id, {"Amount": 123456.78, "StageName": "Negotiation/Review"})
    say(f"In Salesforce, someone sets Amount=123456.78 and Stage=Negotiation/Review on {record_id}")
    _tick(runtime, "Tick")
    print("  sheet row:", _row_text(ss.sheet_rows(sheet_id)[0], ss, sheet_id))
    ss.edit_cells(sheet_id, first["id"], {"Deal": "Renamed in the sheet"})
    say("In the sheet, someone renames the deal")
    _tick(runtime, "Tick")
    print("  Salesforce Name:", _field(sf, record_id, "Name"))
    ss.edit_cells(sheet_id, first["id"], {"Amount": "12k"})
    say("In the sheet, someone types 12k into Amount")
    _tick(runtime, "Tick")
    print("  status column:", _cell(ss, sheet_id, ss.sheet_rows(sheet_id)[0], "Sync Status"))
    print("  Salesforce Amount is untouched:", _field(sf, record_id, "Amount"))
    ss.edit_cells(sheet_id, first["id"], {"Amount": 99000})
    say("They fix it to 99000")
    _tick(runtime, "Tick")
    print("  status column:", repr(_cell(ss, sheet_id, ss.sheet_rows(sheet_id)[0], "Sync Status")))
    print("  Salesforce Amount:", _field(sf, record_id, "Amount"))
    say("The engine part is done; now the same sandbox through `syncbot serve` and Slack.")


def _field(sf: Any, record_id: str, name: str) -> Any:
    record = sf.get_record("Opportunity", record_id) or {}
    return record.get(name)


def _tick(runtime: Runtime, title: str) -> None:
    say(title)
    report = runtime.engine.tick()
    for workflow_id, execution in report.executions.items():
        s = execution.stats
        print(
            f"  workflow {workflow_id}: rows +{s.rows_created} ~{s.rows_updated}, records "
            f"~{s.records_updated}, row errors {s.row_errors}"
        )
    for failure in report.failures:
        print("  problem:", failure)


def _progress(workflow_id: int, done: int, total: int) -> None:
    print(f"  backfill {done}/{total}", flush=True)


def _titles(ss: Any, sheet_id: int) -> dict[int, str]:
    return {c["id"]: c["title"] for c in ss.sheet(sheet_id)["columns"]}


def _cell(ss: Any, sheet_id: int, row: dict[str, Any], title: str) -> Any:
    titles = _titles(ss, sheet_id)
    for cell in row.get("cells", []):
        if titles.get(cell.get("columnId")) == title:
            return cell.get("value")
    return None


def _row_text(row: dict[str, Any], ss: Any, sheet_id: int) -> str:
    titles = _titles(ss, sheet_id)
    return ", ".join(
        f"{titles.get(c['columnId'])}={c.get('value')!r}"
        for c in row.get("cells", [])
        if c.get("value") not in (None, "")
    )
