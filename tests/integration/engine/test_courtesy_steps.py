"""`syncbot serve` answers Slack and runs the tick in one interpreter: the engine steps
aside between its steps while a request is being answered (sync/courtesy.py). Here the
engine's checkpoints are watched against the real SDKs and the sandbox."""

from __future__ import annotations

import threading
from dataclasses import replace

from sync.courtesy import Courtesy
from sync.poller import ASIDE_EVERY, BACKFILL_STEP

from .conftest import World
from .test_basic_flow import named_deals


def test_a_tick_waits_while_slack_is_being_answered_then_does_all_its_work(
    world: World,
) -> None:
    sheet, _wf = named_deals(world, 600)
    courtesy = Courtesy(longest_pause=60)
    world.engine.config = replace(world.engine.config, step_aside=courtesy.step_aside)
    world.sf.control.reset_counters()
    world.ss.control.reset_counters()
    courtesy.begin()  # a person's request is being served

    tick = threading.Thread(target=world.tick, daemon=True)
    tick.start()
    for _ in range(200):
        if courtesy.pauses:
            break
        tick.join(0.025)

    assert courtesy.pauses == 1 and tick.is_alive()
    assert world.sf.control.count("*") == 0 and world.ss.control.count("*") == 0
    courtesy.end()
    tick.join(60)
    assert not tick.is_alive()
    assert len(world.ss.sheet_rows(sheet)) == 600


def test_a_backfill_offers_to_step_aside_between_its_row_adds_and_while_converting(
    world: World,
) -> None:
    records = 1_200  # one query page, three adds of 500, 500 and 200
    sheet, _wf = named_deals(world, records)
    world.ss.control.reset_counters()
    adds_seen: list[int] = []  # the sheet's row adds so far, at each offer

    def step_aside() -> None:
        adds_seen.append(world.ss.control.count("rows.add"))

    world.engine.config = replace(world.engine.config, step_aside=step_aside)

    world.tick()

    assert len(world.ss.sheet_rows(sheet)) == records
    assert len(adds_seen) >= records // ASIDE_EVERY  # at least every 100 records converted
    # offers before the first add and between the adds: a request arriving mid-backfill
    # waits for one step at most, not for the whole backfill
    assert {0, 1, 2} <= set(adds_seen)
    assert BACKFILL_STEP == 500
