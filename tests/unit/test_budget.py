"""RateBudget: at most N calls per token in any sliding window."""

from __future__ import annotations

import pytest

from sync.budget import BudgetSpent, RateBudget


class Ticker:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_the_call_past_the_limit_is_refused_until_the_window_moves_on() -> None:
    clock = Ticker()
    budget = RateBudget(limit=3, window=60, monotonic=clock)
    for _ in range(3):
        budget.take(7)
    with pytest.raises(BudgetSpent):
        budget.take(7)
    assert budget.used(7) == 3  # a refused call is not counted
    clock.t += 60
    budget.take(7)
    assert budget.used(7) == 1


def test_each_token_has_its_own_budget() -> None:
    budget = RateBudget(limit=1, window=60, monotonic=Ticker())
    budget.take(1)
    budget.take(2)
    with pytest.raises(BudgetSpent):
        budget.take(1)
    assert budget.connections() == [1, 2]


def test_a_spent_budget_is_retried_next_tick_not_a_workflow_error() -> None:
    budget = RateBudget(limit=0, window=60, monotonic=Ticker())
    with pytest.raises(BudgetSpent) as caught:
        budget.take(1)
    assert caught.value.resolution.name == "RETRY"
    assert caught.value.service == "smartsheet"


def test_a_blocking_budget_waits_for_the_oldest_call_to_leave_the_window() -> None:
    clock = Ticker()
    budget = RateBudget(limit=2, window=60, monotonic=clock)
    budget.blocking = True
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.t += seconds

    budget._sleep = sleep
    budget.take(1)
    clock.t += 10
    budget.take(1)
    budget.take(1)  # waits until the first call is 60 s old
    assert slept == [50.0]
    assert budget.used(1) == 2
