"""A real `syncbot serve` process for the demo: started against the sandbox on loopback
with a fresh SQLite file, waited for until /readyz answers, stopped with SIGTERM."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import requests

from sandbox.runner import Sandbox

READY_WITHIN = 120.0  # seconds: migrations on a fresh file plus the first imports
STOP_WITHIN = 60.0
PORT_ATTEMPTS = 3  # the chosen port can be taken before serve binds it (other processes)


class DemoStepFailed(Exception):
    """A step of the walkthrough did not show what it should; the demo exits 1."""


class ServeProcess:
    """`python -m bot.cli serve` with the sandbox's environment and a short tick."""

    def __init__(self, box: Sandbox, workdir: Path, poll_interval: float) -> None:
        self.log_path = workdir / "serve.log"
        env = {k: v for k, v in box.env().items() if not k.startswith("SANDBOX_")}
        self.env = base_env() | env
        self.env |= {
            "DATABASE_URL": f"sqlite:///{workdir / 'serve.db'}",
            "SYNC_POLL_INTERVAL": str(poll_interval),
        }
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        for _ in range(PORT_ATTEMPTS):
            self._launch(free_port())
            if self._wait_ready():
                return
        raise DemoStepFailed(f"`syncbot serve` found no free port in {PORT_ATTEMPTS} tries")

    def _launch(self, port: int) -> None:
        self.port = port
        self._log = self.log_path.open("wb")
        command = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1"]
        self._process = subprocess.Popen(
            [*command, "--port", str(port)],
            stdout=self._log,
            stderr=self._log,
            env=self.env | {"PUBLIC_URL": self.url},
        )

    def stop(self) -> int:
        """SIGTERM, as a process manager stops it; its exit code."""
        if self._process is None:
            return 0
        self._process.terminate()
        try:
            code = self._process.wait(timeout=STOP_WITHIN)
        except subprocess.TimeoutExpired:
            self._process.kill()
            code = self._process.wait()
        self._process = None
        if self._log is not None:
            self._log.close()
        return code

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _wait_ready(self) -> bool:
        """True once this process listens and /readyz answers; False when the port was
        taken meanwhile (another process bound it between choosing and starting)."""
        assert self._process is not None
        deadline = time.monotonic() + READY_WITHIN
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self.stop()
                if "Address already in use" in self.log_text():
                    return False
                raise DemoStepFailed("`syncbot serve` exited at start")
            # serve prints this line only after binding: /readyz is then its own
            if f":{self.port} (a tick" in self.log_text() and self._answers_ready():
                return True
            time.sleep(0.3)
        raise DemoStepFailed("`syncbot serve` did not become ready within 2 minutes")

    def _answers_ready(self) -> bool:
        try:
            return requests.get(self.url + "/readyz", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False


def free_port() -> int:
    # PUBLIC_URL holds the port (Slack's redirect URL), so it is chosen before serve starts
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def base_env() -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"}
    return {k: v for k, v in os.environ.items() if k in keep}
