"""Real `syncbot sandbox` and `syncbot serve` processes for the runtime tests: started with
the sandbox's env lines, logs captured to files, stopped by signal."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
import smartsheet
from simple_salesforce.api import Salesforce

LISTENING = re.compile(r"listening on (http://\S+)")


def wait_for(
    condition: Callable[[], bool],
    seconds: float,
    what: str,
    explain: Callable[..., str] | None = None,
    *args: Any,
) -> None:
    """Poll until `condition` holds; the deadline only bounds a hung test. `explain(*args)`
    says why, when it gives up."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            why = f": {explain(*args)}" if explain else ""
            raise AssertionError(f"gave up waiting for {what}{why}")
        time.sleep(0.2)


@contextmanager
def start_sandbox(workdir: Path, size: int = 20) -> Iterator[dict[str, str]]:
    env_file = workdir / "sandbox.env"
    command = [sys.executable, "-m", "bot.cli", "sandbox", "--env-file", str(env_file)]
    with (workdir / "sandbox.log").open("w") as log:
        process = subprocess.Popen([*command, "--size", str(size)], stdout=log, stderr=log)
    try:
        wait_for(lambda: _complete(env_file) or process.poll() is not None, 120, "the sandbox")
        assert process.poll() is None, (workdir / "sandbox.log").read_text()[-2000:]
        lines = env_file.read_text(encoding="utf-8").splitlines()
        yield dict(line.split("=", 1) for line in lines if "=" in line)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _complete(env_file: Path) -> bool:
    return env_file.exists() and "SANDBOX_CONTROL_URL=" in env_file.read_text(encoding="utf-8")


class Serve:
    """One `syncbot serve --log-format json` process on a free loopback port."""

    def __init__(self, workdir: Path, name: str, env: dict[str, str], *extra: str) -> None:
        self.name = name
        self.env = env
        self.extra = extra
        self.out = workdir / f"{name}.out"
        self.err = workdir / f"{name}.err"
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> Serve:
        command = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", "0"]
        command += ["--log-format", "json", *self.extra]
        env = {**_base_env(), **self.env}
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        return self

    def wait_listening(self, seconds: float = 120) -> str:
        def ready() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited: {self.stderr()[-2000:]}")
            return LISTENING.search(self.stdout()) is not None

        wait_for(ready, seconds, f"{self.name} to listen")
        found = LISTENING.search(self.stdout())
        assert found is not None
        self.url = found[1]
        return self.url

    def get(self, path: str) -> requests.Response:
        return requests.get(self.url + path, timeout=10)

    def stdout(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")

    def stderr(self) -> str:
        return self.err.read_text(encoding="utf-8", errors="replace")

    def messages(self) -> list[str]:
        """The JSON log's messages, in order (non-JSON lines are left out)."""
        found = []
        for line in self.stderr().splitlines():
            if line.startswith("{"):
                found.append(str(json.loads(line)["message"]))
        return found

    def matches(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        return [m for m in map(pattern.search, self.messages()) if m]

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM and the exit code (None counts as a failure: -999)."""
        assert self.process is not None
        if self.process.poll() is not None:
            return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return -999


def _base_env() -> dict[str, str]:
    """The parent's environment minus anything that would point serve elsewhere."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"}
    return {k: v for k, v in os.environ.items() if k in keep}


def salesforce_client(env: dict[str, str]) -> Salesforce:
    session = requests.Session()
    session.trust_env = False
    session.verify = env["SALESFORCE_CA_BUNDLE"]
    return Salesforce(
        instance_url=env["SANDBOX_SALESFORCE_INSTANCE_URL"],
        session_id=env["SANDBOX_SALESFORCE_TOKEN"],
        session=session,
    )


def smartsheet_client(env: dict[str, str]) -> smartsheet.Smartsheet:
    client = smartsheet.Smartsheet(
        access_token=env["SANDBOX_SMARTSHEET_TOKEN"],
        api_base=env["SMARTSHEET_API_URL"],
        user_agent="syncbot-test",
    )
    client.errors_as_exceptions(True)
    return client
