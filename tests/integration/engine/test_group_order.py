"""On a schedule several instances share, each takes the groups in an order of its own
(in one order they kept meeting at the same group and refusing each other's claims);
a one-off tick keeps the stored order."""

from __future__ import annotations

from dataclasses import replace

from sync.model import Condition, Direction, Filter

from .conftest import World


def _eight_groups(world: World) -> None:
    for n in range(8):
        sf, ss = world.connect(owner=f"U0ORDER{n:03d}")
        world.workflow(
            world.sheet(("Name", "TEXT_NUMBER")),
            [("Name", "Name", Direction.BOTH)],
            connections=(sf, ss),
            name=f"wf {n}",
            flt=Filter((Condition("Name", "starts with", f"none-order-{n}-"),)),
        )


def _order(world: World) -> list[int]:
    return [o.connection_id for o in world.tick().outcomes]


def test_a_one_off_tick_takes_the_groups_in_their_stored_order(world: World) -> None:
    _eight_groups(world)

    orders = [_order(world) for _ in range(3)]

    assert len(orders[0]) == 8
    assert orders[0] == sorted(orders[0]) and orders[1] == orders[2] == orders[0]


def test_on_a_schedule_the_groups_come_in_varying_orders(world: World) -> None:
    _eight_groups(world)
    world.tick()  # set-up
    world.engine.config = replace(world.engine.config, interval=lambda: 1)

    orders = [_order(world) for _ in range(4)]

    assert all(sorted(o) == sorted(orders[0]) for o in orders)  # every group, each once
    assert len({tuple(o) for o in orders}) > 1  # 4 times the same of 40,320 orders: never
