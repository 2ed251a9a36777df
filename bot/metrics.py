"""Prometheus metrics of one `syncbot serve` process, on its own registry (no globals, so a
test can build several). Counters come from each tick's report and from the connectors'
response hooks; the sync lag is read from the shared database at scrape time, so every
instance reports the same lag whichever ran the workflow."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from sync.tick import TickReport

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LastSynced = Callable[[], dict[int, datetime]]  # workflow id -> last successful run end
Now = Callable[[], datetime]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.ticks = Counter("syncbot_ticks", "Ticks run by this instance", registry=r)
        self.groups = Counter(
            "syncbot_groups_synced", "Groups (connection, object) synced", registry=r
        )
        self.api_calls = Counter(
            "syncbot_api_calls", "API responses by service and HTTP status",
            ["service", "status"], registry=r,
        )  # fmt: skip
        self.rows = Counter("syncbot_rows_written", "Sheet rows written", ["change"], registry=r)
        self.records = Counter(
            "syncbot_records_written", "Salesforce records written", ["change"], registry=r
        )
        self.row_errors = Counter("syncbot_row_errors", "Row-level sync errors", registry=r)
        self.failures = Counter(
            "syncbot_failures", "Group or workflow failures reported by ticks", registry=r
        )
        self.tick_seconds = Histogram(
            "syncbot_tick_duration_seconds", "Duration of a tick",
            buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300), registry=r,
        )  # fmt: skip

    def watch_lag(self, last_synced: LastSynced, now: Now) -> None:
        """Report the sync lag per workflow, read at each scrape."""
        self.registry.register(_LagCollector(last_synced, now))

    def api_call(self, service: str, status: int) -> None:
        self.api_calls.labels(service=service, status=str(status)).inc()

    def observe_tick(self, report: TickReport, seconds: float) -> None:
        self.ticks.inc()
        self.tick_seconds.observe(seconds)
        self.groups.inc(report.groups)
        self.failures.inc(len(report.failures))
        for execution in report.executions.values():
            s = execution.stats
            self.rows.labels(change="created").inc(s.rows_created)
            self.rows.labels(change="updated").inc(s.rows_updated)
            self.rows.labels(change="deleted").inc(s.rows_deleted)
            self.records.labels(change="created").inc(s.records_created)
            self.records.labels(change="updated").inc(s.records_updated)
            self.row_errors.inc(s.row_errors)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _LagCollector(Collector):
    def __init__(self, last_synced: LastSynced, now: Now) -> None:
        self._last_synced = last_synced
        self._now = now

    def collect(self) -> Iterable[Metric]:
        gauge = GaugeMetricFamily(
            "syncbot_sync_lag_seconds",
            "Seconds since the workflow's last successful sync",
            labels=["workflow"],
        )
        now = self._now()
        for workflow_id, at in sorted(self._last_synced().items()):
            gauge.add_metric([str(workflow_id)], max((now - at).total_seconds(), 0.0))
        yield gauge

    def describe(self) -> Iterable[Metric]:
        return []  # collected lazily: the database may be down when the registry is built
