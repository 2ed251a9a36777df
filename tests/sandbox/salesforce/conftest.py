"""A served Salesforce emulator (HTTPS on a free loopback port) and real SDK clients for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from simple_salesforce import Salesforce

from sandbox.salesforce import SalesforceEmulator
from sandbox.server import BackgroundServer
from sandbox.tls import LocalTLS

API_VERSION = "59.0"


class Served:
    """The emulator plus where it listens and the CA that signed its certificate."""

    def __init__(self, emulator: SalesforceEmulator, server: BackgroundServer, ca: Path) -> None:
        self.emulator = emulator
        self.server = server
        self.ca = ca
        self.default_clock = emulator.clock

    @property
    def url(self) -> str:
        return self.server.url

    def session(self) -> requests.Session:
        session = requests.Session()
        session.verify = str(self.ca)
        session.trust_env = False  # REQUESTS_CA_BUNDLE would override verify
        return session


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tls = LocalTLS()
    ca = tls.write_ca(tmp_path_factory.mktemp("salesforce-ca") / "ca.pem")
    emulator = SalesforceEmulator()
    server = BackgroundServer(emulator, ssl_context=tls.server_context()).start()
    emulator.base_url = server.url
    try:
        yield Served(emulator, server, ca)
    finally:
        server.stop()


@pytest.fixture
def sf_env(served: Served) -> Served:
    """The served emulator, back to its seeded state for this test."""
    emulator = served.emulator
    emulator.clock = served.default_clock  # a previous test may have moved time
    emulator.allowed_redirect_uris = None
    emulator.set_api_usage(0, 15000)
    emulator.reset()
    return served


@pytest.fixture
def emulator(sf_env: Served) -> SalesforceEmulator:
    return sf_env.emulator


@pytest.fixture
def http(sf_env: Served) -> Iterator[requests.Session]:
    """A plain requests session trusting the emulator's CA (OAuth pages, raw REST)."""
    session = sf_env.session()
    yield session
    session.close()


@pytest.fixture
def make_sf(sf_env: Served) -> Iterator[Callable[..., Salesforce]]:
    """Build ``simple_salesforce.Salesforce`` for a seeded user alias or an access token."""
    sessions: list[requests.Session] = []

    def make(
        alias: str = "admin", *, token: str | None = None, version: str = API_VERSION
    ) -> Salesforce:
        session = sf_env.session()
        sessions.append(session)
        return Salesforce(
            instance_url=sf_env.url,
            session=session,
            version=version,
            session_id=token or sf_env.emulator.token_for(alias),
        )

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def sf(make_sf: Callable[..., Salesforce]) -> Salesforce:
    return make_sf("admin")
