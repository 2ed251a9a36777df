"""RateBudget: at most N calls per token in any sliding window, shared by every holder of
the token and by every budget drawing on the same counts (processes on one database)."""

from __future__ import annotations

import pytest

from sync.budget import BudgetSpent, MemoryCounts, RateBudget, token_key


class Ticker:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_the_call_past_the_limit_is_refused_until_the_window_moves_on() -> None:
    clock = Ticker()
    budget = RateBudget(limit=3, window=60, monotonic=clock)
    for _ in range(3):
        budget.take("tok", 7)
    with pytest.raises(BudgetSpent):
        budget.take("tok", 7)
    assert budget.used("tok") == 3  # a refused call is not counted
    assert budget.deferred("tok") == 1
    clock.t += 70  # a whole window plus the slot the calls were counted in
    budget.take("tok", 7)
    assert budget.used("tok") == 1
    assert budget.deferred("tok") == 0  # the refusal is older than the window


def test_no_sliding_minute_ever_holds_more_than_the_limit() -> None:
    clock = Ticker()
    budget = RateBudget(limit=20, window=60, monotonic=clock)
    granted: list[float] = []
    for _ in range(1200):  # one try every 0.25 s for five minutes
        try:
            budget.take("tok", 1)
            granted.append(clock.t)
        except BudgetSpent:
            pass
        clock.t += 0.25
    worst = max(sum(1 for g in granted if start <= g < start + 60) for start in granted)
    assert worst <= 20
    assert len(granted) >= 20 * 4  # the caution costs at most one slot per window


def test_connections_holding_one_token_share_its_budget() -> None:
    budget = RateBudget(limit=2, window=60, monotonic=Ticker())
    shared, other = token_key("smartsheet", "abc"), token_key("smartsheet", "xyz")
    budget.take(shared, 1)
    budget.take(shared, 2)
    with pytest.raises(BudgetSpent):
        budget.take(shared, 1)
    budget.take(other, 3)  # another token: its own 2 a minute
    assert budget.keys() == {shared: (1, 2), other: (3,)}
    assert budget.connections() == [1, 2, 3]


def test_the_budget_key_never_holds_the_token() -> None:
    key = token_key("smartsheet", "secret-token-value")
    assert "secret" not in key and key.startswith("sm:")
    assert key == token_key("smartsheet", "secret-token-value")


def test_budgets_on_the_same_counts_draw_on_one_allowance() -> None:
    """Two processes on one database: each one's calls count against the other's."""
    clock, counts = Ticker(), MemoryCounts()
    first = RateBudget(limit=3, window=60, monotonic=clock, counts=counts)
    second = RateBudget(limit=3, window=60, monotonic=clock, counts=counts)
    first.take("tok", 1)
    first.take("tok", 1)
    second.take("tok", 2)
    with pytest.raises(BudgetSpent):
        second.take("tok", 2)
    with pytest.raises(BudgetSpent):
        first.take("tok", 1)
    assert first.used("tok") == second.used("tok") == 3


def test_a_spent_budget_is_retried_next_tick_not_a_workflow_error() -> None:
    budget = RateBudget(limit=0, window=60, monotonic=Ticker())
    with pytest.raises(BudgetSpent) as caught:
        budget.take("tok", 1)
    assert caught.value.resolution.name == "RETRY"
    assert caught.value.service == "smartsheet"


def test_a_blocking_budget_waits_until_the_window_has_room() -> None:
    clock = Ticker()
    budget = RateBudget(limit=2, window=60, monotonic=clock)
    budget.blocking = True
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.t += seconds

    budget._sleep = sleep
    budget.take("tok", 1)
    clock.t += 10
    budget.take("tok", 1)
    budget.take("tok", 1)  # waits until the first call's slot has left the window
    assert sum(slept) == pytest.approx(60.0)
    assert budget.used("tok") == 2
    assert budget.deferred("tok") == 0  # waited, not refused


class CountingCounts(MemoryCounts):
    """MemoryCounts that tells how often the shared count was written (a DB transaction)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def add(self, key: str, slot: int, first: int, calls: int, limit: int) -> bool:
        self.writes += 1
        return super().add(key, slot, first, calls, limit)


def test_calls_are_counted_in_the_store_a_few_at_a_time_and_reported_as_made() -> None:
    counts = CountingCounts()
    budget = RateBudget(limit=300, window=60, monotonic=lambda: 1000.0, counts=counts)
    for _ in range(20):
        budget.take("ss:abc", 1)
    assert counts.writes == 6  # 1 + 1 + 2 + 4 + 8 + 15 reserved, not 20 transactions
    assert budget.used("ss:abc") == 20  # the 11 reserved but not made are not shown


def test_a_quiet_process_reserves_only_what_it_uses() -> None:
    """Three instances each making a few calls a slot must not hold the token's budget in
    reservations they never use."""
    counts = CountingCounts()
    budget = RateBudget(limit=300, window=60, monotonic=lambda: 1000.0, counts=counts)
    budget.take("ss:abc", 1)
    budget.take("ss:abc", 1)
    assert counts.total("ss:abc", 0, 10**6) == 2  # nothing counted beyond the calls made


def test_a_lowered_limit_gives_reserved_calls_back_and_applies_at_once() -> None:
    counts = CountingCounts()
    budget = RateBudget(limit=300, window=60, monotonic=lambda: 1000.0, counts=counts)
    budget.take("ss:abc", 1)
    budget.limit = 1  # an admin lowers it: the 14 reserved calls go back to the shared count
    assert budget.used("ss:abc") == 1
    with pytest.raises(BudgetSpent):
        budget.take("ss:abc", 1)
