"""The Smartsheet side, on smartsheet-python-sdk. The only importer of `smartsheet`.

The SDK is built once per connection with an explicit token and api_base, our user agent,
and errors raised as exceptions (its default is to *return* Error objects). The SDK
retries 4001-4004 itself (rate limit, maintenance, timeouts) for up to `max_retry_time`
seconds; plain 5xx and network errors get a few retries here.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import requests
import smartsheet
from smartsheet.exceptions import ApiError, HttpError, UnexpectedRequestError
from smartsheet.models import JSONObject
from smartsheet.util import fresh_operation

from sync.budget import RateBudget, token_key
from sync.errors import (
    AccessDenied,
    AuthRevoked,
    ConfigurationError,
    NotFoundError,
    SyncbotError,
    TransientError,
)
from sync.model import Cell, CellWrite, ColumnType, SheetColumn
from sync.ports import (
    BulkRowResult,
    EncodedRows,
    NewColumn,
    NewRow,
    RowsRead,
    RowUpdate,
    RowWriteResult,
    SheetInfo,
    SheetRow,
    WriteError,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

ROW_LIMIT = 500  # rows per add/update request
LIST_PAGE = 1000  # sheets per listing page: an idle connection needs one page
DELETE_CHUNK = 100  # ids per delete request (they travel in the URL)
USER_AGENT = "syncbot/0.1"
_AUTH_CODES = {1001, 1002, 1003, 1004}
_COLUMN_REFUSALS = {1039, 1302}  # "Cannot edit a locked column", "... column formula cells"


@dataclass
class SmartsheetCredentials:
    connection_id: int
    access_token: str
    refresh_token: str | None


@dataclass(frozen=True)
class SmartsheetApp:
    client_id: str
    client_secret: str


TokenListener = Callable[[SmartsheetCredentials], None]


def smartsheet_account(token: str, api_base: str) -> str:
    """Whose account a token opens (one `GET /users/me`); raises the classified error."""
    client = make_client(token, api_base, max_retry_time=5)
    try:
        me = _dict(client.Users.get_current_user())
    except ApiError as exc:
        raise classify(*_error_parts(exc)) from exc
    return str(me.get("email") or me.get("id") or "?")


class _SdkLogFilter(logging.Filter):
    """The SDK logs every error response at ERROR (with its body) even when its own retry
    then succeeds, and we classify and report errors ourselves: keep its DEBUG narration
    for --verbose, turn its retry notice into one INFO line of ours, drop the rest."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG:
            return True
        if str(record.msg).startswith("HttpError status_code=") and len(record.args or ()) == 2:
            status, wait = record.args  # type: ignore[misc]
            log.info("Smartsheet answered HTTP %s; retrying in %.1f s", status, wait)
        return False


def _quiet_sdk_log() -> None:
    sdk = logging.getLogger("smartsheet.smartsheet")
    if not any(isinstance(f, _SdkLogFilter) for f in sdk.filters):
        sdk.addFilter(_SdkLogFilter())


def _log_command(operation: Any, response: Any) -> None:
    sdk = logging.getLogger("smartsheet.smartsheet")
    if sdk.isEnabledFor(logging.DEBUG):
        sdk.debug(
            '{"request": {"command": "%s %s"}, "statusCode": %d}',
            response.request.method,
            response.request.url,
            response.status_code,
        )


def make_client(
    token: str, api_base: str, *, max_retry_time: float = 30, ca_bundle: Path | None = None
) -> smartsheet.Smartsheet:
    client = smartsheet.Smartsheet(
        access_token=token, api_base=api_base, user_agent=USER_AGENT, max_retry_time=max_retry_time
    )
    client.errors_as_exceptions(True)
    _quiet_sdk_log()
    # The SDK's request logger parses and re-serialises (sorted) every request and response
    # body before the logger even looks at its level: for a 500-row add that is most of
    # the call's CPU. Ours logs the command only, and only when DEBUG is on.
    client._log_request = _log_command
    if ca_bundle is not None:  # the SDK pins certifi and ignores REQUESTS_CA_BUNDLE
        client._session.verify = str(ca_bundle)
    return client


