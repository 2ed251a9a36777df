"""Issue #11 point 1: a killed process does not block its groups. The group lock dies
with its holder (PostgreSQL advisory lock, or a file lock on SQLite), so a process
restarted at once syncs the group on its first tick; a live holder makes `sync-once` say
who holds the group until when, and exit non-zero when it synced nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, text

from sandbox.core import Fault
from sync.store import ledger
from sync.store.locks import group_locks
from sync.store.tables import GroupState
from tests.conftest import TEST_KEY

from .conftest import World
from .test_basic_flow import deals, pipeline


def _env(world: World) -> dict[str, str]:
    """The CLI pointed at the test's own database (its schema on PostgreSQL)."""
    db = world.store.sessions.kw["bind"]
    url = db.url.render_as_string(hide_password=False).replace("+psycopg", "")
    if db.url.get_backend_name() == "postgresql":
        with db.connect() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar()
        url += f"?options=-csearch_path%3D{schema}"
    return {
        **os.environ,
        **world.box.env(),
        "DATABASE_URL": url,
        "SYNCBOT_ENCRYPTION_KEY": TEST_KEY,
    }


def _sync_once(world: World) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "sync-once"],
        env=_env(world),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _inside_the_group(fault: Fault, process: subprocess.Popen[Any]) -> None:
    """Wait (polling, bounded) until the process's row add is held by the slow fault."""
    for _ in range(1200):
        if fault.times == 0:  # taken: the request is in the sandbox, sleeping
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the process never reached the group")


def _kill_and_settle(world: World, process: subprocess.Popen[Any]) -> None:
    """SIGKILL, then wait (bounded) for the held row add to be served: the rows land on
    the sheet with no process left to record them, and no late write outlives the test."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    for _ in range(600):
        if world.ss.control.count("rows.add") > 0:
            return
        time.sleep(0.05)
    raise AssertionError("the held request never finished")


def test_a_process_killed_inside_a_group_does_not_block_the_next_one(world: World) -> None:
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(world, prefix)
    fault = world.ss.control.slow("rows.add", 3)  # the process sits inside the group
    process = _sync_once(world)
    _inside_the_group(fault, process)
    _kill_and_settle(world, process)
    assert len(world.rows(sheet)) == 3  # written by the killed process, links not stored

    again = subprocess.run(
        [sys.executable, "-m", "bot.cli", "sync-once"],
        env=_env(world),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "1 group(s) synced, 0 failed, 0 skipped" in again.stdout
    assert sorted(r["Salesforce Id"] for r in world.rows(sheet)) == sorted(ids)


def test_a_live_holder_is_named_and_sync_once_fails_when_it_synced_nothing(
    world: World,
) -> None:
    """Another instance holds the group (its lock and a live lease): the CLI says who,
    until when, and exits 1 as it synced nothing it was asked to."""
    prefix, _ = deals(world, 2)
    pipeline(world, prefix)
    sf_connection = world.connect()[0]
    until = datetime.now(UTC) + timedelta(minutes=5)
    with world.store.unit() as session:
        ledger.claim_group(
            session, sf_connection, "Opportunity", "other-host pid 4242", until, timedelta()
        )
    held = group_locks(world.store.sessions.kw["bind"]).hold(sf_connection, "Opportunity")
    assert held is not None
    try:
        second = subprocess.run(
            [sys.executable, "-m", "bot.cli", "sync-once"],
            env=_env(world),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        held.release()
    assert second.returncode == 1, second.stdout + second.stderr
    assert "0 group(s) synced, 0 failed, 1 skipped" in second.stdout
    assert f"held by other-host pid 4242 until {until:%Y-%m-%d %H:%M:%S} UTC" in second.stdout
    assert world.ss.control.count("rows.add") == 0


def test_a_hung_holder_is_taken_over_once_its_lease_has_expired(world: World) -> None:
    """The lock is held (the holder is alive but stuck) and its lease ran out."""
    prefix, ids = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    sf_connection = world.connect()[0]
    now = datetime.now(UTC)
    with world.store.unit() as session:
        ledger.claim_group(
            session, sf_connection, "Opportunity", "stuck", now, timedelta(minutes=5)
        )
    hung = group_locks(world.store.sessions.kw["bind"]).hold(sf_connection, "Opportunity")
    assert hung is not None
    try:
        report = world.tick()
        assert report.groups == 0 and report.skipped == 1
        assert "held by stuck until" in report.skips[0]
        with world.store.unit() as session:
            state = session.scalars(
                select(GroupState).where(GroupState.connection_id == sf_connection)
            ).one()  # the hung holder's lease runs out
            state.lease_expires_at = now - timedelta(seconds=1)
        report = world.tick()
        assert report.groups == 1 and report.failures == []
        assert sorted(r["Salesforce Id"] for r in world.rows(sheet)) == sorted(ids)
    finally:
        hung.release()
