"""The demo's Slack part so far: a real `syncbot serve` process against the sandbox, and a
person in the sandbox's Slack installing the app and asking `/sync help`, all through
serve's HTTP endpoints (the `SlackUser` driver signs requests as Slack does)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from sandbox.runner import Sandbox
from sandbox.slack import SlackUser


class DemoStepFailed(Exception):
    """A step of the walkthrough did not show what it should; the demo exits 1."""


def slack_through_serve(box: Sandbox, workdir: Path, team: str, say: Any) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in box.env().items() if not k.startswith("SANDBOX_")}
    env |= {"DATABASE_URL": f"sqlite:///{workdir / 'serve.db'}", "PUBLIC_URL": url}
    log = (workdir / "serve.log").open("wb")
    command = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port)], stdout=log, stderr=log, env={**_base_env(), **env}
    )
    try:
        _wait_ready(url, process)
        say(f"`syncbot serve` is up at {url} (/healthz, /readyz and /metrics answer)")
        alice = SlackUser(
            box.slack, url + "/slack/events", team_id=team, user_id=box.slack.user_id(team, "alice")
        )
        installed = alice.install(url + "/slack/install")
        if installed.status != 200:
            raise DemoStepFailed(f"installing the app answered {installed.status}")
        say("Alice installs syncbot in her workspace through Slack's OAuth page: installed")
        before = len(box.slack.responses)
        sent = alice.slash("/sync", "help")
        if sent.status != 200:
            raise DemoStepFailed(f"/sync help answered {sent.status}")
        # help answers in the acknowledgement itself; slower verbs post to response_url
        body = sent.json or box.slack.wait_for_response(after=before, timeout=15).body
        shown = _readable(body)
        if "/sync" not in shown:
            raise DemoStepFailed("/sync help showed no commands")
        say("Alice types /sync help; Slack shows her:")
        print(shown)
    finally:
        process.terminate()
        code = process.wait(timeout=60)
        log.close()
    if code != 0:
        raise DemoStepFailed(f"`syncbot serve` exited with {code} on SIGTERM")
    say("`syncbot serve` stopped on SIGTERM with exit code 0")


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DemoStepFailed(f"`syncbot serve` exited with {process.returncode} at start")
        try:
            if requests.get(url + "/readyz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise DemoStepFailed("`syncbot serve` did not become ready within 2 minutes")


def _readable(body: dict[str, Any]) -> str:
    """Block Kit as the text a person reads (sections, context, headers)."""
    lines = []
    for block in body.get("blocks") or []:
        text = block.get("text")
        if isinstance(text, dict) and text.get("text"):
            lines.append(str(text["text"]))
        for element in block.get("elements") or []:
            if isinstance(element, dict) and element.get("type") in ("mrkdwn", "plain_text"):
                lines.append(str(element.get("text", "")))
    return "\n".join(f"  | {line}" for text in lines for line in text.splitlines()) or str(
        body.get("text", "")
    )


def _free_port() -> int:
    # PUBLIC_URL holds the port (Slack's redirect URL), so it is chosen before serve starts
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _base_env() -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"}
    return {k: v for k, v in os.environ.items() if k in keep}
