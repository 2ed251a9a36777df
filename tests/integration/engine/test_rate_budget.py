"""Smartsheet allows 300 calls a minute per token: syncbot never sends more, whichever
connections hold the token and however many syncbot processes share the database. A tick
whose work would exceed the budget leaves the rest for the next ticks and says so; the
Salesforce share the admins set in `/sync admin` reaches running connectors at once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from bot.sandbox_setup import service_config
from sync.budget import MemoryCounts, RateBudget
from sync.clock import SystemClock
from sync.connectors.factory import ConnectorFactory
from sync.model import Condition, Direction, Filter
from sync.poller import EngineConfig, Syncer
from sync.store import app_settings, repo

from .conftest import World
from .test_basic_flow import named_deals


class Ticker:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def _quiet_workflows(world: World, connections: tuple[int, int], count: int, tag: str) -> None:
    for i in range(count):
        world.workflow(
            world.sheet(("Name", "TEXT_NUMBER")),
            [("Name", "Name", Direction.BOTH)],
            connections=connections,
            name=f"wf {tag}{i}",
            flt=Filter((Condition("Name", "starts with", f"none-{tag}{i}-"),)),
        )


def _engine(world: World, factory: ConnectorFactory, name: str = "b") -> Syncer:
    return Syncer(world.store, factory, SystemClock(), config=EngineConfig(instance_id=name))


def _five_a_minute(world: World) -> tuple[Syncer, ConnectorFactory, Ticker]:
    """An engine whose Smartsheet budget is 5 calls a minute, on a clock moved by hand;
    the sandbox's counters start from zero."""
    factory = ConnectorFactory(world.store, service_config(world.box), SystemClock())
    minute = Ticker()
    factory.smartsheet_budget = RateBudget(limit=5, window=60, monotonic=minute)
    world.ss.control.reset_counters()
    return _engine(world, factory), factory, minute


def _own_token(world: World, smartsheet_connection: int) -> str:
    """Give a connection a token of its own (another personal token of the same user)."""
    token = world.ss.tokens.personal("owner")
    with world.store.unit() as session:
        repo.save_tokens(
            session, world.store.cipher, smartsheet_connection, token, None, datetime.now(UTC)
        )
    return token


def _calls_per_token(world: World) -> Counter[str | None]:
    return Counter(r.token for r in world.ss.control.calls("*"))


def test_work_past_the_budget_waits_for_the_next_minute_and_nothing_is_paused(
    world: World,
) -> None:
    _quiet_workflows(world, world.connect(), 3, "a")
    engine, factory, minute = _five_a_minute(world)
    first = engine.tick()
    assert world.ss.control.count("*") == 5  # each set-up costs 3 calls: one and a bit
    assert first.failures and all("Smartsheet calls" in f for f in first.failures)
    smartsheet = [u for u in factory.budget_use() if u.service == "smartsheet"]
    assert [(u.used, u.limit) for u in smartsheet] == [(5, 5)]
    assert smartsheet[0].deferred >= 1  # what the budget pushed to a later tick
    minute.t += 70  # the window, and the slot its calls were counted in, have passed
    world.ss.control.reset_counters()
    second = engine.tick()
    assert second.failures == []
    assert world.ss.control.count("*") <= 5
    with world.store.unit() as session:
        assert len(repo.workflows(session, active_only=True)) == 3
        assert all(repo.workflow_row(session, w.id).sheet_version for w in repo.workflows(session))


def test_connections_holding_one_token_share_its_budget_and_other_tokens_keep_theirs(
    world: World,
) -> None:
    first, second, third = (world.connect(owner=f"U0SHARE00{i}") for i in range(3))
    own = _own_token(world, third[1])
    for tag, pair in (("a", first), ("b", second), ("c", third)):
        _quiet_workflows(world, pair, 2, tag)
    factory = ConnectorFactory(
        world.store, service_config(world.box, smartsheet_calls_per_minute=5), SystemClock()
    )
    world.ss.control.reset_counters()
    report = _engine(world, factory).tick()
    per_token = _calls_per_token(world)
    shared = world.ss.token_for("owner")
    assert per_token == {shared: 5, own: 5}  # four set-ups on one token, two on the other
    assert all(r.status != 429 for r in world.ss.control.calls("*"))
    assert report.failures, report.failures  # the rest waits for the next ticks
    use = {u.connection_id: u for u in factory.budget_use() if u.service == "smartsheet"}
    assert use[first[1]].token == use[second[1]].token != use[third[1]].token
    assert use[first[1]].shared_with == (second[1],)
    assert use[third[1]].shared_with == ()
    assert [use[c].used for c in (first[1], second[1], third[1])] == [5, 5, 5]
    assert shared not in use[first[1]].token  # the budget's name is no secret


