"""The tick reports per group what it did (for `sync-once`, metrics and logs) and logs one
line per group on "syncbot.tick" with counts and duration, never a token or a value."""

from __future__ import annotations

import logging

import pytest

from sync.errors import Resolution
from sync.tick import GroupStatus

from .conftest import World
from .test_basic_flow import deals, pipeline


def test_a_synced_group_reports_its_counts_and_calls(world: World) -> None:
    prefix, ids = deals(world, 3)
    sheet, _ = pipeline(world, prefix)
    world.sf.control.reset_counters()
    world.ss.control.reset_counters()
    report = world.tick()
    [outcome] = report.outcomes
    assert outcome.status is GroupStatus.SYNCED and outcome.reason == ""
    assert (report.groups, report.failed, report.skipped) == (1, 0, 0)
    assert outcome.workflows == 1
    assert outcome.records_read == 3
    assert outcome.stats.rows_created == 3 and outcome.stats.row_errors == 0
    assert outcome.api_calls["salesforce"] >= 1
    assert outcome.api_calls["smartsheet"] >= world.ss.control.count("rows.add") >= 1
    world.sf.update("Opportunity", ids[0], {"Amount": 77})
    report = world.tick()
    [outcome] = report.outcomes
    assert outcome.records_read == 3  # the watermark overlap reads the others again
    assert outcome.stats.rows_updated == 1
    assert world.row_of(sheet, ids[0])["Amount"] == 77


def test_a_failed_group_is_counted_as_failed_not_synced(world: World) -> None:
    """Issue #11, messages: a tick that failed a group said "1 group(s) synced"."""
    prefix, _ = deals(world, 2)
    _, wf = pipeline(world, prefix)
    world.ss.revoke_token(world.ss.token_for("owner"))
    report = world.tick()
    assert (report.groups, report.failed, report.skipped) == (0, 1, 0)
    [outcome] = report.outcomes
    assert outcome.status is GroupStatus.FAILED
    [problem] = report.problems
    assert problem.subject == f"workflow {wf}" and problem.resolution is Resolution.WORKFLOW
    assert outcome.reason == f"workflow {wf}: {problem.code}"


def test_one_log_line_per_group_with_counts_and_no_secret(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    prefix, _ = deals(world, 2)
    pipeline(world, prefix)
    with caplog.at_level(logging.INFO, logger="syncbot.tick"):
        world.tick()
    lines = [r.getMessage() for r in caplog.records if r.name == "syncbot.tick"]
    assert len(lines) == 1
    assert lines[0].startswith("group ") and " synced in " in lines[0]
    assert "records read 2" in lines[0] and "rows +2 ~0 -0" in lines[0]
    for secret in (world.sf.token_for("admin"), world.ss.token_for("owner"), prefix):
        assert secret not in lines[0]