class SmartsheetConnector:
    def __init__(
        self,
        credentials: SmartsheetCredentials,
        app: SmartsheetApp,
        *,
        api_base: str,
        on_tokens: TokenListener | None = None,
        max_retry_time: float = 30,
        budget: RateBudget | None = None,
    ) -> None:
        self.credentials = credentials
        self._budget = budget
        self._app = app
        self._api_base = api_base
        self._on_tokens = on_tokens
        self._max_retry_time = max_retry_time
        self._client = make_client(
            credentials.access_token, api_base, max_retry_time=max_retry_time
        )
        self.calls = 0

    @property
    def budget_key(self) -> str:
        """Smartsheet counts per token: connections holding the same one share a budget."""
        return token_key("smartsheet", self.credentials.access_token)

    @property
    def http_session(self) -> requests.Session:
        """The SDK client's own `requests` session (for response hooks)."""
        session: requests.Session = self._client._session
        return session

    # -- the port ------------------------------------------------------------------
    def list_sheets(self) -> list[SheetInfo]:
        result = self._call(
            lambda c: c.Sheets.list_sheets(include="sheetVersion", include_all=True)
        )
        return [
            SheetInfo(
                id=int(s["id"]),
                name=s.get("name", ""),
                version=int(s.get("version") or 0),
                access_level=str(s.get("accessLevel", "")),
                columns=(),
            )
            for s in _dict(result).get("data", [])
        ]

    def sheet_info(self, sheet_id: int) -> SheetInfo:
        params = {"pageSize": "1", "page": "1", "level": "2"}  # the columns, one row at most
        sheet = _dict(self._call(lambda c: c.Passthrough.get(f"/sheets/{sheet_id}", params)))
        return _sheet_info(sheet)

    def sheet_version(self, sheet_id: int) -> int:
        return int(_dict(self._call(lambda c: c.Sheets.get_sheet_version(sheet_id)))["version"])

    def sheets_modified_since(self, since: datetime) -> dict[int, int]:
        params = {
            "include": "sheetVersion",
            "modifiedSince": _iso(since),
            "pageSize": str(LIST_PAGE),
        }
        versions: dict[int, int] = {}
        page, pages = 1, 1
        while page <= pages:
            # Passthrough, as in read_rows: the SDK's models cost more than the call here
            body = _dict(
                self._call(
                    lambda c, number=page: c.Passthrough.get(  # type: ignore[misc]
                        "/sheets", {**params, "page": str(number)}
                    )
                )
            )
            data = body.get("data") or []
            versions.update({int(s["id"]): int(s.get("version") or 0) for s in data})
            pages, page = int(body.get("totalPages") or 0), page + 1
        return versions

    def read_rows(
        self, sheet_id: int, column_ids: Sequence[int], modified_since: datetime | None = None
    ) -> RowsRead:
        params = {
            "include": "objectValue,rowWriterInfo",
            "exclude": "nonexistentCells",
            "columnIds": ",".join(str(i) for i in column_ids),
            "level": "2",
        }
        if modified_since is not None:
            params["rowsModifiedSince"] = _iso(modified_since)
        # Passthrough keeps the SDK's auth, retries and errors but skips its model layer,
        # which costs seconds per thousand rows (see bench/).
        sheet = _dict(self._call(lambda c: c.Passthrough.get(f"/sheets/{sheet_id}", params)))
        return RowsRead(
            rows=[_row(r) for r in sheet.get("rows", [])],
            version=int(sheet.get("version") or 0),
            total_row_count=int(sheet.get("totalRowCount") or 0),
        )

    def encode_rows(self, rows: Sequence[NewRow]) -> EncodedRows:
        """Each request's JSON made here, on the preparing thread, and its call counted:
        the sending thread of a backfill is its critical path."""
        payloads = [{"toBottom": True, "cells": _cells(r.cells, new=True)} for r in rows]
        parts = [
            payloads[start : start + ROW_LIMIT] for start in range(0, len(payloads), ROW_LIMIT)
        ]
        chunks = [_Chunk(_json_bytes(part), len(part)) for part in parts]
        for _ in chunks:
            self._take_budget()
        return EncodedRows(chunks, prepaid=len(chunks))

    def add_rows(self, sheet_id: int, rows: Sequence[NewRow] | EncodedRows) -> BulkRowResult:
        encoded = rows if isinstance(rows, EncodedRows) else self.encode_rows(rows)
        path, params = f"/sheets/{sheet_id}/rows", {"allowPartialSuccess": "true"}
        return self._send_chunks(
            [(chunk.body, chunk.rows) for chunk in encoded.payloads],
            lambda c, body: _post_json(c, path, body, params),
            prepaid=encoded.prepaid,
        )

    def update_rows(self, sheet_id: int, rows: Sequence[RowUpdate]) -> BulkRowResult:
        payloads = [{"id": r.row_id, "cells": _cells(r.cells)} for r in rows]
        return self._bulk(
            payloads,
            lambda c, chunk: c.Passthrough.put(
                f"/sheets/{sheet_id}/rows", _json_body(chunk), {"allowPartialSuccess": "true"}
            ),
        )

    def delete_rows(self, sheet_id: int, row_ids: Sequence[int]) -> None:
        for start in range(0, len(row_ids), DELETE_CHUNK):
            chunk = list(row_ids[start : start + DELETE_CHUNK])
            self._call(
                lambda c, ids=chunk: c.Sheets.delete_rows(
                    sheet_id,
                    ids,  # type: ignore[misc]
                    ignore_rows_not_found=True,
                )
            )

    def add_columns(self, sheet_id: int, columns: Sequence[NewColumn]) -> list[SheetColumn]:
        # the API wants an index; read the sheet for it only when the caller did not say
        last = None
        if any(column.index is None for column in columns):
            last = len(self.sheet_info(sheet_id).columns)
        models = []
        for offset, column in enumerate(columns):
            props: dict[str, Any] = {
                "title": column.title,
                "type": column.type,
                "index": column.index if column.index is not None else (last or 0) + offset,
                **column.extra,
            }
            if column.options:
                props["options"] = list(column.options)
            models.append(smartsheet.models.Column(props))
        result = _dict(self._call(lambda c: c.Sheets.add_columns(sheet_id, models)))
        added = result.get("result", [])
        return [_column(c) for c in (added if isinstance(added, list) else [added])]

    def create_sheet(self, name: str, columns: Sequence[NewColumn]) -> SheetInfo:
        """A new sheet in the user's Sheets; the first column is the primary one."""
        models = []
        for index, column in enumerate(columns):
            props: dict[str, Any] = {"title": column.title, "type": column.type, **column.extra}
            if index == 0:
                props["primary"], props["type"] = True, "TEXT_NUMBER"
            if column.options:
                props["options"] = list(column.options)
            models.append(smartsheet.models.Column(props))
        sheet = smartsheet.models.Sheet({"name": name, "columns": models})
        # The SDK marks Home.create_sheet deprecated, yet it is its only call of POST /sheets
        # (a sheet in the user's Sheets), which the API still documents. Its decorator resets
        # the process-wide warning filters on every call, so the undecorated function is used.
        create = type(self._client.Home).create_sheet.__wrapped__
        result = _dict(self._call(lambda c: create(c.Home, sheet)))
        return _sheet_info(result["result"])

    # -- machinery -----------------------------------------------------------------
    def _bulk(
        self, payloads: list[dict[str, Any]], send: Callable[[Any, list[dict[str, Any]]], Any]
    ) -> BulkRowResult:
        parts = [payloads[i : i + ROW_LIMIT] for i in range(0, len(payloads), ROW_LIMIT)]
        return self._send_chunks([(part, len(part)) for part in parts], send)

    def _send_chunks(
        self, chunks: Sequence[tuple[Any, int]], send: Callable[[Any, Any], Any], prepaid: int = 0
    ) -> BulkRowResult:
        """One request per (body, rows in it); the first `prepaid` were counted already."""
        results: list[RowWriteResult] = []
        version: int | None = None
        for index, (part, size) in enumerate(chunks):
            body = _dict(
                self._call(lambda c, part=part: send(c, part), prepaid=index < prepaid)  # type: ignore[misc]
            )
            _raise_column_refusal(body)
            results.extend(_bulk_results(body, size))
            version = int(body["version"]) if body.get("version") is not None else version
        return BulkRowResult(results=results, version=version)

    def _call(self, fn: Callable[[Any], T], prepaid: bool = False) -> T:
        """`prepaid`: the first attempt was counted already (encode_rows)."""
        refreshed = False
        attempt = 0
        while True:
            if not prepaid:  # before every request, retries included
                self._take_budget()
            prepaid = False
            try:
                self.calls += 1
                return fn(self._client)
            except ApiError as exc:
                code, status, message = _error_parts(exc)
                if code in (1002, 1003) and not refreshed and self.credentials.refresh_token:
                    self._refresh()
                    refreshed = True
                    continue
                error = classify(code, status, message)
                if isinstance(error, TransientError) and attempt < 2:
                    attempt += 1
                    time.sleep(0.2 * attempt)
                    continue
                raise error from exc
            except (HttpError, UnexpectedRequestError) as exc:
                attempt += 1
                if attempt > 2:
                    raise TransientError(
                        f"Smartsheet did not answer properly ({exc!r:.120})."
                    ) from exc
                time.sleep(0.2 * attempt)

    def _take_budget(self) -> None:
        if self._budget is not None:
            self._budget.take(self.budget_key, self.credentials.connection_id)

    def _refresh(self) -> None:
        refresh_token = self.credentials.refresh_token or ""
        digest = hashlib.sha256(f"{self._app.client_secret}|{refresh_token}".encode()).hexdigest()
        try:
            token = self._client.Token.refresh_access_token(
                self._app.client_id, refresh_token, digest
            )
        except (ApiError, HttpError, UnexpectedRequestError) as exc:
            raise AuthRevoked(
                "Smartsheet refused the saved sign-in. Reconnect Smartsheet to syncbot.",
                service="smartsheet",
            ) from exc
        self.credentials = SmartsheetCredentials(
            connection_id=self.credentials.connection_id,
            access_token=token.access_token,
            refresh_token=token.refresh_token or refresh_token,
        )
        hooks = self.http_session.hooks
        self._client = make_client(
            self.credentials.access_token, self._api_base, max_retry_time=self._max_retry_time
        )
        self.http_session.hooks = hooks  # keep the runtime's call counting across a refresh
        log.info("refreshed Smartsheet token for connection %s", self.credentials.connection_id)
        if self._on_tokens is not None:
            self._on_tokens(self.credentials)


