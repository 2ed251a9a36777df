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
