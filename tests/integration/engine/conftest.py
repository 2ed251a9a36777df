"""A world for engine scenarios: the three emulators over loopback, a fresh database per
test, the real connectors (simple-salesforce, smartsheet SDK) and the engine."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import smartsheet

from bot.sandbox_setup import connect_user, service_config
from sandbox.runner import Sandbox
from sync.clock import SystemClock
from sync.connectors.factory import ConnectorFactory
from sync.model import (
    Direction,
    FieldMapping,
    Filter,
    Workflow,
    WorkflowOptions,
)
from sync.poller import EngineConfig, Syncer, TickReport
from sync.ports import ErrorReport
from sync.store import repo
from sync.store.repo import Store

TEAM = "T0SANDBOX1"
OWNER = "U0OWNER001"


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    box = Sandbox(
        salesforce_size=40, smartsheet_size=5, workdir=tmp_path_factory.mktemp("sandbox")
    ).start()
    yield box
    box.stop()


@dataclass
class RecordingNotifier:
    sent: list[tuple[str, str, list[ErrorReport]]] = field(default_factory=list)

    def notify(self, team_id: str, user_id: str, reports: Sequence[ErrorReport]) -> None:
        self.sent.append((team_id, user_id, list(reports)))

    def messages(self) -> list[str]:
        return [r.message for _, _, reports in self.sent for r in reports if not r.resolved]


class World:
    def __init__(self, box: Sandbox, store: Store) -> None:
        self.box, self.store = box, store
        self.sf, self.ss = box.salesforce, box.smartsheet
        config = service_config(box, api_share=0.9, smartsheet_max_retry=10)
        self.connectors = ConnectorFactory(store, config, SystemClock())
        self.notifier = RecordingNotifier()
        self.engine = Syncer(
            store,
            self.connectors,
            SystemClock(),
            notifier=self.notifier,
            config=EngineConfig(instance_id="test"),
        )
        self.progress: list[tuple[int, int, int]] = []
        self.engine.progress = lambda *p: self.progress.append(p)

    # -- set-up --------------------------------------------------------------------
    def connect(
        self,
        *,
        sf_user: str = "admin",
        ss_user: str = "owner",
        owner: str = OWNER,
        refreshable: bool = False,
    ) -> tuple[int, int]:
        return connect_user(
            self.store,
            self.box,
            team=TEAM,
            owner=owner,
            sf_user=sf_user,
            ss_user=ss_user,
            refreshable=refreshable,
        )

    def sheet(
        self, *columns: tuple[str, str] | tuple[str, str, dict[str, Any]], owner: str = "owner"
    ) -> int:
        specs = []
        for index, column in enumerate(columns):
            title, kind = column[0], column[1]
            extra = column[2] if len(column) > 2 else {}  # type: ignore[misc]
            specs.append({"title": title, "type": kind, "primary": index == 0, **extra})
        return self.ss.create_sheet(f"Sheet {uuid.uuid4().hex[:8]}", specs, owner=owner)

    def workflow(
        self,
        sheet_id: int,
        fields: Sequence[tuple[str, str, Direction]],
        *,
        object_name: str = "Opportunity",
        flt: Filter | None = None,
        options: WorkflowOptions | None = None,
        connections: tuple[int, int] | None = None,
        name: str = "wf",
        owner: str = OWNER,
    ) -> int:
        sf_id, ss_id = connections or self.connect(owner=owner)
        wf = Workflow(
            id=0,
            name=name,
            team_id=TEAM,
            owner_id=owner,
            salesforce_connection_id=sf_id,
            smartsheet_connection_id=ss_id,
            object_name=object_name,
            sheet_id=sheet_id,
            fields=tuple(FieldMapping(f, c, d) for f, c, d in fields),
            filter=flt or Filter(),
            options=options or WorkflowOptions(),
        )
        with self.store.unit() as session:
            return repo.save_workflow(session, wf, datetime.now(UTC))

    # -- acting --------------------------------------------------------------------
    def tick(self) -> TickReport:
        return self.engine.tick()

    # -- looking (through the real SDK, as a person in the sheet would see it) -------
    def rows(self, sheet_id: int, token: str | None = None) -> list[dict[str, Any]]:
        client = smartsheet.Smartsheet(
            access_token=token or self.ss.token_for("owner"),
            api_base=self.ss.api_base,
            user_agent="tests",
        )
        client.errors_as_exceptions(True)
        sheet = client.Sheets.get_sheet(sheet_id).to_dict()
        titles = {c["id"]: c["title"] for c in sheet["columns"]}
        return [
            {
                "_id": r["id"],
                **{
                    titles[c["columnId"]]: c.get("value")
                    for c in r.get("cells", [])
                    if "columnId" in c
                },
            }
            for r in sheet.get("rows", [])
        ]

    def row_of(self, sheet_id: int, record_id: str) -> dict[str, Any]:
        matches = [r for r in self.rows(sheet_id) if r.get("Salesforce Id") == record_id]
        assert len(matches) == 1, f"{len(matches)} rows hold {record_id}"
        return matches[0]


@pytest.fixture
def world(sandbox: Sandbox, store: Store) -> World:
    sandbox.salesforce.reset()
    sandbox.smartsheet.reset()
    return World(sandbox, store)


def smartsheet_oauth_tokens(world: World, alias: str = "owner") -> tuple[str, str]:
    """Go through Smartsheet's OAuth code flow as `alias` (consent form, then the SDK's
    token exchange with the hashed secret); returns (access, refresh)."""
    import hashlib
    from urllib.parse import parse_qs, urlparse

    import requests

    consent = requests.post(
        f"{world.ss.base_url}/b/authorize",
        data={
            "response_type": "code",
            "client_id": world.ss.client_id,
            "scope": "READ_SHEETS WRITE_SHEETS ADMIN_SHEETS",
            "state": "s1",
            "redirect_uri": "http://127.0.0.1:9/callback",
            "user": alias,
            "decision": "allow",
        },
        allow_redirects=False,
        timeout=10,
    )
    code = parse_qs(urlparse(consent.headers["Location"]).query)["code"][0]
    client = smartsheet.Smartsheet(access_token="unused", api_base=world.ss.api_base)
    client.errors_as_exceptions(True)
    digest = hashlib.sha256(f"{world.ss.client_secret}|{code}".encode()).hexdigest()
    token = client.Token.get_access_token(world.ss.client_id, code, digest)
    return token.access_token, token.refresh_token


class Warp:
    """now() = real time + offset, for Salesforce, Smartsheet and the engine alike, so a
    test can let minutes pass without sleeping."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def __call__(self) -> datetime:
        return self.now()

    def advance(self, minutes: float) -> None:
        self.offset += timedelta(minutes=minutes)


@pytest.fixture
def warp(world: World) -> Iterator[Warp]:
    w = Warp()
    old_sf, old_ss, old_engine = world.sf.clock, world.ss.clock, world.engine.clock
    world.sf.clock, world.ss.clock, world.engine.clock = w, w, w  # type: ignore[assignment]
    try:
        yield w
    finally:
        world.sf.clock, world.ss.clock, world.engine.clock = old_sf, old_ss, old_engine


def status_of(world: World, sheet: int, row_id: int) -> str:
    row = next(r for r in world.rows(sheet) if r["_id"] == row_id)
    return row.get("Sync Status") or ""


def dm_pairs(world: World) -> list[tuple[str, bool]]:
    """(message, resolved) of every report sent to the owner so far, in order."""
    return [(r.message, r.resolved) for _, _, reports in world.notifier.sent for r in reports]
