"""Which sheets changed, one listing per Smartsheet connection per tick.

Asking every sheet for its version costs one call per sheet per tick, and Smartsheet
allows 300 calls a minute per token: one owner with 150 sheets would use it all up at a
30 s interval. `GET /sheets?modifiedSince=…&include=sheetVersion` instead answers for a
whole connection at once, with the version of each sheet modified since then; a sheet not
listed is unchanged. The moment asked about is the oldest point up to which the
connection's active workflows have seen their sheets, minus the overlap that absorbs clock
skew between syncbot and Smartsheet. When a workflow has never read its sheet (or began
after the listing's moment) the listing cannot vouch for it, and the caller asks the sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sync.errors import SyncbotError
from sync.ports import Clock, SmartsheetPort

OldestRead = Callable[[int], datetime | None]  # Smartsheet connection id -> oldest read


@dataclass(frozen=True)
class Listing:
    since: datetime  # sheets modified at or after this are in `versions`
    listed_at: datetime  # what the listing says holds up to this moment
    versions: dict[int, int]


@dataclass(frozen=True)
class SheetSeen:
    """What a listing says of one sheet: its version, and up to when that holds."""

    version: int
    seen_at: datetime


@dataclass
class SheetChanges:
    clock: Clock
    overlap: timedelta
    oldest_read: OldestRead
    _listings: dict[int, Listing | SyncbotError | None] = field(default_factory=dict)

    def seen(
        self,
        connection_id: int,
        ss: SmartsheetPort,
        sheet_id: int,
        stored: int | None,
        read_at: datetime | None,
    ) -> SheetSeen | None:
        """The sheet's version per the connection's listing (the stored one when it is not
        listed), or None when the listing cannot tell and the sheet must be asked."""
        if stored is None or read_at is None:
            return None
        listing = self._listing(connection_id, ss)
        if listing is None or read_at - self.overlap < listing.since:
            return None
        return SheetSeen(listing.versions.get(sheet_id, stored), listing.listed_at)

    def _listing(self, connection_id: int, ss: SmartsheetPort) -> Listing | None:
        if connection_id not in self._listings:
            self._listings[connection_id] = self._list(connection_id, ss)
        found = self._listings[connection_id]
        if isinstance(found, SyncbotError):
            raise found  # the same failure for every workflow of the connection this tick
        return found

    def _list(self, connection_id: int, ss: SmartsheetPort) -> Listing | SyncbotError | None:
        oldest = self.oldest_read(connection_id)
        if oldest is None:
            return None  # a workflow never read its sheet: it reads it anyway
        since, listed_at = oldest - self.overlap, self.clock.now()
        try:
            return Listing(since, listed_at, ss.sheets_modified_since(since))
        except SyncbotError as exc:
            return exc
