"""One served Smartsheet emulator per test module, reset before every test, and clients of
the real smartsheet SDK pointed at it over loopback HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import smartsheet

from sandbox.server import BackgroundServer
from sandbox.smartsheet import SmartsheetEmulator

ClientFactory = Callable[..., smartsheet.Smartsheet]


@pytest.fixture(scope="module")
def served() -> Iterator[SmartsheetEmulator]:
    emulator = SmartsheetEmulator(seed_size=40)
    server = BackgroundServer(emulator).start()
    emulator.base_url = server.url
    yield emulator
    server.stop()


@pytest.fixture
def emulator(served: SmartsheetEmulator) -> SmartsheetEmulator:
    served.reset()
    return served


@pytest.fixture
def client_for(emulator: SmartsheetEmulator) -> ClientFactory:
    """``client_for("editor")`` or ``client_for(token="...")``: an SDK client raising errors."""

    def make(
        alias: str = "owner", *, token: str | None = None, max_retry_time: int = 30
    ) -> smartsheet.Smartsheet:
        client = smartsheet.Smartsheet(
            access_token=token or emulator.token_for(alias),
            api_base=emulator.api_base,
            user_agent="syncbot-tests",
            max_retry_time=max_retry_time,
        )
        client.errors_as_exceptions(True)
        return client

    return make


@pytest.fixture
def owner(client_for: ClientFactory) -> smartsheet.Smartsheet:
    return client_for("owner")


@pytest.fixture
def pipeline(emulator: SmartsheetEmulator) -> int:
    return emulator.find_sheet("Pipeline")


@pytest.fixture
def target(emulator: SmartsheetEmulator) -> int:
    return emulator.find_sheet("Sync Target")


@pytest.fixture
def support(emulator: SmartsheetEmulator) -> int:
    return emulator.find_sheet("Support Queue")