def classify(code: int, status: int, message: str) -> SyncbotError:
    error = _classify(code, status, message)
    error.service = "smartsheet"
    return error


def _classify(code: int, status: int, message: str) -> SyncbotError:
    if code in (1001, 1002, 1003) or status == 401:
        return AuthRevoked(
            "Smartsheet no longer accepts the saved sign-in. Reconnect Smartsheet to syncbot.",
            code=str(code),
        )
    if code in _COLUMN_REFUSALS:
        return ConfigurationError(
            f"Smartsheet will not let syncbot write a column it syncs to: {message} "
            "(a locked column, or one computed by a column formula).",
            code=str(code),
        )
    if code == 1004 or status == 403:
        return AccessDenied(
            f"Smartsheet says you may not do this on the sheet (you need Editor access): {message}",
            code=str(code),
        )
    if code == 1006 or status == 404:
        return NotFoundError(f"Smartsheet could not find it: {message}", code=str(code))
    if status == 429 or status >= 500 or code >= 4000 or not (code or status):
        # no errorCode (a reset connection, a proxy's page): say what is known, invent none
        detail = (
            f"{code}: {message}" if code else f"HTTP {status}: {message}" if status else message
        )
        return TransientError(
            f"Smartsheet is busy or unavailable ({detail}).", code=str(code or "transient")
        )
    return ConfigurationError(
        f"Smartsheet rejected the request ({code}: {message}).", code=str(code)
    )


