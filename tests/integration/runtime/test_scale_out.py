"""Three `syncbot serve` processes share one PostgreSQL database and a `syncbot sandbox`
process: 9 groups (3 owners x 3 objects, one workflow and sheet each), edits on both sides,
one instance SIGKILLed in the middle of a group and restarted.

What a person running several instances checks:
- every group synced in every interval window (except the one the killed instance held,
  until its lease ran out); on an overloaded machine a tick may overrun a window, so
  the check allows a few single missed windows but never two in a row,
- no group run twice in one window (a run cut off by the kill does not count),
- no row duplicated, no edit lost: every sheet ends equal to Salesforce,
- SIGTERM stops each instance with exit code 0.

Everything is real: the processes, the SDKs, HTTP over loopback. Needs TEST_DATABASE_URL
pointing at PostgreSQL (SQLite allows one instance: see test_serve.py)."""

from __future__ import annotations

import os
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import smartsheet
from sqlalchemy import text

from bot.config import load_settings
from bot.runtime import build_runtime
from sync.ids import to_18
from sync.store import repo
from sync.store.db import make_engine
from sync.store.repo import ConnectionKind
from sync.workflow_file import parse
from sync.workflows import import_specs
from tests.integration.runtime.processes import (
    Serve,
    salesforce_client,
    smartsheet_client,
    start_sandbox,
    wait_for,
)

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not PG_URL.startswith("postgres"), reason="several instances need PostgreSQL"
)

# A window must hold one pass over the 9 groups on a loaded 2-core machine (the sandbox
# is one process serving all three instances); the lease must outlast a slowed group run.
INTERVAL, LEASE = 8, 12
OWNERS = ("U0SCALE001", "U0SCALE002", "U0SCALE003")
OBJECTS = ("Account", "Opportunity", "Project__c")
TEAM = "T0SCALE001"
RUN = re.compile(r"group (\d+)/(\S+): run by (.+?) in window (\S+)")
DONE = re.compile(r"group (\d+)/(\S+): done")


