"""Ticks per minute with several `syncbot serve` instances on one PostgreSQL database.

    python -m bench.scale_out --workflows 1000 --groups 200 --instances 1 3 [--json]
        [--seconds 60] [--database-url postgresql://postgres@127.0.0.1:5432/test]

W quiet workflows (filters matching nothing) on G groups (G owners' Salesforce
connections, all on Opportunity) and 10 Smartsheet connections, each on its own token
(Smartsheet's 300 calls a minute hold per token). A fresh schema holds the database; a
first in-process engine sets the workflows up (describes, columns, empty backfills), then
for each instance count N the bench starts N `syncbot serve` processes (interval 1 s:
each group runs at most once a second, so the instances are kept busy), lets them warm
up (at least --warm-up seconds and 2 x N x G group runs: a new instance first reads every
sheet's columns and each describe once), and counts the group runs they complete (their "group …: done" log lines) over the
measured seconds. Ticks per minute = group runs per minute / G: full passes over every
group. The schema is dropped at the end. The sandbox runs in this process, serving every
instance; the Salesforce org's daily allowance is lifted (SYNC_API_SHARE=1): at these
rates a real org's allowance, not syncbot, would be the limit.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete

from bench.common import ServeProcess, fresh_schema, runtime_for, serve_env
from bot.runtime import Runtime
from bot.sandbox_setup import connect_user, service_config
from sandbox.runner import Sandbox
from sync.clock import SystemClock
from sync.connectors.factory import ConnectorFactory
from sync.model import Condition, Direction, FieldMapping, Filter, Workflow
from sync.poller import EngineConfig, Syncer
from sync.store import budget_counts, repo
from sync.store.app_tables import AppSetting
from sync.store.repo import ConnectionKind

TEAM = "T0SCALE001"
TARGET_RATIO = 2.5  # issue #9 target 8
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/test"
SETTLED = 10.0  # seconds without a sheet read before measuring
WARM_PASSES = 2  # group runs per instance and group before measuring (on average)
DONE = "group "  # ... "group 12/Opportunity: done"
RETRY = "transient error, retry next tick"  # sync.poller's line for deferred work


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workflows", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--smartsheet-connections", type=int, default=10)
    parser.add_argument("--instances", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--seconds", type=float, default=60.0, help="measured per count")
    parser.add_argument("--warm-up", type=float, default=15.0)
    parser.add_argument("--interval", type=int, default=1)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args)
    if args.json:
        print(json.dumps(figures))
        return
    cap = 60 / args.interval  # a group runs at most once per interval window
    print(
        "workflows  groups  instances  group runs  deferred  seconds  ticks/min  cap/min  ratio"
        "  target  serve cores  sandbox cores  machine busy"
    )
    for run in figures["runs"]:
        print(
            f"{figures['workflows']:9d}  {figures['groups']:6d}  {run['instances']:9d}"
            f"  {run['group_runs']:10d}  {run['deferred']:8d}  {run['seconds']:7.0f}"
            f"  {run['ticks_per_minute']:9.1f}"
            f"  {cap:7.0f}  {run['ratio']:5.2f}  {TARGET_RATIO if run['instances'] > 1 else 1:6.1f}"
            f"  {run['serve_cores']:11.2f}  {run['sandbox_cores']:13.2f}"
            f"  {run['machine_busy']:11.0%}"
        )


def measure(args: argparse.Namespace) -> dict[str, Any]:
    box = Sandbox(salesforce_size=40, smartsheet_size=5).start()
    box.salesforce.set_api_usage(0, 10**9)
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        with fresh_schema(args.database_url) as url:
            env = serve_env(box, url, SYNC_POLL_INTERVAL=str(args.interval), SYNC_API_SHARE="1")
            runtime = runtime_for(env)
            setup = set_up(box, runtime, args.workflows, args.groups, args.smartsheet_connections)
            runs = []
            for n in args.instances:
                _forget_calls(runtime)
                runs.append(_measure_instances(box, workdir, env, n, args))
            runtime.db.dispose()
    finally:
        box.stop()
    base = runs[0]["ticks_per_minute"] or 1.0
    for run in runs:
        run["ratio"] = round(run["ticks_per_minute"] / base, 2)
    return {
        "workflows": args.workflows,
        "groups": args.groups,
        "smartsheet_connections": args.smartsheet_connections,
        "interval_s": args.interval,
        "cap_ticks_per_minute": 60 / args.interval,
        "setup_seconds": setup,
        "runs": runs,
        "target_ratio": TARGET_RATIO,
    }


def set_up(box: Sandbox, runtime: Runtime, count: int, groups: int, sheets_conns: int) -> float:
    """Connections, workflows and two set-up ticks in this process (Smartsheet budget
    lifted: 3 calls per new sheet would otherwise spread over minutes). Seconds taken."""
    store = runtime.store
    owners = [f"U0SCALE{n:04d}" for n in range(groups)]
    salesforce = [connect_user(store, box, team=TEAM, owner=o)[0] for o in owners]
    smartsheet = [_own_token_connection(runtime, box, n) for n in range(sheets_conns)]
    now = datetime.now(UTC)
    with store.unit() as session:
        for i in range(count):
            sheet = box.smartsheet.create_sheet(
                f"scale {i}", [{"title": "Name", "type": "TEXT_NUMBER", "primary": True}]
            )
            wf = Workflow(
                id=0,
                name=f"scale {i}",
                team_id=TEAM,
                owner_id=owners[i % groups],
                salesforce_connection_id=salesforce[i % groups],
                smartsheet_connection_id=smartsheet[i % sheets_conns],
                object_name="Opportunity",
                sheet_id=sheet,
                fields=(FieldMapping("Name", "Name", Direction.BOTH),),
                filter=Filter((Condition("Name", "starts with", f"none-{i}-"),)),
            )
            repo.save_workflow(session, wf, now)
    config = service_config(box, api_share=1.0, smartsheet_calls_per_minute=10**6)
    engine = Syncer(
        store,
        ConnectorFactory(store, config, SystemClock()),
        SystemClock(),
        config=EngineConfig(instance_id="bench-setup"),
    )
    started = time.perf_counter()
    for _ in range(2):
        report = engine.tick()
        assert not report.failures, report.failures[:3]
    return round(time.perf_counter() - started, 1)


def _own_token_connection(runtime: Runtime, box: Sandbox, n: int) -> int:
    """A Smartsheet connection on a token of its own (a person may hold several)."""
    with runtime.store.unit() as session:
        return repo.add_connection(
            session,
            runtime.store.cipher,
            team_id=TEAM,
            owner_id=f"U0SSCONN{n:03d}",
            kind=ConnectionKind.SMARTSHEET,
            access_token=box.smartsheet.tokens.personal("owner"),
            refresh_token=None,
            now=datetime.now(UTC),
            external_user_id="owner",
            label=f"Sandbox Smartsheet token {n}",
        )


def _forget_calls(runtime: Runtime) -> None:
    """The Smartsheet calls counted in the last minute, forgotten: the set-up's (made with
    the budget lifted) and the previous run's. Else each run would open on a spent budget
    (300 a minute per token), its group runs deferring every workflow, fast and useless:
    as if the run began a minute after the one before it."""
    with runtime.store.unit() as session:
        session.execute(delete(AppSetting).where(AppSetting.team_id == budget_counts.TEAM))


def _measure_instances(
    box: Sandbox, workdir: Path, env: dict[str, str], instances: int, args: argparse.Namespace
) -> dict[str, Any]:
    serves = [ServeProcess(workdir, f"n{instances}-i{k}", env).start() for k in range(instances)]
    try:
        for serve in serves:
            serve.wait_ready()
        _warm_up(box, serves, instances * args.groups * WARM_PASSES, args.warm_up)
        before, deferred, started = _done(serves), _retries(serves), time.monotonic()
        pids = [s.process.pid for s in serves if s.process is not None]
        serve_cpu, bench_cpu, machine = _cpu(pids), _cpu([os.getpid()]), _machine_cpu()
        time.sleep(args.seconds)
        runs, seconds = _done(serves) - before, time.monotonic() - started
        deferred = _retries(serves) - deferred
        serve_cores = (_cpu(pids) - serve_cpu) / seconds
        bench_cores = (_cpu([os.getpid()]) - bench_cpu) / seconds
        busy = _machine_cpu()
        machine_busy = (busy[0] - machine[0]) / max(busy[1] - machine[1], 1e-9)
    finally:
        codes = [serve.stop() for serve in serves]
    return {
        "instances": instances,
        "group_runs": runs,
        "seconds": round(seconds, 1),
        "ticks_per_minute": round(runs / args.groups / seconds * 60, 2),
        "deferred": deferred,  # workflow runs that put work off (0: every run did its work)
        "serve_cores": round(serve_cores, 2),  # CPU of the serve processes, in cores
        "sandbox_cores": round(bench_cores, 2),  # this process: the emulators
        "machine_busy": round(machine_busy, 2),  # share of all cores busy (PostgreSQL too)
        "exit_codes": codes,
    }


def _warm_up(box: Sandbox, serves: list[ServeProcess], runs: int, at_least: float) -> None:
    """A new instance reads every sheet's columns and each describe once (its layout
    cache), and with several instances each group lands on each of them in turn: wait
    `at_least` seconds, `runs` group runs, and until no sheet has been read (and no work
    put off) for SETTLED seconds, so that the measured span is the steady state (at most
    10 minutes)."""
    started = time.monotonic()
    time.sleep(at_least)
    reads, still_since = box.smartsheet.control.count("sheets.get"), time.monotonic()
    while time.monotonic() - started < 600:
        time.sleep(1)
        now_reads = box.smartsheet.control.count("sheets.get")
        if now_reads != reads:
            reads, still_since = now_reads, time.monotonic()
        settled = time.monotonic() - still_since >= SETTLED
        if settled and _done(serves) >= runs and not _deferring(serves):
            return


def _deferring(serves: list[ServeProcess], seconds: float = 10) -> bool:
    """Whether an instance put work off in the last `seconds` (a spent budget while the
    new instances read every sheet's columns, 100 a token each): not the steady state."""
    horizon = datetime.now(UTC).timestamp() - seconds
    for serve in serves:
        for line in serve.log.read_text(encoding="utf-8", errors="replace").splitlines():
            if RETRY in line and line.startswith("{"):
                try:
                    if datetime.fromisoformat(json.loads(line)["time"]).timestamp() > horizon:
                        return True
                except (ValueError, KeyError):
                    continue  # a line cut short while being written
    return False


def _cpu(pids: list[int]) -> float:
    """User + system CPU seconds of these processes so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _machine_cpu() -> tuple[float, float]:
    """(busy, all) jiffies of every core since boot (Linux /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return float(sum(values) - idle), float(sum(values))


def _retries(serves: list[ServeProcess]) -> int:
    return sum(1 for serve in serves for message in serve.messages() if RETRY in message)


def _done(serves: list[ServeProcess]) -> int:
    return sum(
        1
        for serve in serves
        for message in serve.messages()
        if message.startswith(DONE) and message.endswith(": done")
    )


if __name__ == "__main__":
    main()
