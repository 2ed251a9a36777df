"""Backfill progress is throttled per workflow; the last page always gets through."""

from __future__ import annotations

from sync.progress import ProgressHub


def test_updates_are_throttled_and_the_final_one_is_always_sent() -> None:
    now = [0.0]
    hub = ProgressHub(interval=3.0, monotonic=lambda: now[0])
    heard: list[tuple[int, int]] = []
    hub.watch(7, lambda done, total: heard.append((done, total)))
    for page in range(1, 11):  # ten pages, one second apart
        now[0] = float(page)
        hub(7, page * 2000, 20_000)
    hub(8, 5, 10)  # nobody watches workflow 8
    assert heard == [(2000, 20_000), (8000, 20_000), (14_000, 20_000), (20_000, 20_000)]


def test_a_forgotten_workflow_is_not_reported() -> None:
    hub = ProgressHub()
    heard: list[int] = []
    hub.watch(1, lambda done, total: heard.append(done))
    hub.forget(1)
    hub(1, 10, 10)
    assert heard == []
