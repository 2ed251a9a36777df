"""`syncbot serve` as an operator meets it: a real process on SQLite against the sandbox,
its operations endpoints, its logs, its refusals and its shutdown."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.runtime import build_runtime
from bot.sandbox_setup import connect_user
from sandbox.runner import Sandbox
from sync.ids import to_18
from sync.model import ColumnType
from sync.workflow_file import parse
from sync.workflows import import_specs
from tests.integration.runtime.processes import Serve, wait_for

TEAM, OWNER = "T0SERVE001", "U0SERVE001"


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    sandbox = Sandbox(
        salesforce_size=15, smartsheet_size=3, workdir=tmp_path_factory.mktemp("serve-box")
    ).start()
    yield sandbox
    sandbox.stop()


def _serve_env(box: Sandbox, database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in box.env().items() if not k.startswith("SANDBOX_")}
    return {**env, "DATABASE_URL": f"sqlite:///{database}", "SYNC_POLL_INTERVAL": "2", **extra}


def _one_workflow(box: Sandbox, env: dict[str, str]) -> int:
    runtime = build_runtime(load_settings(**{k.lower(): v for k, v in env.items()}))
    connect_user(runtime.store, box, team=TEAM, owner=OWNER)
    sheet = box.smartsheet.create_sheet(
        "Serve test", [{"title": "Name", "type": ColumnType.TEXT_NUMBER.value, "primary": True}]
    )
    text = (
        f"workflows:\n  - name: Accounts\n    team: {TEAM}\n    owner: {OWNER}\n"
        f"    salesforce: {{org: {to_18(box.salesforce.org_id)}, object: Account}}\n"
        f"    smartsheet: {{sheet: {sheet}}}\n"
        "    fields:\n      - {field: Name, column: Name, direction: both}\n"
    )
    ids = import_specs(runtime.store, runtime.connectors, parse(text), datetime.now(UTC))
    runtime.db.dispose()
    return ids[0]


@pytest.fixture(scope="module")
def running(
    box: Sandbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Serve, dict[str, str], int]]:
    workdir = tmp_path_factory.mktemp("serve")
    env = _serve_env(box, workdir / "syncbot.db")
    workflow_id = _one_workflow(box, env)
    serve = Serve(workdir, "serve", env).start()
    serve.wait_listening()
    yield serve, env, workflow_id
    serve.terminate()


def _metric(text: str, name: str, **labels: str) -> float | None:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" (\S+)"
    found = re.search(r"^" + pattern + "$", text, re.MULTILINE)
    return float(found[1]) if found else None


def test_health_and_readiness_answer(running: tuple[Serve, dict[str, str], int]) -> None:
    serve, _env, _wf = running
    health = serve.get("/healthz")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    ready = serve.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    assert serve.get("/nothing-here").status_code == 404


def test_metrics_count_ticks_groups_calls_and_rows(
    running: tuple[Serve, dict[str, str], int],
) -> None:
    serve, _env, workflow_id = running

    def synced() -> bool:
        return (_metric(serve.get("/metrics").text, "syncbot_groups_synced_total") or 0) >= 2

    wait_for(synced, 60, "two group runs")
    text = serve.get("/metrics").text
    assert (_metric(text, "syncbot_ticks_total") or 0) >= 2
    assert _metric(text, "syncbot_rows_written_total", change="created") == 15  # the backfill
    assert (_metric(text, "syncbot_api_calls_total", service="salesforce", status="200") or 0) > 0
    assert (_metric(text, "syncbot_api_calls_total", service="smartsheet", status="200") or 0) > 0
    assert _metric(text, "syncbot_row_errors_total") == 0
    assert (_metric(text, "syncbot_tick_duration_seconds_count") or 0) >= 2
    lag = _metric(text, "syncbot_sync_lag_seconds", workflow=str(workflow_id))
    assert lag is not None and lag < 60


def test_a_second_instance_on_the_same_sqlite_file_is_refused(
    running: tuple[Serve, dict[str, str], int], tmp_path: Path
) -> None:
    _serve, env, _wf = running
    second = Serve(tmp_path, "second", env).start()
    assert second.process is not None
    assert second.process.wait(timeout=60) == 2
    err = second.stderr()
    assert "Another syncbot serve is already running" in err
    assert "use PostgreSQL" in err
    assert "Traceback" not in err


def test_json_logs_are_json_and_hold_no_secret(
    running: tuple[Serve, dict[str, str], int], box: Sandbox
) -> None:
    serve, _env, _wf = running
    wait_for(lambda: "run by" in serve.stderr(), 60, "a group run in the log")
    lines = [line for line in serve.stderr().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert {"time", "level", "logger", "message"} <= set(entries[0])
    secrets = [
        value
        for key, value in box.env().items()
        if key.endswith(("SECRET", "_KEY")) or "TOKEN" in key
    ]
    assert len(secrets) >= 5
    leaked = [s for s in secrets if any(s in line for line in lines)]
    assert leaked == []


def test_no_migrate_refuses_a_database_that_is_behind(box: Sandbox, tmp_path: Path) -> None:
    env = _serve_env(box, tmp_path / "fresh.db")
    serve = Serve(tmp_path, "behind", env, "--no-migrate").start()
    assert serve.process is not None
    assert serve.process.wait(timeout=60) == 2
    err = serve.stderr()
    assert "run `syncbot db upgrade`" in err
    assert "Traceback" not in err


def test_sigterm_stops_cleanly_with_exit_code_0(box: Sandbox, tmp_path: Path) -> None:
    env = _serve_env(box, tmp_path / "term.db")
    serve = Serve(tmp_path, "term", env).start()
    serve.wait_listening()
    assert serve.terminate() == 0
    assert "stopped cleanly" in serve.stderr()
