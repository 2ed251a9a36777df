"""An idle tick asks Smartsheet once per connection which sheets changed (list sheets with
modifiedSince), not once per sheet; only a sheet the listing names is read."""

from __future__ import annotations

from sqlalchemy import event

from sync.budget import SMARTSHEET_PER_MINUTE, RateBudget
from sync.model import Condition, Direction, Filter

from .conftest import World
from .test_basic_flow import deals, pipeline


def _quiet_workflows(world: World, count: int, sf: list[int], ss: list[int]) -> None:
    for i in range(count):
        world.workflow(
            world.sheet(("Name", "TEXT_NUMBER")),
            [("Name", "Name", Direction.BOTH)],
            connections=(sf[i % len(sf)], ss[i % len(ss)]),
            name=f"wf {i}",
            flt=Filter((Condition("Name", "starts with", f"none-{i}-"),)),
        )


def test_idle_tick_costs_one_query_per_group_and_one_listing_per_smartsheet_connection(
    world: World,
) -> None:
    """50 workflows, 5 groups (Salesforce connections on Opportunity), 10 Smartsheet
    connections: the idle tick is 5 + 10 calls (the benchmark runs the same at 1,000)."""
    pairs = [world.connect(owner=f"U0SCALE{n:03d}") for n in range(10)]
    _quiet_workflows(world, 50, [sf for sf, _ in pairs[:5]], [ss for _, ss in pairs])
    world.tick()  # set-up: describes, columns, backfills
    world.tick()
    world.sf.control.reset_counters()
    world.ss.control.reset_counters()
    report = world.tick()
    assert (report.failures, report.workflows) == ([], 50)
    assert world.sf.control.count("query*") == 5
    assert world.sf.control.count("*") == 5
    assert world.ss.control.count("sheets.list") == 10
    assert world.ss.control.count("*") == 10


def test_an_edited_sheet_is_read_and_synced_while_the_others_stay_unread(world: World) -> None:
    prefix, ids = deals(world, 2)
    connections = world.connect()
    edited, _ = pipeline(world, prefix, connections=connections)
    _quiet_workflows(world, 3, [connections[0]], [connections[1]])
    world.tick()
    world.tick()
    world.ss.control.reset_counters()
    row = world.row_of(edited, ids[0])
    world.ss.edit_cells(edited, row["_id"], {"Amount": 4321})
    world.ss.control.reset_counters()
    assert world.tick().failures == []
    assert world.sf.get_record("Opportunity", ids[0])["Amount"] == 4321
    assert world.ss.control.count("sheets.list") == 1
    assert world.ss.control.count("sheets.version") == 0
    assert world.ss.control.count("sheets.get") == 1  # the edited sheet only


def _statements_of_idle_tick(world: World) -> tuple[int, int]:
    """(transactions committed, SQL statements) of one tick."""
    db = world.store.sessions.kw["bind"]
    seen = {"commits": 0, "statements": 0}

    def commit(_conn: object) -> None:
        seen["commits"] += 1

    def statement(*_args: object) -> None:
        seen["statements"] += 1

    event.listen(db, "commit", commit)
    event.listen(db, "before_cursor_execute", statement)
    try:
        report = world.tick()
    finally:
        event.remove(db, "commit", commit)
        event.remove(db, "before_cursor_execute", statement)
    assert report.failures == [] and report.outcomes
    return seen["commits"], seen["statements"]


def test_an_idle_tick_makes_no_database_round_trip_per_workflow(world: World) -> None:
    """Reads and writes are batched per group: doubling the workflows of 5 groups and 10
    Smartsheet connections leaves the idle tick's statements as they were, and a group's
    run is 2 transactions (the claim, with its members' states and its connection's
    tokens; the close, with the idle marks)."""
    # the token budget's own writes follow the clock (a reservation per time slot) and are
    # counted in test_rate_budget.py; here it counts in memory
    world.connectors.smartsheet_budget = RateBudget(SMARTSHEET_PER_MINUTE)
    pairs = [world.connect(owner=f"U0BATCH{n:03d}") for n in range(10)]
    sf, ss = [s for s, _ in pairs[:5]], [s for _, s in pairs]
    _quiet_workflows(world, 25, sf, ss)
    world.tick()
    world.tick()
    fewer = _statements_of_idle_tick(world)
    for i in range(25, 50):
        world.workflow(
            world.sheet(("Name", "TEXT_NUMBER")),
            [("Name", "Name", Direction.BOTH)],
            connections=(sf[i % 5], ss[i % 10]),
            name=f"wf {i}",
            flt=Filter((Condition("Name", "starts with", f"none-{i}-"),)),
        )
    world.tick()
    world.tick()

    more = _statements_of_idle_tick(world)

    assert more == fewer
    commits, statements = more
    # per tick 2 (reverts waiting, the active workflows), per group 2 (see the docstring),
    # per Smartsheet connection 2 (its tokens, its oldest sheet read)
    assert commits == 2 + 5 * 2 + 10 * 2
    db = world.store.sessions.kw["bind"]
    lock = 2 if db.dialect.name == "postgresql" else 0  # the advisory lock, taken and released
    assert statements == 3 + 5 * (9 + lock) + 10 * 2
