"""Related (lookup) fields: renaming the parent does not move the child's SystemModstamp (as
in real Salesforce), and the incremental query only asks for children whose own
SystemModstamp moved. So a mapped Account.Name is never refreshed, and a filter on
Account.Name never notices records entering or leaving it."""

from __future__ import annotations

from sync.model import Condition, Direction, Filter
from tests.integration.engine.conftest import World
from tests.integration.engine.test_basic_flow import deals, pipeline


def _let_time_pass(world: World, warp) -> None:
    """Ten quiet minutes, with some unrelated opportunity edited, so the watermark moves."""
    warp.advance(10)
    deals(world, 1)
    world.tick()
    warp.advance(10)
    world.tick()


def test_a_renamed_account_shows_in_the_mapped_account_column(world: World, warp) -> None:
    prefix, ids = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    _let_time_pass(world, warp)
    account = world.sf.get_record("Opportunity", ids[0])["AccountId"]
    world.sf.update("Account", account, {"Name": f"{prefix} Renamed Ltd"})
    world.tick()
    world.tick()
    assert world.row_of(sheet, ids[0])["Account"] == f"{prefix} Renamed Ltd"


def test_a_filter_on_account_name_follows_an_account_rename(world: World, warp) -> None:
    prefix, ids = deals(world, 2)
    sheet = world.sheet(("Deal", "TEXT_NUMBER"), ("Amount", "TEXT_NUMBER"))
    world.workflow(
        sheet,
        [("Name", "Deal", Direction.BOTH), ("Amount", "Amount", Direction.BOTH)],
        flt=Filter((Condition("Account.Name", "=", f"{prefix} Holdings"),)),
    )
    world.tick()
    assert len(world.rows(sheet)) == 2
    _let_time_pass(world, warp)
    account = world.sf.get_record("Opportunity", ids[0])["AccountId"]
    world.sf.update("Account", account, {"Name": f"{prefix} Sold Off"})
    world.tick()
    world.tick()
    statuses = [r.get("Sync Status") for r in world.rows(sheet)]
    assert statuses == ["No longer matches this workflow's filter"] * 2
