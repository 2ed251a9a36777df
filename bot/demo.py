"""`syncbot demo`: the whole product on one screen. The sandbox (Salesforce, Smartsheet and
Slack emulators) and a real `syncbot serve` against it on loopback with a fresh SQLite
file; then a person in Slack plays the walkthrough (bot.demo_walk) through serve's HTTP
endpoints. Exit 0 only if every step held; otherwise one sentence on stderr and exit 1."""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from requests import RequestException

from bot.demo_screen import heading
from bot.demo_slack import DemoStepFailed, ServeProcess
from bot.demo_walk import Walk, walk_through
from sandbox.runner import Sandbox

# What the driver raises when the screen is not as expected (no such button, a modal not in
# front, no call within its wait, serve not answering) is a step that did not hold too.
STEP_FAILURES = (DemoStepFailed, TimeoutError, LookupError, ValueError, RequestException)
POLL_INTERVAL = 2  # seconds between scheduled ticks, so edits cross over while one watches


def run(args: argparse.Namespace) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="syncbot-demo-"))
    try:
        box = Sandbox(salesforce_size=args.records, smartsheet_size=3, workdir=workdir).start()
    except OSError as exc:
        print(f"syncbot demo: the sandbox could not start ({exc}).", file=sys.stderr)
        return 1
    try:
        return _demo(args, box, ServeProcess(box, workdir, POLL_INTERVAL))
    finally:
        box.stop()


def _demo(args: argparse.Namespace, box: Sandbox, serve: ServeProcess) -> int:
    print(
        f"Sandbox up: Salesforce {box.salesforce.base_url}, Smartsheet "
        f"{box.smartsheet.api_base}, Slack {box.slack.api_url}"
    )
    try:
        serve.start()
        print(f"`syncbot serve` is up at {serve.url} (a tick every {POLL_INTERVAL} s)")
        walk = walk_through(box, serve)
    except STEP_FAILURES as exc:
        serve.stop()
        print(failure_line(exc, serve.log_path), file=sys.stderr)
        return 1
    except BaseException:  # Ctrl-C or a bug: never leave serve running behind
        serve.stop()
        raise
    _summary(walk, box)
    if args.keep_running:
        _keep_running(box, serve)
    return _stop(serve)


def failure_line(exc: BaseException, log: Path) -> str:
    """The one sentence a failed demo ends with."""
    what = " ".join(str(exc).split()).rstrip(".") or type(exc).__name__
    return f"syncbot demo: a step did not hold: {what} (serve's log: {log})."


def _summary(walk: Walk, box: Sandbox) -> None:
    heading(len(walk.held) + 1, "Summary")
    for line in walk.held:
        print(f"  ✔ {line}")
    # the sandbox's own counters: every request that reached each emulator
    counts = {name: e.control.count() for name, e in _emulators(box).items()}
    print("  Requests the emulators answered: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def _emulators(box: Sandbox) -> dict[str, Any]:
    return {"Salesforce": box.salesforce, "Smartsheet": box.smartsheet, "Slack": box.slack}


def _stop(serve: ServeProcess) -> int:
    code = serve.stop()
    if code != 0:
        print(f"syncbot demo: `syncbot serve` exited with {code} on SIGTERM", file=sys.stderr)
        return 1
    print("`syncbot serve` stopped on SIGTERM with exit code 0. Every step held.")
    return 0


def _keep_running(box: Sandbox, serve: ServeProcess) -> None:
    print(f"\nStill running (Ctrl-C to stop). syncbot serve: {serve.url}")
    print(f"Sandbox workspace page: {box.viewer_url}")
    print("The sandbox's environment (point another `syncbot serve` at it):")
    print(box.env_lines(), flush=True)
    stop = threading.Event()
    # Ctrl-C, or SIGTERM from a process manager: either way serve is stopped after this
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(1.0):
        pass
    print("Stopping.")
