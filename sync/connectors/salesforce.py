"""The Salesforce side, on simple-salesforce. The only module (with salesforce_oauth) that
talks to Salesforce; it turns SDK exceptions into syncbot's classified errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

import requests
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import (
    SalesforceError,
    SalesforceExpiredSession,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
    SalesforceResourceNotFound,
)

from sync.connectors import salesforce_oauth as oauth
from sync.connectors.describe import to_object_describe, to_object_info
from sync.errors import (
    AccessDenied,
    ApiAllowanceReached,
    AuthRevoked,
    ConfigurationError,
    InvalidQuery,
    NotFoundError,
    SyncbotError,
    TransientError,
)
from sync.ports import DeletedRecord, ObjectDescribe, ObjectInfo, QueryPage, WriteError, WriteResult

log = logging.getLogger(__name__)
T = TypeVar("T")

API_VERSION = "59.0"
COLLECTION_LIMIT = 200  # sObject Collections accept at most 200 records per call
_TRANSIENT_RETRIES = 2


@dataclass
class SalesforceCredentials:
    connection_id: int
    instance_url: str
    access_token: str
    refresh_token: str | None
    login_url: str


TokenListener = Callable[[SalesforceCredentials], None]


class SalesforceConnector:
    """One owner's connection to one org. Refreshes an expired session once per call."""

    def __init__(
        self,
        credentials: SalesforceCredentials,
        app: oauth.SalesforceApp,
        *,
        session: requests.Session,
        api_share: float = 0.25,
        on_tokens: TokenListener | None = None,
        version: str = API_VERSION,
    ) -> None:
        self.credentials = credentials
        self._app = app
        self._session = session
        self.api_share = api_share  # the factory sets the admins' latest before each use
        self.deferred = 0  # calls refused because the share was reached
        self._on_tokens = on_tokens
        self._version = version
        self._client = self._build()
        self.calls = 0
        self.last_usage: tuple[int, int] | None = None  # (used, daily allowance), as reported

    def _build(self) -> Salesforce:
        return Salesforce(
            instance_url=self.credentials.instance_url,
            session_id=self.credentials.access_token,
            session=self._session,
            version=self._version,
        )

    # -- the port ------------------------------------------------------------------
    def describe_global(self) -> list[ObjectInfo]:
        body = self._call(lambda sf: sf.describe()) or {}
        return [to_object_info(o) for o in body.get("sobjects", [])]

    def describe(self, object_name: str) -> ObjectDescribe:
        body = self._call(lambda sf: sf.restful(f"sobjects/{object_name}/describe"))
        return to_object_describe(body or {"name": object_name})

    def query_pages(self, soql: str, *, include_deleted: bool = False) -> Iterator[QueryPage]:
        page = self._call(lambda sf: sf.query(soql, include_deleted=include_deleted))
        total = int(page.get("totalSize", 0))
        while True:
            yield QueryPage(records=page.get("records", []), total_size=total)
            next_url = page.get("nextRecordsUrl")
            if page.get("done", True) or not next_url:
                return
            page = self._call(_more(next_url))

    def create(self, object_name: str, records: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        payload = [{"attributes": {"type": object_name}, **r} for r in records]
        return self._collection("POST", payload)

    def update(self, object_name: str, records: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        payload = [{"attributes": {"type": object_name}, **r} for r in records]
        return self._collection("PATCH", payload)

    def deleted_since(
        self, object_name: str, start: datetime, end: datetime
    ) -> list[DeletedRecord]:
        params = {"start": _iso(start), "end": _iso(end)}
        body = self._call(lambda sf: sf.restful(f"sobjects/{object_name}/deleted/", params=params))
        return [
            DeletedRecord(id=d["id"], deleted_at=_parse(d["deletedDate"]))
            for d in (body or {}).get("deletedRecords", [])
        ]

    def forget_usage(self) -> None:
        """Forget the allowance use the last responses reported, so that a kept connector
        asks again instead of refusing on what an older tick saw (`last_usage` stays)."""
        self.last_usage = self.api_usage() or self.last_usage
        self._client.api_usage = {}

    def api_usage(self) -> tuple[int, int] | None:
        usage = self._client.api_usage.get("api-usage")
        return (usage.used, usage.total) if usage else None

    # -- machinery -----------------------------------------------------------------
    def _collection(self, method: str, payload: list[dict[str, Any]]) -> list[WriteResult]:
        results: list[WriteResult] = []
        for start in range(0, len(payload), COLLECTION_LIMIT):
            chunk = payload[start : start + COLLECTION_LIMIT]
            body = self._call(_collection_call(method, chunk))
            results.extend(_write_result(item) for item in (body or []))
        return results

    def _call(self, fn: Callable[[Salesforce], T]) -> T:
        self._check_allowance()
        refreshed = False
        attempt = 0
        while True:
            try:
                self.calls += 1
                return fn(self._client)
            except SalesforceExpiredSession:
                if refreshed:
                    raise AuthRevoked(
                        "Salesforce keeps refusing the session even after a refresh. "
                        "Reconnect Salesforce to syncbot.",
                        service="salesforce",
                    ) from None
                self._refresh()
                refreshed = True
            except (requests.ConnectionError, requests.Timeout) as exc:
                attempt += 1
                if attempt > _TRANSIENT_RETRIES:
                    raise TransientError(
                        f"Salesforce did not answer ({type(exc).__name__})."
                    ) from exc
                time.sleep(0.2 * attempt)
            except SalesforceError as exc:
                error = classify(exc)
                if not isinstance(error, TransientError) or attempt >= _TRANSIENT_RETRIES:
                    raise error from exc
                attempt += 1
                time.sleep(0.2 * attempt)

    def _refresh(self) -> None:
        if not self.credentials.refresh_token:
            raise AuthRevoked(
                "The Salesforce session expired and there is no refresh token. "
                "Reconnect Salesforce to syncbot.",
                service="salesforce",
            )
        tokens = oauth.refresh(
            self._session, self.credentials.login_url, self._app, self.credentials.refresh_token
        )
        self.credentials = SalesforceCredentials(
            connection_id=self.credentials.connection_id,
            instance_url=tokens.instance_url or self.credentials.instance_url,
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token or self.credentials.refresh_token,
            login_url=self.credentials.login_url,
        )
        self._client = self._build()
        log.info("refreshed Salesforce session for connection %s", self.credentials.connection_id)
        if self._on_tokens is not None:
            self._on_tokens(self.credentials)

    def _check_allowance(self) -> None:
        usage = self.api_usage()
        self.last_usage = usage or self.last_usage
        if usage and usage[1] and usage[0] >= usage[1] * self.api_share:
            self.deferred += 1
            raise ApiAllowanceReached(
                f"syncbot has used {usage[0]:,} of the org's {usage[1]:,} daily API calls, "
                f"its share (SYNC_API_SHARE={self.api_share:g}) is reached; "
                "syncing this object resumes when the allowance allows.",
                retry_after=timedelta(hours=1),
            )


def _more(next_url: str) -> Callable[[Salesforce], Any]:
    return lambda sf: sf.query_more(next_url, identifier_is_url=True)


def _collection_call(method: str, chunk: list[dict[str, Any]]) -> Callable[[Salesforce], Any]:
    body = {"allOrNone": False, "records": chunk}
    return lambda sf: sf.restful("composite/sobjects", method=method, json=body)


def classify(exc: SalesforceError) -> SyncbotError:
    """Map a simple-salesforce exception to syncbot's error, by status and errorCode."""
    error = _classify(exc)
    error.service = "salesforce"
    return error


def _classify(exc: SalesforceError) -> SyncbotError:
    code = _error_code(exc.content)
    message = _error_message(exc.content)
    if isinstance(exc, SalesforceRefusedRequest):
        if code == "REQUEST_LIMIT_EXCEEDED":
            return ApiAllowanceReached(
                "Salesforce says the org's daily API allowance is used up "
                f"({message}); syncing resumes when it is available again."
            )
        if code == "API_DISABLED_FOR_ORG":
            return ConfigurationError(oauth.API_DISABLED, code=code)
        return AccessDenied(f"Salesforce refused the request: {message}", code=code or "forbidden")
    if isinstance(exc, SalesforceMalformedRequest):
        if code in ("INVALID_FIELD", "INVALID_TYPE"):
            return NotFoundError(
                f"Salesforce no longer accepts a field or object this workflow "
                f"uses: {_last_line(message)}",
                code=code,
            )
        return InvalidQuery(
            f"Salesforce rejected the request: {_last_line(message)}", code=code or "bad_request"
        )
    if isinstance(exc, SalesforceResourceNotFound):
        return NotFoundError(f"Salesforce could not find it: {message}", code=code or "not_found")
    status = getattr(exc, "status", 0)
    return TransientError(f"Salesforce answered {status}: {message}", code=code or "transient")


def _error_code(content: Any) -> str:
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return str(content[0].get("errorCode", ""))
    return ""


def _error_message(content: Any) -> str:
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return str(content[0].get("message", ""))
    return str(content)[:200]


def _last_line(message: str) -> str:
    lines = [line for line in message.splitlines() if line.strip()]
    return lines[-1] if lines else message


# Per-record refusals whose Salesforce wording does not tell a sheet user what happened.
_PLAIN = {
    "INSUFFICIENT_ACCESS_OR_READONLY": (
        "you can view this record but not edit it (Salesforce sharing); ask its owner or "
        "an admin for edit access. The sheet keeps your value until then"
    ),
    "INVALID_FIELD_FOR_INSERT_UPDATE": (
        "read-only for your Salesforce user (field-level security): you may see it but not "
        "edit it; ask an admin for edit access or map it “to Smartsheet” only"
    ),
}


def _write_result(item: Mapping[str, Any]) -> WriteResult:
    errors = tuple(
        WriteError(
            code=(code := str(e.get("statusCode") or e.get("errorCode") or "")),
            message=_PLAIN.get(code, str(e.get("message", ""))),
            fields=tuple(e.get("fields") or ()),
        )
        for e in item.get("errors") or ()
    )
    return WriteResult(success=bool(item.get("success")), id=item.get("id"), errors=errors)


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
