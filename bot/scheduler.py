"""The embedded scheduler: one tick job, fixed id, never overlapping itself, coalesced.
Coordination between instances is the database lease of each group, not the scheduler.

The interval comes from a callable (the admin can change it from Slack): `refresh()`
re-reads it and reschedules the job when it moved, without a restart.

`daily(job, hour)` adds a job at a fixed UTC hour (the error digest), run once at start
too so that a restart across the hour does not skip a day (the job itself refuses to
send twice on one day)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from sync.tick import TickReport

log = logging.getLogger(__name__)
JOB_ID = "syncbot-tick"
DAILY_JOB_ID = "syncbot-daily-{name}"

Tick = Callable[[], TickReport]
IntervalSource = Callable[[], int]
TickObserver = Callable[[TickReport, float], None]  # (report, seconds)
DailyJob = Callable[[], object]


def next_window(now: datetime, seconds: int) -> datetime:
    """The next epoch-aligned window start: every instance ticks at the same phase, and
    each interval window holds exactly one tick of each instance."""
    epoch = now.timestamp()
    return datetime.fromtimestamp(epoch - epoch % seconds + seconds, UTC)


class TickScheduler:
    def __init__(
        self, tick: Tick, interval_source: IntervalSource, observer: TickObserver | None = None
    ) -> None:
        self._tick = tick
        self._interval_source = interval_source
        self._observer = observer
        self._scheduler = BackgroundScheduler(timezone="UTC")
        self._idle = threading.Event()
        self._idle.set()
        self._stopping = threading.Event()
        self.interval = 0
        self._daily: list[tuple[str, DailyJob, int]] = []

    def daily(self, name: str, job: DailyJob, hour: int) -> TickScheduler:
        """Run `job` at `hour`:00 UTC and every hour after it until midnight (and once at
        start); the job claims its day itself, so the later runs only retry what failed.
        Call before `start()`."""
        self._daily.append((name, job, hour))
        return self

    def start(self) -> TickScheduler:
        self.interval = self._read_interval()
        self._scheduler.add_job(
            self._run,
            self._trigger(self.interval),
            id=JOB_ID,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,  # a late tick still runs (once: coalesced)
        )
        for name, job, hour in self._daily:
            self._add_daily(name, job, hour)
        self._scheduler.start()
        log.info("scheduler: a tick every %ss", self.interval)
        return self

    def _add_daily(self, name: str, job: DailyJob, hour: int) -> None:
        def run() -> None:
            try:
                job()
            except Exception:  # a failed digest must not stop tomorrow's
                log.exception("daily job %s failed", name)

        self._scheduler.add_job(
            run,
            CronTrigger(hour=f"{hour}-23", minute=0, timezone=UTC),
            id=DAILY_JOB_ID.format(name=name),
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
            next_run_time=datetime.now(UTC),  # catch up a day missed while stopped
        )

    def refresh(self) -> None:
        interval = self._read_interval()
        if interval != self.interval:
            self._scheduler.reschedule_job(JOB_ID, trigger=self._trigger(interval))
            log.info("scheduler: interval changed from %ss to %ss", self.interval, interval)
            self.interval = interval

    def stop(self, timeout: float) -> bool:
        """Take no new tick; wait up to `timeout` for the one in flight. False when it is
        still running (it is then left to the database: its open transaction rolls back
        and the next tick, here or elsewhere, repeats it)."""
        self._stopping.set()
        self._scheduler.pause()
        finished = self._idle.wait(timeout)
        self._scheduler.shutdown(wait=False)
        return finished

    def _read_interval(self) -> int:
        return max(int(self._interval_source()), 1)

    def _trigger(self, seconds: int) -> IntervalTrigger:
        return IntervalTrigger(
            seconds=seconds, start_date=next_window(datetime.now(UTC), seconds), timezone=UTC
        )

    def _run(self) -> None:
        """One tick, and one more at once if it overran into the next window: the
        scheduler skips a firing while a tick runs, and that window must not go without."""
        self._idle.clear()
        try:
            window = next_window(datetime.now(UTC), self.interval)
            self._one_tick()
            if datetime.now(UTC) >= window and not self._stopping.is_set():
                self._one_tick()
        finally:
            self._idle.set()

    def _one_tick(self) -> None:
        started = time.monotonic()
        try:
            report = self._tick()
        except Exception:  # one bad tick must not stop the schedule; the next one retries
            log.exception("tick failed")
            return
        if self._observer is not None:
            self._observer(report, time.monotonic() - started)
        if report.failures:
            log.warning("tick: %d problem(s)", len(report.failures))