def test_two_syncbot_processes_on_one_database_draw_on_the_same_budget(world: World) -> None:
    """Each factory stands for a process (its own memory); only the database is shared."""
    config = service_config(world.box, smartsheet_calls_per_minute=5)
    mine, theirs = world.connect(owner="U0MINE0001"), world.connect(owner="U0THEIRS01")
    _quiet_workflows(world, mine, 1, "m")
    _quiet_workflows(world, theirs, 2, "t")
    one = ConnectorFactory(world.store, config, SystemClock())
    other = ConnectorFactory(world.store, config, SystemClock())
    world.ss.control.reset_counters()
    with world.store.unit() as session:
        mine_ids = [w.id for w in repo.workflows(session) if w.name.startswith("wf m")]
        theirs_ids = [w.id for w in repo.workflows(session) if w.name.startswith("wf t")]
    _engine(world, one, "one").tick(only=mine_ids)  # 3 calls of the 5
    late = _engine(world, other, "other").tick(only=theirs_ids)
    assert world.ss.control.count("*") == 5
    assert late.failures and all("Smartsheet calls" in f for f in late.failures)
    assert {u.used for u in other.budget_use() if u.service == "smartsheet"} == {5}


def test_a_memory_budget_stays_within_one_process(world: World) -> None:
    """The counter the tests swap in is per process; the factory's own is the database's."""
    factory = ConnectorFactory(world.store, service_config(world.box), SystemClock())
    assert not isinstance(factory.smartsheet_budget.counts, MemoryCounts)


def test_the_share_set_in_sync_admin_reaches_a_running_connector(world: World) -> None:
    connections = world.connect()
    _quiet_workflows(world, connections, 1, "s")
    factory = ConnectorFactory(world.store, service_config(world.box, api_share=0.9), SystemClock())
    engine = _engine(world, factory)
    assert engine.tick().failures == []
    world.sf.set_api_usage(600, 1000)  # the org has used 60 % of its day
    with world.store.unit() as session:  # what `/sync admin` stores
        app_settings.write(session, app_settings.GLOBAL, {"api_share": "0.5"}, datetime.now(UTC))
    world.sf.control.reset_counters()
    report = engine.tick()
    assert any("SYNC_API_SHARE=0.5" in f for f in report.failures)
    assert world.sf.control.count("*") == 1  # the call that reported the use, then no more
    salesforce = [u for u in factory.budget_use() if u.service == "salesforce"]
    assert [(u.connection_id, u.limit) for u in salesforce] == [(connections[0], 500)]
    assert salesforce[0].used >= 600 and salesforce[0].deferred >= 1


def test_a_backfill_past_the_budget_sends_the_steps_it_counted_and_adds_the_rest_later(
    world: World,
) -> None:
    # a step's row add is counted when the step is prepared, ahead of the sending: the
    # step the budget refuses stores nothing (no intent, no row), the steps counted before
    # it still go out, and the next window goes on from there
    sheet, wf = named_deals(world, 1_200)  # one query page: steps of 500, 500 and 200
    engine, _factory, minute = _five_a_minute(world)

    first = engine.tick()

    assert first.failures and all("Smartsheet calls" in f for f in first.failures)
    assert world.ss.control.count("*") == 5  # 3 for the set-up, then 2 of the 3 adds
    assert world.ss.control.count("rows.add") == 2
    assert len(world.ss.sheet_rows(sheet)) == 1_000
    with world.store.unit() as session:
        links = repo.links(session, wf)
    assert len(links) == 1_000 and all(link.row_id is not None for link in links)
    minute.t += 70
    world.ss.control.reset_counters()
    second = engine.tick()
    assert second.failures == []
    assert world.ss.control.count("rows.add") == 1
    names = [r["Deal"] for r in world.rows(sheet)]
    assert len(names) == 1_200 and len(set(names)) == 1_200
