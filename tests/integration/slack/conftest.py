"""A running syncbot Slack app for integration tests (reusable by other Slack-side suites).

Fixtures
--------
``sandbox``  (session) the three emulators over loopback (sandbox.runner.Sandbox); the Slack
             emulator is reset before each test that uses ``bot``.
``bot``      a ``RunningBot``: the REAL Bolt app from ``bot.app.create_web`` served over
             loopback HTTP on a free port, on a fresh database per test (SQLite, or
             PostgreSQL with TEST_DATABASE_URL), with the real engine wired for `/sync run`.
             Attributes: ``url`` (base URL), ``events_url``, ``settings``, ``services``,
             ``store``, ``app`` (the Bolt App), ``slack`` (the SlackEmulator), ``box``
             (the Sandbox), ``engine`` (sync.poller.Syncer, its notifier wired to Slack),
             ``notifier`` (bot.notifier.SlackNotifier), and helpers
             ``user(name, team=ACME) -> SlackUser`` (someone of that workspace, signing
             correctly), ``install(team=ACME, name="alice") -> SlackUser`` (walks Slack's
             OAuth install as that person), ``connect(user_id, team=ACME, sf_user="admin",
             ss_user="owner") -> (sf_connection_id, ss_connection_id)`` (registers sandbox
             tokens without the OAuth dance), ``workflow(owner, sheet_id=None, name="wf",
             team=ACME) -> workflow id`` (Opportunity Name/Amount ↔ a new sheet).
``alice``    a ``SlackUser``: Acme's alice (a Slack owner, so a syncbot admin), who has
             installed the app in Acme.
``carol``    a ``SlackUser``: Acme's carol, a plain member, the app installed (by alice).

Usage: ``sent = alice.slash("/sync", "list")``; then ``bot.slack.wait_for_response(after=
sent.calls_before)`` or ``bot.slack.ephemerals(alice.user_id)`` to read what Slack shows.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from bot.app import create_web
from bot.config import Settings
from bot.sandbox_setup import connect_user, service_config
from bot.web import RunningServer
from bot.wiring import build_services, make_notifier
from sandbox.runner import SANDBOX_ENCRYPTION_KEY, Sandbox
from sandbox.slack import SlackEmulator, SlackUser
from sync.clock import SystemClock
from sync.connectors.factory import ConnectorFactory
from sync.model import Direction, FieldMapping, Workflow
from sync.poller import EngineConfig, Syncer
from sync.store import repo
from sync.store.repo import Store

ACME = "T0SANDBOX1"
GLOBEX = "T0SANDBOX2"


def bot_settings(
    box: Sandbox, public_url: str, database_url: str = "sqlite://", admins: str = ""
) -> Settings:
    sf, ss, sl = box.salesforce, box.smartsheet, box.slack
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        public_url=public_url,
        slack_signing_secret=sl.signing_secret,
        slack_client_id=sl.client_id,
        slack_client_secret=sl.client_secret,
        slack_api_url=sl.api_url,
        salesforce_client_id=sf.client_id,
        salesforce_client_secret=sf.client_secret,
        salesforce_login_url=sf.login_url,
        salesforce_ca_bundle=box.ca_path,
        smartsheet_client_id=ss.client_id,
        smartsheet_client_secret=ss.client_secret,
        smartsheet_api_url=ss.api_base,
        smartsheet_authorize_url=ss.base_url + "/b/authorize",
        syncbot_encryption_key=SANDBOX_ENCRYPTION_KEY,
        syncbot_admins=admins,
    )


class RunningBot:
    def __init__(self, box: Sandbox, store: Store, *, admins: str = "") -> None:
        self.box, self.store, self.slack = box, store, box.slack
        self.server = RunningServer()
        self.url = self.server.url
        self.events_url = self.url + "/slack/events"
        self.settings = bot_settings(box, self.url, admins=admins)  # admins: SYNCBOT_ADMINS
        self.connectors = ConnectorFactory(store, service_config(box, api_share=0.9), SystemClock())
        self.engine = Syncer(
            store, self.connectors, SystemClock(), config=EngineConfig(instance_id="slack-test")
        )
        self.services = build_services(self.settings, store, self.engine, self.connectors)
        self.notifier = make_notifier(self.settings, store, self.services)
        self.engine.notifier = self.notifier
        self.web = create_web(self.settings, self.services)
        self.app = self.web.bolt
        self.server.app = self.web
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def user(self, name: str, team: str = ACME) -> SlackUser:
        return SlackUser(
            self.slack, self.events_url, team_id=team, user_id=self.slack.user_id(team, name)
        )

    def install(self, team: str = ACME, name: str = "alice") -> SlackUser:
        person = self.user(name, team)
        done = person.install(self.url + "/slack/install")
        assert done.status == 200, done.body
        return person

    def connect(
        self, user_id: str, team: str = ACME, sf_user: str = "admin", ss_user: str = "owner"
    ) -> tuple[int, int]:
        return connect_user(
            self.store, self.box, team=team, owner=user_id, sf_user=sf_user, ss_user=ss_user
        )

    def workflow(
        self, owner: str, *, name: str = "wf", team: str = ACME, sheet_id: int | None = None
    ) -> int:
        sf_id, ss_id = self.connect(owner, team)
        sheet = sheet_id or self.box.smartsheet.create_sheet(
            f"Sheet {uuid.uuid4().hex[:8]}",
            [
                {"title": "Deal", "type": "TEXT_NUMBER", "primary": True},
                {"title": "Amount", "type": "TEXT_NUMBER"},
            ],
            owner="owner",
        )
        wf = Workflow(
            id=0,
            name=name,
            team_id=team,
            owner_id=owner,
            salesforce_connection_id=sf_id,
            smartsheet_connection_id=ss_id,
            object_name="Opportunity",
            sheet_id=sheet,
            fields=(
                FieldMapping("Name", "Deal", Direction.BOTH),
                FieldMapping("Amount", "Amount", Direction.BOTH),
            ),
        )
        with self.store.unit() as session:
            return repo.save_workflow(session, wf, datetime.now(UTC))


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    box = Sandbox(
        salesforce_size=20, smartsheet_size=3, workdir=tmp_path_factory.mktemp("slack-sandbox")
    ).start()
    yield box
    box.stop()


@pytest.fixture
def slack(sandbox: Sandbox) -> SlackEmulator:
    sandbox.slack.reset()
    sandbox.salesforce.reset()
    sandbox.smartsheet.reset()
    return sandbox.slack


@pytest.fixture
def bot(slack: SlackEmulator, sandbox: Sandbox, store: Store) -> Iterator[RunningBot]:
    running = RunningBot(sandbox, store)
    yield running
    running.stop()


@pytest.fixture
def alice(bot: RunningBot) -> SlackUser:
    return bot.install(ACME, "alice")


@pytest.fixture
def carol(bot: RunningBot, alice: SlackUser) -> SlackUser:
    return bot.user("carol")


@pytest.fixture
def builder(bot: RunningBot) -> Iterator[RunningBot]:
    """The bot with the builder's progress messages recorded (builder_support.with_builder).
    A test that saves without waiting for the first sync leaves its backfill thread running;
    it is waited for here, or it would write into the next test's (shared) Slack emulator."""
    from tests.integration.slack.builder_support import (  # it imports this module
        wait_for_backfills,
        with_builder,
    )

    yield with_builder(bot)
    wait_for_backfills()


def wait_until(done: Callable[[], bool], what: str) -> None:
    """Poll (up to 5 s) for what a background listener does after its ack."""
    for _ in range(200):
        if done():
            return
        time.sleep(0.025)
    raise AssertionError(f"gave up waiting for {what}")


def home_text(bot: RunningBot, user: SlackUser) -> str:
    return str(bot.slack.home_view(user.user_id))
