"""REST discovery and query resources under ``/services/data``: versions, resources,
describeGlobal, describe, limits, query/queryAll/queryMore; and ``rest_call``, the wrapper
every authenticated REST handler goes through.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response

from sandbox.core import json_response

from .describe import global_entry, object_describe
from .errors import SfError, not_found
from .query import UserSchema, UserSource, batch_size, record_attributes
from .soql import SoqlError, run_query
from .state import OrgState
from .users import SfUser

MIN_VERSION, MAX_VERSION = 31, 66
_SEASONS = ("Summer", "Winter", "Spring")  # v31.0 was Summer '14; three releases a year
_VERSION = re.compile(r"^v(\d+)\.0$")
UPDATED_DAYS, DELETED_DAYS = 30, 15

Handler = Callable[..., Response]


def version_label(number: int) -> str:
    index = number - MIN_VERSION
    return f"{_SEASONS[index % 3]} '{14 + (index + 2) // 3}"


def parse_version(text: str) -> str:
    match = _VERSION.match(text)
    if not match or not MIN_VERSION <= int(match.group(1)) <= MAX_VERSION:
        raise not_found()
    return text[1:]


def rest_call(handler: Handler) -> Handler:
    """Version check, session check, API usage, the lock, and SfError -> error list."""

    @functools.wraps(handler)
    def wrapper(self: Any, request: Request, version: str, **kwargs: Any) -> Response:
        try:
            ver = parse_version(version)
            with self.lock:
                user = self.authenticate(request)
                return handler(self, request, ver, user, **kwargs)
        except SfError as error:
            return error.response()

    return wrapper


class RestRoutes(OrgState):
    # -- discovery ----------------------------------------------------------------------
    def on_versions(self, request: Request) -> Response:
        return json_response(
            [
                {"label": version_label(n), "url": f"/services/data/v{n}.0", "version": f"{n}.0"}
                for n in range(MIN_VERSION, MAX_VERSION + 1)
            ]
        )

    @rest_call
    def on_resources(self, request: Request, version: str, user: SfUser) -> Response:
        root = f"/services/data/v{version}"
        names = (
            "tooling",
            "metadata",
            "jsonxform",
            "chatter",
            "tabs",
            "appMenu",
            "quickActions",
            "queryAll",
            "search",
            "composite",
            "theme",
            "nouns",
            "event",
            "recent",
            "connect",
            "licensing",
            "limits",
            "process",
            "query",
            "match",
            "compactLayouts",
            "sobjects",
            "actions",
            "support",
        )
        body: dict[str, str] = {name: f"{root}/{name}" for name in names}
        body["identity"] = f"{self.login_url}/id/{self.org_id}/{user.id}"
        return json_response(body)

    @rest_call
    def on_describe_global(self, request: Request, version: str, user: SfUser) -> Response:
        entries = [
            global_entry(o, version, self.base_url)
            for o in self.catalog.values()
            if user.sees_object(o.name)
        ]
        return json_response(
            {
                "encoding": "UTF-8",
                "maxBatchSize": 200,
                "sobjects": sorted(entries, key=lambda e: e["name"]),
            }
        )

    @rest_call
    def on_describe(self, request: Request, version: str, user: SfUser, obj: str) -> Response:
        found = self.object_def(obj)
        if not user.sees_object(found.name):
            raise not_found()
        return json_response(
            object_describe(found, user.described_fields(found), version, self.base_url)
        )

    @rest_call
    def on_describe_basic(self, request: Request, version: str, user: SfUser, obj: str) -> Response:
        found = self.object_def(obj)
        rows = [r for r in self.store.rows(found.name) if user.sees_record(found, r)]
        recent = sorted(rows, key=lambda r: r["LastModifiedDate"], reverse=True)[:5]
        name = found.name_field.name
        items = [
            {
                "attributes": record_attributes(found.name, r["Id"], version),
                "Id": r["Id"],
                name: r.get(name),
            }
            for r in recent
        ]
        return json_response(
            {"objectDescribe": global_entry(found, version, self.base_url), "recentItems": items}
        )

    @rest_call
    def on_limits(self, request: Request, version: str, user: SfUser) -> Response:
        return json_response(limits_body(self.api_daily_max, self.api_used))

    # -- query ------------------------------------------------------------------------
    @rest_call
    def on_query(self, request: Request, version: str, user: SfUser) -> Response:
        return self._first_page(request, version, user, include_deleted=False)

    @rest_call
    def on_query_all(self, request: Request, version: str, user: SfUser) -> Response:
        return self._first_page(request, version, user, include_deleted=True)

    @rest_call
    def on_query_more(self, request: Request, version: str, user: SfUser, locator: str) -> Response:
        header = request.headers.get("Sforce-Query-Options")
        size = batch_size(header) if header else None
        return json_response(self.cursors.next_page(locator, user.alias, version, size))

    def _first_page(
        self,
        request: Request,
        version: str,
        user: SfUser,
        *,
        include_deleted: bool,
    ) -> Response:
        text = request.args.get("q")
        if not text:
            raise SfError(400, "MALFORMED_QUERY", "A query string has to be specified")
        try:
            result = run_query(
                text,
                UserSchema(self.catalog, user),
                UserSource(self.store, user, version),
                include_deleted=include_deleted,
                now=self.clock(),
            )
        except SoqlError as error:
            raise SfError(400, error.error_code, error.message) from None
        size = batch_size(request.headers.get("Sforce-Query-Options"))
        return json_response(
            self.cursors.first_page(result.records, result.total_size, user.alias, size, version)
        )


def limits_body(maximum: int, used: int) -> dict[str, dict[str, int]]:
    """GET limits/: {Max, Remaining} per limit, keys as a real org lists them."""
    fixed = {
        "ConcurrentAsyncGetReportInstances": 200,
        "ConcurrentSyncReportRuns": 20,
        "DailyAsyncApexExecutions": 250000,
        "DailyBulkApiRequests": 5000,
        "DailyDurableGenericStreamingApiEvents": 10000,
        "DailyDurableStreamingApiEvents": 10000,
        "DailyGenericStreamingApiEvents": 10000,
        "DailyStreamingApiEvents": 10000,
        "DailyWorkflowEmails": 390,
        "DataStorageMB": 5,
        "DurableStreamingApiConcurrentClients": 20,
        "FileStorageMB": 20,
        "HourlyAsyncReportRuns": 1200,
        "HourlyDashboardRefreshes": 200,
        "HourlyDashboardResults": 5000,
        "HourlyDashboardStatuses": 999999999,
        "HourlyODataCallout": 10000,
        "HourlySyncReportRuns": 500,
        "HourlyTimeBasedWorkflow": 50,
        "MassEmail": 10,
        "SingleEmail": 15,
        "StreamingApiConcurrentClients": 20,
    }
    body = {name: {"Max": value, "Remaining": value} for name, value in fixed.items()}
    body["DailyApiRequests"] = {"Max": maximum, "Remaining": max(0, maximum - used)}
    return dict(sorted(body.items()))
