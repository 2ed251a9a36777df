"""A sandbox, a database and an engine wired like production, for the benchmarks."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.sandbox_setup import connect_user, service_config
from sandbox.runner import Sandbox
from sync.clock import SystemClock
from sync.connectors.factory import ConnectorFactory
from sync.model import Condition, Direction, FieldMapping, Filter, Workflow
from sync.poller import Engine, EngineConfig
from sync.store import migrate, repo
from sync.store.db import make_engine, make_session_factory
from sync.store.repo import Store
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
        self.engine = Engine(
            self.store,
            ConnectorFactory(self.store, config, SystemClock()),
            SystemClock(),
            config=EngineConfig(instance_id="bench"),
        )
        self.sf_conn, self.ss_conn = connect_user(self.store, self.box, team=TEAM, owner=OWNER)

    def connect(self, owner: str) -> tuple[int, int]:
        """Another owner's (Salesforce, Smartsheet) connections, on the same sandbox users."""
        return connect_user(self.store, self.box, team=TEAM, owner=owner)

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
