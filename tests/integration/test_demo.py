"""`syncbot demo` plays the walkthrough the README promises, and says what happened."""

from __future__ import annotations

import subprocess
import sys


def test_the_demo_runs_and_shows_each_side() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--records", "20"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "Sandbox up" in out
    assert "Imported workflow 1" in out
    assert "row errors 0" in out
    assert 'status column: ⚠ Amount: "12k" is not a number' in out
    assert "Salesforce Name: Renamed in the sheet" in out
    assert "Salesforce Amount: 99000" in out
    assert "problem:" not in out
    # the Slack part, through a real `syncbot serve` process's HTTP endpoints
    assert "Alice installs syncbot in her workspace through Slack's OAuth page: installed" in out
    assert "`/sync create` — build a workflow" in out
    assert "`syncbot serve` stopped on SIGTERM with exit code 0" in out