def _raise_column_refusal(body: Mapping[str, Any]) -> None:
    """A locked column (1039) or a column formula (1302) refuses every row that writes it:
    that is the workflow's problem, reported once, not an error on each row."""
    for failed in body.get("failedItems") or ():
        error = failed.get("error") or {}
        code = int(error.get("errorCode") or 0)
        if code in _COLUMN_REFUSALS:
            raise classify(code, 400, str(error.get("message", "")))


def _error_parts(exc: ApiError) -> tuple[int, int, str]:
    result = getattr(exc.error, "result", None)
    code = int(getattr(result, "code", 0) or 0)
    status = int(getattr(result, "status_code", 0) or 0)
    message = str(getattr(result, "message", "") or exc.message or "")
    return code, status, message


@dataclass(frozen=True)
class _Chunk:
    """One add request's body, encoded, and how many rows it holds."""

    body: bytes
    rows: int


def _json_bytes(items: list[dict[str, Any]]) -> bytes:
    # as requests encodes json= bodies (no NaN), without the spaces
    return json.dumps(items, separators=(",", ":"), allow_nan=False).encode()


def _post_json(client: Any, path: str, body: bytes, params: dict[str, str]) -> Any:
    """Passthrough.post with a body encoded beforehand: the SDK's own request path (auth,
    retries, errors as exceptions), its operation filled as Passthrough fills it, the JSON
    as data instead of a payload it would encode on the sending thread."""
    operation = fresh_operation("post_passthrough")
    operation.update(method="POST", path=path, form_data=body, query_params=dict(params))
    operation["headers"]["Content-Type"] = "application/json"
    prepared = client.prepare_request(operation)
    return client.request(prepared, "JSONObject", operation)


