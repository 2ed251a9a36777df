"""`syncbot demo --keep-running`: after the walkthrough everything stays up, the printed
sandbox workspace page shows what Alice saw in Slack and the sheet, and SIGTERM stops
the demo (and its serve) with exit code 0."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import requests

PAGE = "Sandbox workspace page: "


def test_keep_running_leaves_the_workspace_page_up_until_sigterm() -> None:
    demo = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "demo", "--keep-running"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page_url = _wait_for_line(demo, PAGE, timeout=240)
        page = requests.get(page_url, timeout=10)
        assert page.status_code == 200
        assert "Connected" in page.text and "Alice Archer" in page.text  # her DMs
        assert "Open pipeline" in page.text  # the workflow's sheet and messages
        assert "Opportunity" in page.text  # the Salesforce records
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=60) == 0
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
    assert demo.stdout is not None and "Stopping." in demo.stdout.read()
    # nothing of the sandbox or serve answers any more
    try:
        requests.get(page_url, timeout=2)
        still_up = True
    except requests.ConnectionError:
        still_up = False
    assert not still_up


def _wait_for_line(demo: subprocess.Popen[str], prefix: str, timeout: float) -> str:
    assert demo.stdout is not None
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = demo.stdout.readline()
        if not line:
            err = demo.stderr.read() if demo.stderr else ""
            raise AssertionError(
                f"demo ended before {prefix!r}: {err[-1500:]}\n{''.join(seen)[-1500:]}"
            )
        seen.append(line)
        if line.startswith(prefix):
            return line[len(prefix) :].strip()
    raise AssertionError(f"no {prefix!r} line within {timeout} s")
