"""Deletions the incremental query cannot see: records purged from the recycle bin.

The tick's queryAll shows a deleted record (IsDeleted = true) only while it is in the
recycle bin. One deleted and purged between two ticks (an emptied bin, a hard delete)
just vanishes, so its row would stay as if nothing happened. Every few minutes per
(connection, object), Get Deleted (`/sobjects/X/deleted/?start=&end=`) lists what was
deleted since the last look; ids the query did not return come back as deleted records,
so each workflow's `on_record_deleted` applies to them as to any other deletion.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sync.ports import SalesforcePort

CHECK_EVERY = timedelta(minutes=10)  # Get Deleted works to the minute; one call per 10 min
DELETED_DAYS = 15  # Get Deleted answers only for the last 15 days
_MINUTE = timedelta(minutes=1)


class PurgeWatch:
    def __init__(self, overlap: timedelta, every: timedelta = CHECK_EVERY) -> None:
        self._overlap = overlap
        self._every = every
        self._checked: dict[Hashable, datetime] = {}  # end of the last window looked at

    def missed(
        self,
        sf: SalesforcePort,
        key: Hashable,
        object_name: str,
        seen: Sequence[dict[str, Any]],
        marks: Sequence[datetime | None],
        now: datetime,
    ) -> list[dict[str, Any]]:
        """Deleted records (as query records) the query did not return, when a look is due."""
        known = [mark for mark in marks if mark is not None]
        last = self._checked.get(key)
        if not known or (last is not None and now - last < self._every):
            return []
        # the API ignores seconds: start a minute early so no deletion falls between looks
        start = (last if last is not None else min(known) - self._overlap) - _MINUTE
        start = max(start, now - timedelta(days=DELETED_DAYS) + _MINUTE)
        deleted = sf.deleted_since(object_name, start, now)
        self._checked[key] = now
        returned = {str(r.get("Id", ""))[:15] for r in seen}
        return [
            {"Id": d.id, "IsDeleted": True, "SystemModstamp": d.deleted_at.isoformat()}
            for d in deleted
            if d.id[:15] not in returned
        ]
