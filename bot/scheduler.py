"""The embedded scheduler: one job, fixed id, never overlapping itself. Coordination
between instances is the database lease of each group, not the scheduler."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler

from sync.poller import Syncer

log = logging.getLogger(__name__)
JOB_ID = "syncbot-tick"


def start_scheduler(engine: Syncer, interval_seconds: int) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        _tick,
        "interval",
        args=[engine],
        seconds=interval_seconds,
        id=JOB_ID,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
    return scheduler


def _tick(engine: Syncer) -> None:
    try:
        report = engine.tick()
    except Exception:  # one bad tick must not stop the schedule; the next one retries
        log.exception("tick failed")
        return
    if report.failures:
        log.warning("tick: %d problem(s)", len(report.failures))
