"""A sandbox, a database and an engine wired like production, for the benchmarks."""

from __future__ import annotations

import json
import math
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from sqlalchemy import text

from bot.config import load_settings
from bot.demo_slack import base_env, free_port
from bot.runtime import Runtime, build_runtime
from bot.sandbox_setup import connect_user, service_config
from sandbox.runner import Sandbox
from sync.clock import SystemClock
from sync.connectors.factory import ConnectorFactory
from sync.model import Condition, Direction, FieldMapping, Filter, Workflow
from sync.poller import EngineConfig, Syncer
from sync.store import migrate, repo
from sync.store.db import make_engine, make_session_factory
from sync.store.repo import ConnectionKind, Store
from sync.store.secrets import TokenCipher

TEAM, OWNER = "T0BENCH001", "U0BENCH001"


class _Shifted:
    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def __call__(self) -> datetime:
        return self.now()


class Bench:
    def __init__(self, salesforce_size: int = 40, smartsheet_per_minute: int = 300) -> None:
        self.box = Sandbox(salesforce_size=salesforce_size, smartsheet_size=5).start()
        db = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}")
        migrate.upgrade(db)
        self.store = Store(make_session_factory(db), TokenCipher(TokenCipher.generate_key()))
        config = service_config(
            self.box, api_share=0.95, smartsheet_calls_per_minute=smartsheet_per_minute
        )
        self.engine = Syncer(
            self.store,
            ConnectorFactory(self.store, config, SystemClock()),
            SystemClock(),
            config=EngineConfig(instance_id="bench"),
        )
        self.sf_conn, self.ss_conn = connect_user(self.store, self.box, team=TEAM, owner=OWNER)

    def connect(self, owner: str) -> tuple[int, int]:
        """Another owner's (Salesforce, Smartsheet) connections, on the same sandbox users."""
        return connect_user(self.store, self.box, team=TEAM, owner=owner)

    def connect_own_token(self, owner: str) -> tuple[int, int]:
        """Like `connect`, with a Smartsheet token of the owner's own (Smartsheet's 300
        calls a minute hold per token; a person may hold several): the owner's newest
        Smartsheet connection, the one an import resolves to."""
        sf_id, _shared = self.connect(owner)
        with self.store.unit() as session:
            ss_id = repo.add_connection(
                session,
                self.store.cipher,
                team_id=TEAM,
                owner_id=owner,
                kind=ConnectionKind.SMARTSHEET,
                access_token=self.box.smartsheet.tokens.personal("owner"),
                refresh_token=None,
                now=datetime.now(UTC),
                external_user_id="owner",
                label=f"Sandbox Smartsheet ({owner}'s own token)",
            )
        return sf_id, ss_id

    def workflow(
        self,
        object_name: str,
        fields: list[tuple[str, str]],
        prefix: str,
        name: str = "bench",
        connections: tuple[int, int] | None = None,
    ) -> tuple[int, int]:
        sheet = self.box.smartsheet.create_sheet(
            f"{name} sheet",
            [
                {"title": column, "type": "TEXT_NUMBER", "primary": i == 0}
                for i, (_, column) in enumerate(fields)
            ],
        )
        wf = Workflow(
            id=0,
            name=name,
            team_id=TEAM,
            owner_id=OWNER,
            salesforce_connection_id=(connections or (self.sf_conn, self.ss_conn))[0],
            smartsheet_connection_id=(connections or (self.sf_conn, self.ss_conn))[1],
            object_name=object_name,
            sheet_id=sheet,
            fields=tuple(FieldMapping(f, c, Direction.BOTH) for f, c in fields),
            filter=Filter((Condition("Name", "starts with", prefix),)),
        )
        with self.store.unit() as session:
            return repo.save_workflow(session, wf, datetime.now(UTC)), sheet

    def age(self, minutes: float) -> None:
        """Let time pass for the engine and both emulators alike, without sleeping: an idle
        tick minutes after the last edit, not seconds after the set-up wrote every sheet."""
        clock = _Shifted(timedelta(minutes=minutes))
        self.engine.clock = clock
        self.box.salesforce.clock = clock
        self.box.smartsheet.clock = clock

    def calls(self) -> dict[str, int]:
        return {
            "salesforce": self.box.salesforce.control.count(),
            "smartsheet": self.box.smartsheet.control.count(),
        }

    def reset_counters(self) -> None:
        self.box.salesforce.control.reset_counters()
        self.box.smartsheet.control.reset_counters()

    def close(self) -> None:
        self.box.stop()


# -- `syncbot serve` as a subprocess (latency, Slack acks, scale-out) ---------------------
def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of `values`; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def serve_env(box: Sandbox, database_url: str, **extra: str) -> dict[str, str]:
    """serve's environment for the in-process sandbox (no SANDBOX_* shortcut lines)."""
    env = {k: v for k, v in box.env().items() if not k.startswith("SANDBOX_")}
    return {**env, "DATABASE_URL": database_url, **extra}


def runtime_for(env: dict[str, str]) -> Runtime:
    """The composition root serve builds, on the same database: to connect and import."""
    return build_runtime(load_settings(**{k.lower(): v for k, v in env.items()}))


class ServeProcess:
    """One `syncbot serve --log-format json` on a free loopback port, logs to files."""

    def __init__(self, workdir: Path, name: str, env: dict[str, str]) -> None:
        self.name, self.env = name, env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServeProcess:
        command = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--log-format", "json"]
        env = {**base_env(), **self.env, "PUBLIC_URL": self.url}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log, env=env)
        return self

    def wait_ready(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} was not ready within {seconds:.0f} s")

    def messages(self) -> list[str]:
        """The JSON log's messages, in order."""
        found = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    found.append(str(json.loads(line)["message"]))
                except (ValueError, KeyError):
                    continue  # a line cut short while being written
        return found

    def stop(self) -> int:
        """SIGTERM, then the exit code (a kill after 60 s: -9)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return -9


@contextmanager
def fresh_schema(database_url: str) -> Iterator[str]:
    """A new schema for this run, dropped after; the URL whose search_path points at it."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(database_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{database_url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
