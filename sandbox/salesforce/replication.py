"""Get Updated / Get Deleted: ids changed or deleted in a window (data replication)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from werkzeug.wrappers import Request, Response

from sandbox.core import json_response

from .errors import SfError
from .rest import rest_call
from .schema import ObjectDef
from .state import OrgState
from .timefmt import format_datetime, parse_query_instant
from .users import SfUser

UPDATED_DAYS, DELETED_DAYS = 30, 15


class ReplicationRoutes(OrgState):
    @rest_call
    def on_updated(self, request: Request, version: str, user: SfUser, obj: str) -> Response:
        found = self.object_def(obj)
        start, end = self._window(request, UPDATED_DAYS)
        low, high = format_datetime(start), format_datetime(end)
        ids = [
            r["Id"]
            for r in self.store.rows(found.name)
            if low <= r["SystemModstamp"] < high and user.sees_record(found, r)
        ]
        return json_response({"ids": ids, "latestDateCovered": high})

    @rest_call
    def on_deleted(self, request: Request, version: str, user: SfUser, obj: str) -> Response:
        found = self.object_def(obj)
        start, end = self._window(request, DELETED_DAYS)
        low, high = format_datetime(start), format_datetime(end)
        deleted_on = self.store.deleted_on[found.name]
        records = [
            {"id": record_id, "deletedDate": stamp}
            for record_id, stamp in deleted_on.items()
            if low <= stamp < high and user.sees_record(found, self._tombstone(found, record_id))
        ]
        # the last physical delete (purge) if any, else the oldest deletion still kept
        earliest = self.store.last_purge.get(found.name) or min(
            deleted_on.values(),
            default=format_datetime(self.clock() - timedelta(days=DELETED_DAYS)),
        )
        return json_response(
            {
                "deletedRecords": records,
                "earliestDateAvailable": earliest[:17] + "00.000+0000",
                "latestDateCovered": high,
            }
        )

    def _tombstone(self, obj: ObjectDef, record_id: str) -> dict[str, Any]:
        """The deleted record, still in the recycle bin or already purged."""
        table = self.store.tables[obj.name]
        return table[record_id] if record_id in table else self.store.purged[obj.name][record_id]

    def _window(self, request: Request, days: int) -> tuple[datetime, datetime]:
        """start/end, both to the minute (the API ignores seconds), validated like Salesforce."""
        bounds = []
        for name in ("start", "end"):
            text = request.args.get(name)
            if text is None:
                raise SfError(400, "MISSING_ARGUMENT", f"{name} parameter is required")
            moment = parse_query_instant(text)
            if moment is None:
                raise SfError(
                    400, "INVALID_REPLICATION_DATE", f"{name} is not a valid dateTime: {text}"
                )
            bounds.append(moment.replace(second=0, microsecond=0))
        start, end = bounds
        now = self.clock()
        if end < start:
            raise SfError(400, "INVALID_REPLICATION_DATE", "EndDate before StartDate")
        if start < now - timedelta(days=days):
            raise SfError(
                400, "INVALID_REPLICATION_DATE", f"startDate cannot be more than {days} days ago"
            )
        return start, min(end, now.replace(second=0, microsecond=0))
