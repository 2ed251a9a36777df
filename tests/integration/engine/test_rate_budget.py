"""Smartsheet allows 300 calls a minute per token: syncbot never sends more. A tick whose
work would exceed the budget leaves the rest for the next ticks and says so."""

from __future__ import annotations

from bot.sandbox_setup import service_config
from sync.budget import RateBudget
from sync.clock import SystemClock
from sync.connectors.factory import ConnectorFactory
from sync.model import Condition, Direction, Filter
from sync.poller import Engine, EngineConfig
from sync.store import repo

from .conftest import World


class Ticker:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_work_past_the_budget_waits_for_the_next_minute_and_nothing_is_paused(
    world: World,
) -> None:
    connections = world.connect()
    for i in range(3):
        world.workflow(
            world.sheet(("Name", "TEXT_NUMBER")),
            [("Name", "Name", Direction.BOTH)],
            connections=connections,
            name=f"wf {i}",
            flt=Filter((Condition("Name", "starts with", f"none-{i}-"),)),
        )
    factory = ConnectorFactory(world.store, service_config(world.box), SystemClock())
    minute = Ticker()
    factory.smartsheet_budget = RateBudget(limit=5, window=60, monotonic=minute)
    engine = Engine(world.store, factory, SystemClock(), config=EngineConfig(instance_id="b"))
    world.ss.control.reset_counters()
    first = engine.tick()
    assert world.ss.control.count("*") == 5  # each set-up costs 3 calls: one and a bit
    assert first.failures and all("Smartsheet calls" in f for f in first.failures)
    assert [u.used for u in factory.budget_use() if u.service == "smartsheet"] == [5]
    minute.t += 60
    world.ss.control.reset_counters()
    second = engine.tick()
    assert second.failures == []
    assert world.ss.control.count("*") <= 5
    with world.store.unit() as session:
        assert len(repo.workflows(session, active_only=True)) == 3
        assert all(repo.workflow_row(session, w.id).sheet_version for w in repo.workflows(session))