def _json_body(items: list[dict[str, Any]]) -> JSONObject:
    """A JSON array body for Passthrough as it is. Given a string, Passthrough parses it back
    (its JSONObject takes only a dict or a string), then requests serialises it again."""
    body = JSONObject()
    body._data = items
    return body


def _dict(model: Any) -> dict[str, Any]:
    if isinstance(model, dict):
        return model
    data = model.to_dict()
    return data if isinstance(data, dict) else {}


def _sheet_info(sheet: Mapping[str, Any]) -> SheetInfo:
    return SheetInfo(
        id=int(sheet["id"]),
        name=str(sheet.get("name", "")),
        version=int(sheet.get("version") or 0),
        access_level=str(sheet.get("accessLevel", "")),
        columns=tuple(_column(c) for c in sheet.get("columns", [])),
        total_row_count=int(sheet.get("totalRowCount") or 0),
    )


def _column(column: Mapping[str, Any]) -> SheetColumn:
    try:
        kind = ColumnType(column.get("type", "TEXT_NUMBER"))
    except ValueError:
        kind = ColumnType.TEXT_NUMBER
    return SheetColumn(
        id=int(column["id"]),
        title=str(column.get("title", "")),
        type=kind,
        primary=bool(column.get("primary")),
        options=tuple(column.get("options") or ()),
        validation=bool(column.get("validation")),
        locked_for_user=bool(column.get("lockedForUser")),
        formula=column.get("formula") or None,
    )


def _row(row: Mapping[str, Any]) -> SheetRow:
    cells = {
        int(c["columnId"]): Cell(
            value=c.get("value"),
            display_value=c.get("displayValue"),
            object_value=c.get("objectValue"),
        )
        for c in row.get("cells", [])
        if "columnId" in c
    }
    modified_by = row.get("modifiedBy") or {}
    return SheetRow(
        id=int(row["id"]),
        modified_at=_parse(row.get("modifiedAt")),
        cells=cells,
        modified_by=modified_by.get("email") if isinstance(modified_by, dict) else None,
    )


def _object_value(value: Any) -> dict[str, Any] | None:
    """Typed objects only; for plain cells objectValue repeats the primitive value."""
    return value if isinstance(value, dict) else None


def _cells(cells: Mapping[int, CellWrite], new: bool = False) -> list[dict[str, Any]]:
    """The API's cell objects. `strict` is sent only when false (true is the API's
    default); a new row leaves out its empty cells (nothing to clear): less to encode
    and for Smartsheet to parse, 20,000 rows at a time."""
    out = []
    for column_id, write in cells.items():
        if write.object_value is not None:
            cell: dict[str, Any] = {"columnId": column_id, "objectValue": write.object_value}
        elif write.value is None or write.value == "":
            if new:
                continue
            cell = {"columnId": column_id, "value": ""}
        else:
            cell = {"columnId": column_id, "value": write.value}
        if not write.strict:
            cell["strict"] = False
        out.append(cell)
    return out


def _bulk_results(body: Mapping[str, Any], size: int) -> list[RowWriteResult]:
    failed = {int(f.get("index", -1)): f for f in body.get("failedItems") or ()}
    ok = iter(body.get("result") or ())
    results = []
    for index in range(size):
        if index in failed:
            error = failed[index].get("error") or {}
            results.append(
                RowWriteResult(
                    row_id=failed[index].get("rowId"),
                    error=WriteError(
                        code=str(error.get("errorCode", "")), message=str(error.get("message", ""))
                    ),
                )
            )
        else:
            row = next(ok, None)
            results.append(RowWriteResult(row_id=int(row["id"]) if row else None))
    return results


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not value:
        return None
    text = str(value)
    if text.endswith("Z"):
        # the SDK's to_dict() may append "Z" to an isoformat() that already has an offset
        text = text[:-1] if ("+" in text[10:] or text[10:].count("-")) else text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
