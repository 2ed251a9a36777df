"""Test data builders for the pure engine: fields, describes, planner snapshots, workflow specs.

Builders keep each test down to what its situation is about: `a_snapshot()` starts with the
Name (both ways) and Amount (both ways) mappings and no links; each `with_*` adds one fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sync.errors import NotFoundError
from sync.ids import to_18
from sync.model import (
    Canon,
    Condition,
    ConflictPolicy,
    Direction,
    FieldMapping,
    Filter,
    OnRecordDeleted,
    SalesforceField,
    SalesforceType,
    WorkflowOptions,
)
from sync.planner import (
    FieldRule,
    Limits,
    Link,
    LinkPlan,
    LinkState,
    Plan,
    RecordSeen,
    RowSeen,
    Snapshot,
    plan,
)
from sync.ports import ObjectDescribe
from sync.workflow_file import WorkflowSpec

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def record_id(n: int, prefix: str = "006") -> str:
    """A well-formed 18-character id (Opportunity key prefix by default)."""
    return to_18(f"{prefix}{n:012d}")


def row_id(n: int) -> int:
    """Smartsheet row ids are large integers; keep them recognisable in failures."""
    return 5_000_000_000_000_000 + n


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


# -- describe --------------------------------------------------------------------------
def a_field(
    name: str, type: SalesforceType = SalesforceType.STRING, **extra: Any
) -> SalesforceField:
    """A createable, updateable field; `extra` overrides any attribute."""
    attrs: dict[str, Any] = {"label": name, "createable": True, "updateable": True}
    attrs.update(extra)
    return SalesforceField(name=name, type=type, **attrs)


def a_lookup(name: str, to: str | tuple[str, ...], relationship: str) -> SalesforceField:
    targets = (to,) if isinstance(to, str) else to
    return a_field(
        name,
        SalesforceType.REFERENCE,
        label=relationship,
        reference_to=targets,
        relationship_name=relationship,
    )


def a_describe(name: str, *fields: SalesforceField) -> ObjectDescribe:
    return ObjectDescribe(
        name=name,
        label=name,
        createable=True,
        updateable=True,
        fields={f.name: f for f in (a_field("Id", SalesforceType.ID, updateable=False), *fields)},
    )


class FakeOrg:
    """A describe function over a fixed set of objects; counts calls per object."""

    def __init__(self, *describes: ObjectDescribe) -> None:
        self._by_name = {d.name.lower(): d for d in describes}
        self.calls: list[str] = []

    def __call__(self, object_name: str) -> ObjectDescribe:
        self.calls.append(object_name)
        found = self._by_name.get(object_name.lower())
        if found is None:
            raise NotFoundError(f"sObject type '{object_name}' is not supported.")
        return found


# -- planner snapshots -----------------------------------------------------------------
@dataclass
class SnapshotBuilder:
    rules: list[FieldRule] = field(default_factory=list)
    options: WorkflowOptions = field(default_factory=WorkflowOptions)
    links: list[Link] = field(default_factory=list)
    records: dict[str, RecordSeen] = field(default_factory=dict)
    rows: dict[int, RowSeen] = field(default_factory=dict)
    missing_rows: set[int] = field(default_factory=set)

    def with_rule(
        self, name: str, direction: Direction = Direction.BOTH, *, writable: bool = True
    ) -> SnapshotBuilder:
        """Map `name`; `writable=False` is a read-only or related field (never to Salesforce)."""
        self.rules = [r for r in self.rules if r.field != name]
        self.rules.append(FieldRule(name, direction.to_sheet, direction.to_salesforce and writable))
        return self

    def with_options(self, **changes: Any) -> SnapshotBuilder:
        self.options = replace(self.options, **changes)
        return self

    def with_conflicts(self, policy: ConflictPolicy) -> SnapshotBuilder:
        return self.with_options(conflicts=policy)

    def on_record_deleted(self, choice: OnRecordDeleted) -> SnapshotBuilder:
        return self.with_options(on_record_deleted=choice)

    def creating_records_from_rows(self) -> SnapshotBuilder:
        return self.with_options(create_records_from_rows=True)

    def with_link(
        self,
        record: str | None,
        row: int | None,
        synced: Mapping[str, Canon] | None = None,
        *,
        state: LinkState = LinkState.LINKED,
        note: str = "",
        **values: Canon,
    ) -> SnapshotBuilder:
        self.links.append(Link(record, row, {**(synced or {}), **values}, state, note))
        return self

    def with_record(
        self,
        record: str,
        values: Mapping[str, Canon] | None = None,
        *,
        modstamp: datetime | None = None,
        deleted: bool = False,
        in_filter: bool = True,
        **more: Canon,
    ) -> SnapshotBuilder:
        self.records[record] = RecordSeen(
            record, {**(values or {}), **more}, modstamp, deleted, in_filter
        )
        return self

    def with_row(
        self,
        row: int,
        values: Mapping[str, Canon] | None = None,
        *,
        record: str | None = None,
        errors: Mapping[str, str] | None = None,
        modified_at: datetime | None = None,
        **more: Canon,
    ) -> SnapshotBuilder:
        self.rows[row] = RowSeen(
            row, record, {**(values or {}), **more}, dict(errors or {}), modified_at
        )
        return self

    def with_row_deleted(self, row: int) -> SnapshotBuilder:
        self.missing_rows.add(row)
        return self

    def build(self) -> Snapshot:
        return Snapshot(
            tuple(self.rules),
            self.options,
            tuple(self.links),
            dict(self.records),
            dict(self.rows),
            frozenset(self.missing_rows),
        )

    def plan(self, limits: Limits | None = None) -> Plan:
        return plan(self.build(), limits or Limits())


def a_snapshot(*, mapped: tuple[str, ...] = ("Name", "Amount")) -> SnapshotBuilder:
    """A workflow mapping `mapped` both ways, Salesforce wins, deleted records marked."""
    builder = SnapshotBuilder()
    for name in mapped:
        builder.with_rule(name)
    return builder


def for_record(result: Plan, record: str) -> LinkPlan:
    found = [p for p in result.links if p.record_id == record]
    assert len(found) == 1, f"expected one plan for record {record}, got {found}"
    return found[0]


def for_row(result: Plan, row: int) -> LinkPlan:
    found = [p for p in result.links if p.row_id == row]
    assert len(found) == 1, f"expected one plan for row {row}, got {found}"
    return found[0]


def writes(result: Plan) -> list[LinkPlan]:
    """The plans that would write anything anywhere (or change the bookkeeping)."""
    return [p for p in result.links if p.changed]


# -- workflow file -----------------------------------------------------------------------
def a_spec(**changes: Any) -> WorkflowSpec:
    """DESIGN.md's example workflow ("Won deals"); `changes` replace any attribute."""
    spec = WorkflowSpec(
        name="Won deals",
        team="T0123ABC",
        owner="U0123ABC",
        org="00D5g000000XyZ",
        object="Opportunity",
        sheet=4583173393803140,
        fields=(
            FieldMapping("Name", "Deal", Direction.BOTH),
            FieldMapping("Account.Name", "Account", Direction.TO_SMARTSHEET),
            FieldMapping("Amount", "Amount", Direction.BOTH),
        ),
        filter=Filter((Condition("StageName", "=", "Closed Won"),), match_all=True),
        options=WorkflowOptions(
            create_records_from_rows=False,
            on_record_deleted=OnRecordDeleted.MARK,
            conflicts=ConflictPolicy.SALESFORCE_WINS,
        ),
    )
    return replace(spec, **changes)
