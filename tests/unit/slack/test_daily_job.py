"""The embedded scheduler's daily job (the error digest): hourly from a fixed UTC hour,
once at start to catch up, and a failing run does not stop the schedule."""

from __future__ import annotations

import threading

from apscheduler.triggers.cron import CronTrigger

from bot.scheduler import DAILY_JOB_ID, TickScheduler
from handlers.actions.dm import parse_mode
from sync.poller import TickReport


def test_the_daily_job_runs_hourly_from_its_hour_and_once_at_start() -> None:
    ran = threading.Event()
    scheduler = TickScheduler(TickReport, lambda: 3600).daily("digest", ran.set, 9)
    scheduler.start()
    try:
        job = scheduler._scheduler.get_job(DAILY_JOB_ID.format(name="digest"))
        assert ran.wait(timeout=30)  # bounded only so a broken scheduler cannot hang the run
    finally:
        assert scheduler.stop(timeout=10)
    assert isinstance(job.trigger, CronTrigger)
    fields = {f.name: str(f) for f in job.trigger.fields}
    # from 09:00 to 23:00 UTC every hour: the job claims its day, later runs retry failures
    assert (fields["hour"], fields["minute"]) == ("9-23", "0")


def test_a_failing_daily_job_is_logged_not_raised() -> None:
    failed = threading.Event()

    def boom() -> None:
        failed.set()
        raise RuntimeError("slack is down")

    scheduler = TickScheduler(TickReport, lambda: 3600).daily("digest", boom, 9).start()
    try:
        assert failed.wait(timeout=30)
        job = scheduler._scheduler.get_job(DAILY_JOB_ID.format(name="digest"))
        assert job is not None and job.next_run_time is not None  # tomorrow's still comes
    finally:
        assert scheduler.stop(timeout=10)


def test_the_dm_mode_pick_is_parsed_or_refused() -> None:
    assert parse_mode({"selected_option": {"value": "digest:42"}}) == ("digest", 42)
    assert parse_mode({"selected_option": {"value": "loud:42"}}) is None
    assert parse_mode({"selected_option": {"value": "mute:x"}}) is None
    assert parse_mode({}) is None
