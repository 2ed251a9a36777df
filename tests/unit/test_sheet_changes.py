"""SheetChanges: one listing per connection answers for every sheet it can vouch for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sync.errors import TransientError
from sync.sheet_changes import SheetChanges, SheetSeen

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
OVERLAP = timedelta(minutes=2)


@dataclass
class FixedClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment


@dataclass
class ListingOnly:
    """Only the listing call is needed; any other call would fail the test."""

    changed: dict[int, int]
    asked: list[datetime] = field(default_factory=list)
    fail: bool = False

    def sheets_modified_since(self, since: datetime) -> dict[int, int]:
        self.asked.append(since)
        if self.fail:
            raise TransientError("busy")
        return self.changed

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"unexpected call {name}")


def changes(oldest: datetime | None = T0) -> SheetChanges:
    return SheetChanges(FixedClock(T0 + timedelta(seconds=30)), OVERLAP, lambda _c: oldest)


def test_listed_sheet_gets_its_new_version_unlisted_keeps_the_stored_one() -> None:
    port, seen = ListingOnly({11: 8}), changes()
    listed_at = T0 + timedelta(seconds=30)
    assert seen.seen(1, port, 11, 7, T0) == SheetSeen(8, listed_at)  # type: ignore[arg-type]
    assert seen.seen(1, port, 12, 3, T0) == SheetSeen(3, listed_at)  # type: ignore[arg-type]
    assert port.asked == [T0 - OVERLAP]  # one listing, from the oldest read minus overlap


def test_each_connection_is_listed_once() -> None:
    port, seen = ListingOnly({}), changes()
    for connection in (1, 2, 1, 2):
        seen.seen(connection, port, 5, 1, T0)  # type: ignore[arg-type]
    assert len(port.asked) == 2


def test_a_sheet_never_read_or_read_before_the_listing_window_is_asked_directly() -> None:
    port, seen = ListingOnly({}), changes()
    assert seen.seen(1, port, 5, None, None) is None  # type: ignore[arg-type]
    assert seen.seen(1, port, 5, 4, T0 - timedelta(minutes=1)) is None  # type: ignore[arg-type]
    assert changes(oldest=None).seen(1, port, 5, 4, T0) is None  # type: ignore[arg-type]


def test_a_failed_listing_fails_every_workflow_of_the_connection_without_retrying() -> None:
    port, seen = ListingOnly({}, fail=True), changes()
    for _ in range(3):
        with pytest.raises(TransientError):
            seen.seen(1, port, 5, 4, T0)  # type: ignore[arg-type]
    assert len(port.asked) == 1
