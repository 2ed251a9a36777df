"""PurgeWatch: which Get Deleted window it asks for, and how often.

| situation                         | asks?  | window start                          |
|-----------------------------------|--------|---------------------------------------|
| no member has a watermark yet     | no     | -                                     |
| first look                        | yes    | oldest watermark - overlap - 1 minute |
| less than 10 minutes since a look | no     | -                                     |
| 10 minutes or more since a look   | yes    | end of the last look - 1 minute       |
| watermark older than 15 days      | yes    | clamped inside the 15 days            |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sync.ports import DeletedRecord
from sync.purges import PurgeWatch

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
OVERLAP = timedelta(seconds=120)
GONE = "006000000000001AAA"


@dataclass
class FakeDeleted:
    answer: list[DeletedRecord] = field(default_factory=list)
    windows: list[tuple[datetime, datetime]] = field(default_factory=list)

    def deleted_since(self, object_name: str, start: datetime, end: datetime) -> list[Any]:
        self.windows.append((start, end))
        return self.answer


def _look(watch: PurgeWatch, sf: FakeDeleted, now: datetime, seen: list[dict[str, Any]]) -> Any:
    return watch.missed(sf, ("c", "Opportunity"), "Opportunity", seen, [T0], now)  # type: ignore[arg-type]


def test_nothing_is_asked_before_any_watermark() -> None:
    sf = FakeDeleted()
    assert PurgeWatch(OVERLAP).missed(sf, "k", "Opportunity", [], [None], T0) == []  # type: ignore[arg-type]
    assert sf.windows == []


def test_the_first_look_starts_before_the_oldest_watermark() -> None:
    sf = FakeDeleted([DeletedRecord(GONE, T0)])
    found = _look(PurgeWatch(OVERLAP), sf, T0 + timedelta(minutes=5), [])
    assert sf.windows == [(T0 - OVERLAP - timedelta(minutes=1), T0 + timedelta(minutes=5))]
    assert found == [{"Id": GONE, "IsDeleted": True, "SystemModstamp": T0.isoformat()}]


def test_looks_are_ten_minutes_apart_and_continue_where_the_last_ended() -> None:
    sf, watch = FakeDeleted(), PurgeWatch(OVERLAP)
    first = T0 + timedelta(minutes=1)
    _look(watch, sf, first, [])
    _look(watch, sf, first + timedelta(minutes=9), [])
    _look(watch, sf, first + timedelta(minutes=10), [])
    assert sf.windows[1:] == [(first - timedelta(minutes=1), first + timedelta(minutes=10))]


def test_records_the_query_returned_are_not_reported_again() -> None:
    sf = FakeDeleted([DeletedRecord(GONE, T0)])
    seen = [{"Id": GONE, "IsDeleted": True}]
    assert _look(PurgeWatch(OVERLAP), sf, T0 + timedelta(minutes=5), seen) == []


def test_a_very_old_watermark_is_clamped_inside_the_fifteen_days() -> None:
    sf = FakeDeleted()
    now = T0 + timedelta(days=40)
    _look(PurgeWatch(OVERLAP), sf, now, [])
    assert sf.windows[0][0] == now - timedelta(days=15) + timedelta(minutes=1)
