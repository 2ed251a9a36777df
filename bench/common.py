"""A sandbox, a database and an engine wired like production, for the benchmarks."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sandbox.runner import Sandbox
from sync.clock import SystemClock
from sync.connectors.factory import ConnectorFactory, ServiceConfig
from sync.connectors.salesforce_oauth import SalesforceApp
from sync.connectors.smartsheet import SmartsheetApp
from sync.ids import to_18
from sync.model import Condition, Direction, FieldMapping, Filter, Workflow
from sync.poller import Engine, EngineConfig
from sync.store import migrate, repo
from sync.store.db import make_engine, make_session_factory
from sync.store.repo import ConnectionKind, Store
from sync.store.secrets import TokenCipher

TEAM, OWNER = "T0BENCH001", "U0BENCH001"


class Bench:
    def __init__(self, salesforce_size: int = 40) -> None:
        self.box = Sandbox(salesforce_size=salesforce_size, smartsheet_size=5).start()
        db = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}")
        migrate.upgrade(db)
        self.store = Store(make_session_factory(db), TokenCipher(TokenCipher.generate_key()))
        sf, ss = self.box.salesforce, self.box.smartsheet
        config = ServiceConfig(
            SalesforceApp(sf.client_id, sf.client_secret),
            SmartsheetApp(ss.client_id, ss.client_secret),
            ss.api_base,
            Path(self.box.ca_path),
            api_share=0.95,
        )
        self.engine = Engine(
            self.store,
            ConnectorFactory(self.store, config, SystemClock()),
            SystemClock(),
            config=EngineConfig(instance_id="bench"),
        )
        now = datetime.now(UTC)
        with self.store.unit() as session:
            self.sf_conn = repo.add_connection(
                session,
                self.store.cipher,
                team_id=TEAM,
                owner_id=OWNER,
                kind=ConnectionKind.SALESFORCE,
                access_token=sf.token_for("admin"),
                refresh_token=None,
                now=now,
                org_id=to_18(sf.org_id),
                instance_url=sf.base_url,
                login_url=sf.base_url,
            )
            self.ss_conn = repo.add_connection(
                session,
                self.store.cipher,
                team_id=TEAM,
                owner_id=OWNER,
                kind=ConnectionKind.SMARTSHEET,
                access_token=ss.token_for("owner"),
                refresh_token=None,
                now=now,
            )

    def workflow(
        self, object_name: str, fields: list[tuple[str, str]], prefix: str, name: str = "bench"
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
            salesforce_connection_id=self.sf_conn,
            smartsheet_connection_id=self.ss_conn,
            object_name=object_name,
            sheet_id=sheet,
            fields=tuple(FieldMapping(f, c, Direction.BOTH) for f, c in fields),
            filter=Filter((Condition("Name", "starts with", prefix),)),
        )
        with self.store.unit() as session:
            return repo.save_workflow(session, wf, datetime.now(UTC)), sheet

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