@pytest.fixture
def database_url() -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_three_instances_share_the_groups_and_survive_a_kill(
    tmp_path: Path, database_url: str
) -> None:
    with start_sandbox(tmp_path, size=20) as env:
        serve_env = {
            **{k: v for k, v in env.items() if not k.startswith("SANDBOX_")},
            "DATABASE_URL": database_url,
            "SYNC_POLL_INTERVAL": str(INTERVAL),
            "SYNC_LEASE_SECONDS": str(LEASE),
        }
        workflows = _set_up(env, serve_env)
        instances = [Serve(tmp_path, f"i{n}", serve_env).start() for n in range(3)]
        try:
            for instance in instances:
                instance.wait_listening()
            wait_for(lambda: _all_backfilled(serve_env, workflows), 60, "backfill")
            steady_from = datetime.now(UTC)
            _edit_both_sides(env, workflows, "one")
            victim = instances[2]
            _kill_mid_group(env, victim)
            killed_at = datetime.now(UTC)
            instances[2] = Serve(tmp_path, "i2-restarted", serve_env).start()
            instances[2].wait_listening()
            _edit_both_sides(env, workflows, "two")
            _wait_windows(3 + LEASE // INTERVAL)
            wait_for(
                lambda: _converged(env, workflows), 60, "convergence", _difference, env, workflows
            )
            _wait_windows(2)  # steady windows after convergence count too
            steady_to = datetime.now(UTC)
        finally:
            codes = [instance.terminate() for instance in instances]
        assert codes == [0, 0, 0]
        runs = _completed_runs([*instances, victim])
        _assert_once_per_window(runs)
        _assert_every_window(runs, workflows, steady_from, steady_to, killed_at)
        assert _difference(env, workflows) == ""


# -- set-up ------------------------------------------------------------------------------
def _set_up(env: dict[str, str], serve_env: dict[str, str]) -> dict[int, tuple[str, int]]:
    """Connections and one workflow per (owner, object), each on a new sheet.
    Returns workflow id -> (object, sheet id)."""
    settings = load_settings(**{k.lower(): v for k, v in serve_env.items()})
    runtime = build_runtime(settings)
    ss = smartsheet_client(env)
    org = to_18(env["SANDBOX_SALESFORCE_ORG_ID"])
    specs = []
    now = datetime.now(UTC)
    for owner in OWNERS:
        _connect(runtime, env, owner, now)
        for object_name in OBJECTS:
            sheet = ss.Passthrough.post(
                "/sheets",
                {
                    "name": f"{object_name} for {owner}",
                    "columns": [{"title": "Name", "type": "TEXT_NUMBER", "primary": True}],
                },
            ).to_dict()["result"]
            specs.append((object_name, sheet["id"], owner))
    text = "workflows:\n" + "".join(
        f"  - name: {o} {s}\n    team: {TEAM}\n    owner: {w}\n"
        f"    salesforce: {{org: {org}, object: {o}}}\n    smartsheet: {{sheet: {s}}}\n"
        "    fields:\n      - {field: Name, column: Name, direction: both}\n"
        for o, s, w in specs
    )
    ids = import_specs(runtime.store, runtime.connectors, parse(text), now)
    runtime.db.dispose()
    return {wf: (o, s) for wf, (o, s, _w) in zip(ids, specs, strict=True)}


def _connect(runtime: Any, env: dict[str, str], owner: str, now: datetime) -> None:
    with runtime.store.unit() as session:
        for kind, token, extra in (
            (
                ConnectionKind.SALESFORCE,
                env["SANDBOX_SALESFORCE_TOKEN"],
                {
                    "org_id": to_18(env["SANDBOX_SALESFORCE_ORG_ID"]),
                    "instance_url": env["SANDBOX_SALESFORCE_INSTANCE_URL"],
                    "login_url": env["SALESFORCE_LOGIN_URL"],
                },
            ),
            (ConnectionKind.SMARTSHEET, env["SANDBOX_SMARTSHEET_TOKEN"], {}),
        ):
            repo.add_connection(
                session,
                runtime.store.cipher,
                team_id=TEAM,
                owner_id=owner,
                kind=kind,
                access_token=token,
                refresh_token=None,
                now=now,
                **extra,
            )


def _all_backfilled(serve_env: dict[str, str], workflows: dict[int, tuple[str, int]]) -> bool:
    engine = make_engine(serve_env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            done = conn.execute(text("SELECT count(*) FROM workflows WHERE backfilled")).scalar()
    finally:
        engine.dispose()
    return done == len(workflows)


# -- edits and the kill ------------------------------------------------------------------
def _edit_both_sides(env: dict[str, str], workflows: dict[int, tuple[str, int]], tag: str) -> None:
    """In Salesforce: the first (round one) or last (round two) record of each object
    renamed. In each sheet: the row of a record no other edit of this test touches."""
    sf, ss = salesforce_client(env), smartsheet_client(env)
    offset = 0 if tag == "one" else len(workflows)
    records = {o: _records(sf, o) for o in OBJECTS}
    for object_name in OBJECTS:
        sf.restful(
            f"sobjects/{object_name}/{records[object_name][0 if tag == 'one' else -1]['Id']}",
            method="PATCH",
            json={"Name": f"sf {tag} {object_name}"},
        )
    for position, (workflow_id, (object_name, sheet_id)) in enumerate(sorted(workflows.items())):
        record_id = records[object_name][1 + offset + position]["Id"]
        sheet = ss.Sheets.get_sheet(sheet_id).to_dict()
        titles = {c["title"]: c["id"] for c in sheet["columns"]}
        row = next(
            r
            for r in sheet["rows"]
            for c in r["cells"]
            if c["columnId"] == titles["Salesforce Id"] and to_18(str(c.get("value"))) == record_id
        )
        cell = {"columnId": titles["Name"], "value": f"ss {tag} {workflow_id}"}
        ss.Sheets.update_rows(sheet_id, [smartsheet.models.Row({"id": row["id"], "cells": [cell]})])


def _kill_mid_group(env: dict[str, str], victim: Serve) -> None:
    """Slow Salesforce's queries down, wait until the victim starts a group, kill it there."""
    control = env["SANDBOX_CONTROL_URL"]
    fault = {"endpoint": "query.all", "status": None, "delay": 2.0, "times": 6}
    assert requests.post(f"{control}/salesforce/faults", json=fault, timeout=5).ok
    started = len(victim.matches(RUN))
    wait_for(lambda: len(victim.matches(RUN)) > started, 60, "the victim to start a group")
    victim.kill()
    # killed mid-group: its last words are a group's start, without the group's end
    assert RUN.search(victim.messages()[-1]), victim.messages()[-3:]
    assert requests.delete(f"{control}/salesforce/faults", timeout=5).ok


def _wait_windows(count: int) -> None:
    end = datetime.now(UTC) + timedelta(seconds=count * INTERVAL)
    wait_for(lambda: datetime.now(UTC) >= end, count * INTERVAL + 5, "windows to pass")


# -- checks ------------------------------------------------------------------------------
Run = tuple[str, str, datetime]  # (group, instance, window)


def _completed_runs(instances: list[Serve]) -> list[Run]:
    """Runs that finished: a run line followed (in the same process's log) by its done line.
    The killed instance's last run has no done line and does not count."""
    runs: list[Run] = []
    for instance in instances:
        open_runs: dict[str, tuple[str, datetime]] = {}
        for message in instance.messages():
            if started := RUN.search(message):
                group = f"{started[1]}/{started[2]}"
                open_runs[group] = (started[3], datetime.fromisoformat(started[4]))
            elif (done := DONE.search(message)) and f"{done[1]}/{done[2]}" in open_runs:
                group = f"{done[1]}/{done[2]}"
                who, window = open_runs.pop(group)
                runs.append((group, who, window))
    return runs


def _assert_once_per_window(runs: list[Run]) -> None:
    counts = Counter((group, window) for group, _who, window in runs)
    assert [key for key, n in counts.items() if n > 1] == []
    assert len({who for _g, who, _w in runs}) >= 3  # the work really was shared


def _assert_every_window(
    runs: list[Run],
    workflows: dict[int, tuple[str, int]],
    start: datetime,
    end: datetime,
    killed_at: datetime,
) -> None:
    by_group: dict[str, set[datetime]] = defaultdict(set)
    for group, _who, window in runs:
        by_group[group].add(window)
    assert len(by_group) == len(workflows)  # one group per workflow here
    first = _window(start) + timedelta(seconds=INTERVAL)
    last = _window(end) - timedelta(seconds=INTERVAL)
    stalled_until = killed_at + timedelta(seconds=LEASE + INTERVAL)
    missing: set[tuple[str, datetime]] = set()
    window = first
    while window <= last:
        for group, windows in by_group.items():
            # the killed instance's group waits for its lease: windows overlapping
            # [kill - interval, kill + lease + interval] may miss it
            held = window + timedelta(seconds=2 * INTERVAL) > killed_at and window <= stalled_until
            if window not in windows and not held:
                missing.add((group, window))
        window += timedelta(seconds=INTERVAL)
    windows_checked = int((last - first).total_seconds() // INTERVAL) + 1
    print(f"scale-out: {len(missing)} of {windows_checked * len(by_group)} group-windows missed")
    # A window goes without a group only when every instance's tick ran past it (an
    # overloaded machine); then the next window has it: never two in a row ...
    step = timedelta(seconds=INTERVAL)
    assert sorted((g, w) for g, w in missing if (g, w + step) in missing) == []
    # ... and nearly every group-window is covered.
    assert len(missing) <= 0.05 * windows_checked * len(by_group)
    assert last >= first + timedelta(seconds=4 * INTERVAL)  # the check covered some windows


def _window(at: datetime) -> datetime:
    epoch = at.timestamp()
    return datetime.fromtimestamp(epoch - epoch % INTERVAL, UTC)


def _records(sf: Any, object_name: str) -> list[dict[str, Any]]:
    found = sf.query_all(f"SELECT Id, Name FROM {object_name} ORDER BY Id")["records"]
    return [{"Id": to_18(r["Id"]), "Name": r["Name"]} for r in found]


def _converged(env: dict[str, str], workflows: dict[int, tuple[str, int]]) -> bool:
    return _difference(env, workflows) == ""


def _difference(env: dict[str, str], workflows: dict[int, tuple[str, int]]) -> str:
    """'' when each sheet holds each record once, with Salesforce's name, and every edit
    arrived; else what differs first."""
    sf, ss = salesforce_client(env), smartsheet_client(env)
    truth = {o: {r["Id"]: r["Name"] for r in _records(sf, o)} for o in OBJECTS}
    edits = {f"sf {tag} {o}" for tag in ("one", "two") for o in OBJECTS}
    edits |= {f"ss {tag} {wf}" for tag in ("one", "two") for wf in workflows}
    lost = edits - {name for names in truth.values() for name in names.values()}
    if lost:
        return f"not in Salesforce: {sorted(lost)}"
    for workflow_id, (object_name, sheet_id) in workflows.items():
        sheet = ss.Sheets.get_sheet(sheet_id).to_dict()
        titles = {c["id"]: c["title"] for c in sheet["columns"]}
        pairs = []
        for row in sheet["rows"]:
            cells = {titles[c["columnId"]]: c.get("value") for c in row["cells"]}
            pairs.append((to_18(str(cells.get("Salesforce Id") or "")), cells.get("Name")))
        ids = [record_id for record_id, _name in pairs]
        if len(ids) != len(set(ids)):
            return f"workflow {workflow_id}: duplicated rows"
        differ = set(dict(pairs).items()) ^ set(truth[object_name].items())
        if differ:
            return f"workflow {workflow_id}: sheet and Salesforce differ: {sorted(differ)[:4]}"
    return ""
