"""`syncbot demo` as a person runs it: a real process that starts the sandbox and a real
`syncbot serve`, plays the walkthrough in Slack, prints what each side shows and exits 0.
The assertions are the lines a person reading the output would look for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.demo import failure_line
from bot.demo_slack import DemoStepFailed, ServeProcess
from bot.demo_walk import walk_through
from sandbox.runner import Sandbox

# Each step's key line, in the order the walkthrough shows them.
STEP_LINES = [
    "━━ 1. Install the app ━━",
    "✔ syncbot is installed in Acme (OAuth v2)",
    "[ Connect Salesforce ↗ ]",
    "✅ Connected *alex.carter@acme-sandbox.example* (Salesforce) for @Alice Archer",
    "✅ Connected *morgan.lee@example.com* (Smartsheet) for @Alice Archer",
    "┌─ New workflow ─┐",
    "Name ⇄ Deal",
    "Account \u203a Account Name _(read-only)_ → Account",
    "┌─ Preview ─┐",
    "Opportunity records match.",
    "┌─ Saved ─┐",
    "“Open pipeline” is saved. Backfill starting…",
    "“Open pipeline” is syncing:",
    "✔ First sync:",
    "In Salesforce, Riley sets Amount = 123456",
    "✔ Edits crossed over: Amount to the sheet, Stage to Salesforce",
    '⚠ Amount: "12k" is not a number',
    "*1 row could not be synced*",
    "✅ *Open pipeline* (workflow 1): resolved, it syncs without errors again.",
    "*1. Open pipeline*",
    "Slack, her Home tab with syncbot:",
    "• Salesforce: *alex.carter@acme-sandbox.example (production)*",
    "*Changes written by Open pipeline*",
    "Revert of change #",
    "✔ Reverted: Stage is",
    "━━ 10. Summary ━━",
    "`syncbot serve` stopped on SIGTERM with exit code 0. Every step held.",
]


@pytest.fixture(scope="module")
def demo() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--records", "20"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_demo_exits_0_without_a_traceback(demo: subprocess.CompletedProcess[str]) -> None:
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert "Traceback" not in demo.stdout + demo.stderr
    assert "did not hold" not in demo.stderr


def test_each_step_shows_its_key_line_in_order(demo: subprocess.CompletedProcess[str]) -> None:
    out, at = demo.stdout, 0
    for line in STEP_LINES:
        found = out.find(line, at)
        assert found >= 0, f"missing after position {at}: {line!r}\n{out[at : at + 1500]}"
        at = found + len(line)


def test_both_sides_are_printed_where_they_change(demo: subprocess.CompletedProcess[str]) -> None:
    out = demo.stdout
    assert out.count("  The sheet") >= 4 and out.count("  Salesforce:") >= 3
    assert "| Deal " in out and "| Sync Status" in out  # the sheet as a table
    assert "| StageName " in out  # the Salesforce records
    crossed = out[out.index("━━ 5.") : out.index("━━ 6.")]
    assert crossed.count("| Negotiation/Review | 123456") == 2  # sheet row and record agree
    fixed = out[out.index("━━ 7.") : out.index("━━ 8.")]
    assert fixed.count("| Negotiation/Review | 99000") == 2


def test_every_step_held_in_the_summary(demo: subprocess.CompletedProcess[str]) -> None:
    summary = demo.stdout[demo.stdout.index("━━ 10. Summary ━━") :]
    assert summary.count("✔") == 9


def test_a_step_that_does_not_show_fails_the_demo_in_one_sentence(tmp_path: Path) -> None:
    """Slack refuses the install's code exchange: the walk stops at step 1 and says so."""
    with Sandbox(salesforce_size=5, smartsheet_size=1, workdir=tmp_path) as box:
        serve = ServeProcess(box, tmp_path, poll_interval=2)
        serve.start()
        try:
            box.slack.control.inject("oauth.v2.access", status=500)
            with pytest.raises(DemoStepFailed) as failed:
                walk_through(box, serve)
        finally:
            stopped = serve.stop()

    assert stopped == 0
    assert failure_line(failed.value, serve.log_path) == (
        "syncbot demo: a step did not hold: Slack's OAuth install failed "
        f"(serve's log: {serve.log_path})."
    )
