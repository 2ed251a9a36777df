"""What one tick did, group by group, and the small contexts the tick passes around.

`TickReport` is the tick's result for operators, metrics and logs: one `GroupOutcome` per
group (status, counts, API calls, duration) and the failures as typed `Failure`s. The
`GroupRun` / `WorkflowRun` contexts carry what every step of a group or workflow needs, so
the steps take one argument instead of the same five to nine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sync.errors import Resolution
from sync.executor import Execution, Stats
from sync.layout import Layout
from sync.model import Workflow
from sync.ports import SalesforcePort, SmartsheetPort
from sync.sheet_changes import SheetChanges
from sync.store.group_state import IdleMark, WorkflowState

tick_log = logging.getLogger("syncbot.tick")


class GroupStatus(StrEnum):
    SYNCED = "synced"
    SKIPPED = "skipped"  # another holder has it, or it waits for the API allowance
    FAILED = "failed"  # the group or one of its workflows failed (see the tick's failures)


@dataclass(frozen=True)
class Failure:
    """One thing that went wrong: what it concerns, what the engine did about it."""

    subject: str  # "group 1/Opportunity" or "workflow 7"
    code: str  # SyncbotError.code, or "unexpected"
    resolution: Resolution | None  # None: not a syncbot error (a bug, a database outage)
    message: str  # for the person; names no token and no record value

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


@dataclass
class GroupOutcome:
    connection_id: int
    object_name: str
    status: GroupStatus = GroupStatus.SYNCED
    reason: str = ""  # why skipped or failed, in a few words (codes, holder, time)
    workflows: int = 0
    records_read: int = 0
    stats: Stats = field(default_factory=Stats)
    api_calls: dict[str, int] = field(default_factory=dict)  # service → calls made
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.connection_id}/{self.object_name}"

    def add(self, execution: Execution) -> None:
        for name in vars(self.stats):
            setattr(self.stats, name, getattr(self.stats, name) + getattr(execution.stats, name))

    def log_line(self) -> str:
        """Counts, calls and duration only: never a token or a record value."""
        if self.status is GroupStatus.SKIPPED:
            return f"group {self.name} skipped: {self.reason}"
        s = self.stats
        calls = " ".join(f"{k} {v}" for k, v in sorted(self.api_calls.items())) or "none"
        line = (
            f"group {self.name} {self.status.value} in {self.seconds:.2f}s: "
            f"{self.workflows} workflow(s), records read {self.records_read}, "
            f"rows +{s.rows_created} ~{s.rows_updated} -{s.rows_deleted}, "
            f"records +{s.records_created} ~{s.records_updated}, row errors {s.row_errors}, "
            f"api calls {calls}"
        )
        return f"{line}; {self.reason}" if self.reason else line


@dataclass
class TickReport:
    outcomes: list[GroupOutcome] = field(default_factory=list)
    problems: list[Failure] = field(default_factory=list)
    workflows: int = 0
    revoked: set[int] = field(default_factory=set)  # connections found revoked this tick
    clients: dict[int, SmartsheetPort] = field(default_factory=dict, repr=False)
    executions: dict[int, Execution] = field(default_factory=dict)
    sheet_changes: SheetChanges | None = field(default=None, repr=False)

    def count(self, status: GroupStatus) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def groups(self) -> int:
        """Groups synced without a failure."""
        return self.count(GroupStatus.SYNCED)

    @property
    def skipped(self) -> int:
        return self.count(GroupStatus.SKIPPED)

    @property
    def failed(self) -> int:
        return self.count(GroupStatus.FAILED)

    @property
    def failures(self) -> list[str]:
        return [str(p) for p in self.problems]

    @property
    def skips(self) -> list[str]:
        return [
            f"group {o.name}: {o.reason}" for o in self.outcomes if o.status is GroupStatus.SKIPPED
        ]


@dataclass
class GroupRun:
    """One (Salesforce connection, object) being synced this tick."""

    connection_id: int
    object_name: str
    members: list[Workflow]
    now: datetime
    report: TickReport
    outcome: GroupOutcome
    sf: SalesforcePort | None = None
    stored: Any = None  # the Salesforce connection as read with the claim (Connectors)
    # members' state read once for the group (with its claim); idle members marked once,
    # when the run closes, if the sync went through (`synced`)
    states: dict[int, WorkflowState] | None = None
    busy: set[int] = field(default_factory=set)
    idle: list[IdleMark] = field(default_factory=list)
    synced: bool = False

    def state_of(self, workflow_id: int) -> WorkflowState:
        if self.states is None:
            raise RuntimeError("the group's states are read before its workflows run")
        return self.states[workflow_id]

    @property
    def subject(self) -> str:
        return f"group {self.outcome.name}"

    def fail(self, failure: Failure) -> None:
        self.report.problems.append(failure)
        if self.outcome.status is not GroupStatus.FAILED:
            self.outcome.status = GroupStatus.FAILED
            self.outcome.reason = f"{failure.subject}: {failure.code}"


@dataclass
class WorkflowRun:
    """One workflow of a group being synced this tick."""

    group: GroupRun
    layout: Layout
    sf: SalesforcePort
    ss: SmartsheetPort
    row_statuses: dict[int, str] = field(default_factory=dict)  # status cells read this tick

    @property
    def wf(self) -> Workflow:
        return self.layout.workflow

    @property
    def now(self) -> datetime:
        return self.group.now
