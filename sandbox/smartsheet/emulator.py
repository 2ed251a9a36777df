"""A stateful, loopback emulator of the Smartsheet API 2.0 (plain HTTP, paths under /2.0).

Point the real SDK at it with ``smartsheet.Smartsheet(access_token=emulator.token_for(
"owner"), api_base=emulator.api_base)``. The direct-access methods at the bottom stand in
for a person editing a sheet in the browser.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from sandbox.core import Emulator, bearer_token, json_response

from . import columns, errors, rows
from .api import Caller
from .cells import WriteContext
from .model import ACCESS_LEVELS, Sheet, SsUser, can_admin, now_utc, to_second
from .oauth import OAuthApp, TokenStore
from .render import SheetRenderer, View, sheet_json
from .routes_oauth import OAuthRoutes
from .routes_rows import RowRoutes
from .routes_sheets import SheetRoutes
from .seed import build_account, make_sheet

_API = "/2.0"
_ROUTES: list[tuple[str, str, str]] = [
    ("/b/authorize", "GET,POST", "oauth.authorize"),
    (f"{_API}/token", "POST", "token.get"),
    (f"{_API}/token", "DELETE", "token.revoke"),
    (f"{_API}/users/me", "GET", "users.me"),
    (f"{_API}/sheets", "GET", "sheets.list"),
    (f"{_API}/sheets", "POST", "sheets.create"),
    (f"{_API}/sheets/<int:sheet_id>", "GET", "sheets.get"),
    (f"{_API}/sheets/<int:sheet_id>", "DELETE", "sheets.delete"),
    (f"{_API}/sheets/<int:sheet_id>/version", "GET", "sheets.version"),
    (f"{_API}/sheets/<int:sheet_id>/rows", "POST", "rows.add"),
    (f"{_API}/sheets/<int:sheet_id>/rows", "PUT", "rows.update"),
    (f"{_API}/sheets/<int:sheet_id>/rows", "DELETE", "rows.delete"),
    (f"{_API}/sheets/<int:sheet_id>/rows/<int:row_id>", "GET", "rows.get"),
    (f"{_API}/sheets/<int:sheet_id>/columns", "GET", "columns.list"),
    (f"{_API}/sheets/<int:sheet_id>/columns", "POST", "columns.add"),
    (f"{_API}/sheets/<int:sheet_id>/columns/<int:column_id>", "GET", "columns.get"),
    (f"{_API}/sheets/<int:sheet_id>/columns/<int:column_id>", "PUT", "columns.update"),
    (f"{_API}/sheets/<int:sheet_id>/columns/<int:column_id>", "DELETE", "columns.delete"),
    (f"{_API}/sheets/<int:sheet_id>/rows/<int:row_id>/discussions", "POST", "discussions.create"),
    (f"{_API}/sheets/<int:sheet_id>/rows/<int:row_id>/discussions", "GET", "discussions.list"),
    (
        f"{_API}/sheets/<int:sheet_id>/discussions/<int:discussion_id>/comments",
        "POST",
        "comments.add",
    ),
]


class SmartsheetEmulator(OAuthRoutes, SheetRoutes, RowRoutes, Emulator):
    name = "smartsheet"

    def __init__(
        self,
        *,
        seed_size: int = 100,
        seed: int = 11,
        rate_limit_per_minute: int | None = None,
        token_seconds: int = 604799,
    ) -> None:
        self.seed_size = seed_size
        self.seed = seed
        self.rate_limit_per_minute = rate_limit_per_minute
        self.token_seconds = token_seconds
        self.base_url = ""
        self.clock: Callable[[], datetime] = now_utc
        super().__init__()
        self._build()

    @property
    def api_base(self) -> str:
        return self.base_url + _API

    def rules(self) -> Iterable[Rule]:
        for path, methods, endpoint in _ROUTES:
            yield Rule(path, methods=methods.split(","), endpoint=endpoint)

    def _build(self) -> None:
        account = build_account(seed=self.seed, seed_size=self.seed_size, now=self.clock())
        self.ids = account.ids
        self.users: dict[str, SsUser] = account.users
        self.sheets: dict[int, Sheet] = {s.id: s for s in account.sheets}
        self.oauth_app: OAuthApp = account.app
        self.account_id = self.ids.next()
        self.tokens = TokenStore(self.ids, lambda: self.clock(), self.token_seconds)
        self._personal = {alias: self.tokens.personal(alias) for alias in self.users}
        self._hits: dict[str, deque[datetime]] = {}

    # -- public knobs -------------------------------------------------------------------
    @property
    def client_id(self) -> str:
        return self.oauth_app.client_id

    @property
    def client_secret(self) -> str:
        return self.oauth_app.client_secret

    def token_for(self, alias: str) -> str:
        """A personal access token of a seeded user (never expires unless told to)."""
        return self._personal[alias]

    def expire_token(self, token: str) -> None:
        with self.lock:
            self.tokens.tokens[token].expired = True

    def revoke_token(self, token: str) -> None:
        with self.lock:
            self.tokens.revoke(token, all_for_client=False)

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self.clock = now_utc
            self._build()

    # -- plumbing shared by the routes --------------------------------------------------
    def moment(self) -> datetime:
        return to_second(self.clock())

    def authenticate(self, request: Request, scope: str | None) -> Caller:
        token = bearer_token(request)
        info = self.tokens.user_for(token)
        assert token is not None
        self._count_against_limit(token)
        if scope is not None and scope not in info.scopes:
            raise errors.not_authorized()
        return Caller(self.users[info.alias], token)

    def _count_against_limit(self, token: str) -> None:
        """At most ``rate_limit_per_minute`` calls per token in any 60 s (real: 300)."""
        if not self.rate_limit_per_minute:
            return
        now = self.clock()
        window = self._hits.setdefault(token, deque())
        while window and now - window[0] >= timedelta(minutes=1):
            window.popleft()
        if len(window) >= self.rate_limit_per_minute:
            raise errors.rate_limited()
        window.append(now)

    def api_error(self, exc: errors.ApiError) -> Response:
        return json_response(exc.body(), exc.status)

    def error_response(self, status: int, body: Any = None) -> Response:
        return json_response(body if body is not None else errors.for_status(status).body(), status)

    def not_found(self, request: Request) -> Response:
        return self.api_error(errors.not_found())

    # -- direct access for tests (a person using the web app) ---------------------------
    def find_sheet(self, name: str) -> int:
        with self.lock:
            return next(s.id for s in self.sheets.values() if s.name == name)

    def sheet(
        self, sheet_id: int, *, include: Iterable[str] = (), level: int = 0
    ) -> dict[str, Any]:
        """The whole sheet as its owner gets it from ``GET /sheets/{id}``."""
        with self.lock:
            sheet = self.sheets[sheet_id]
            view = View(include=frozenset(include), level=level)
            return sheet_json(sheet, sheet.owner, view, sheet.rows, self.users)

    def sheet_rows(
        self, sheet_id: int, *, include: Iterable[str] = (), level: int = 0
    ) -> list[dict[str, Any]]:
        """The sheet's rows as ``GET /sheets/{id}`` returns them (same include/level)."""
        with self.lock:
            sheet = self.sheets[sheet_id]
            view = View(include=frozenset(include), level=level)
            return SheetRenderer(sheet, self.users, view).rows(sheet.rows)

    def edit_cells(
        self, sheet_id: int, row_id: int, values: dict[str, Any], *, as_user: str = "owner"
    ) -> None:
        """Change cells by column title; bumps version, modifiedAt and modifiedBy."""
        with self.lock:
            sheet = self.sheets[sheet_id]
            raw = {"id": row_id, "cells": _cells_by_title(sheet, values)}
            job = self.row_job(sheet, as_user, adding=False, in_browser=True)
            rows.update_rows(job, [raw], partial=False)
            sheet.touch(job.moment)

    def add_row(self, sheet_id: int, values: dict[str, Any], *, as_user: str = "owner") -> int:
        with self.lock:
            sheet = self.sheets[sheet_id]
            job = self.row_job(sheet, as_user, adding=True, in_browser=True)
            outcome = rows.add_rows(job, [{"cells": _cells_by_title(sheet, values)}], partial=False)
            sheet.touch(job.moment)
            return outcome.rows[0].id

    def delete_row(self, sheet_id: int, row_id: int) -> None:
        with self.lock:
            sheet = self.sheets[sheet_id]
            rows.delete_rows(sheet, [row_id], ignore_missing=False)
            sheet.touch(self.moment())

    def create_sheet(
        self, name: str, columns: list[dict[str, Any]], *, owner: str = "owner"
    ) -> int:
        with self.lock:
            sheet = make_sheet(self.ids, name, columns, owner, self.moment())
            self.sheets[sheet.id] = sheet
            return sheet.id

    def lock_column(self, sheet_id: int, title: str, locked: bool = True) -> None:
        """The owner locks (or unlocks) a column in the web app."""
        with self.lock:
            sheet = self.sheets[sheet_id]
            column = sheet.column_titled(title)
            if column is None:
                raise KeyError(f"no column titled {title!r} in {sheet.name!r}")
            column.locked = locked
            sheet.touch(self.moment())

    def lock_row(self, sheet_id: int, row_id: int, locked: bool = True) -> None:
        with self.lock:
            sheet = self.sheets[sheet_id]
            row = sheet.row(row_id)
            if row is None:
                raise KeyError(f"no row {row_id} in {sheet.name!r}")
            row.locked = locked
            row.modified_at = self.moment()
            sheet.touch(row.modified_at)

    def set_column(self, sheet_id: int, title: str, **attributes: Any) -> None:
        """Change a column as its owner would (``formula=``, ``options=``, ``validation=``)."""
        with self.lock:
            sheet = self.sheets[sheet_id]
            column = sheet.column_titled(title)
            if column is None:
                raise KeyError(f"no column titled {title!r} in {sheet.name!r}")
            columns.update_column(sheet, column, {"type": column.type, **attributes})
            sheet.touch(self.moment())

    def delete_sheet(self, sheet_id: int) -> None:
        """The owner deletes the sheet in the web app (it goes to Deleted Items)."""
        with self.lock:
            del self.sheets[sheet_id]

    def share(self, sheet_id: int, alias: str, access_level: str) -> None:
        if access_level not in ACCESS_LEVELS or access_level == "OWNER":
            raise ValueError(f"unknown access level {access_level!r}")
        with self.lock:
            self.sheets[sheet_id].shares[alias] = access_level

    def unshare(self, sheet_id: int, alias: str) -> None:
        with self.lock:
            self.sheets[sheet_id].shares.pop(alias, None)

    def row_job(
        self, sheet: Sheet, alias: str, *, adding: bool, in_browser: bool = False
    ) -> rows.RowWrite:
        """Context for a row write; only sheet admins may override validation (and nobody
        can from the web app)."""
        directory = {u.email.lower(): u for u in self.users.values()}
        may_unlock = can_admin(sheet.access_level(alias))
        admin = may_unlock and not in_browser
        context = WriteContext(directory, admin, adding, may_edit_locked=may_unlock)
        return rows.RowWrite(sheet, alias, self.moment(), context, self.ids)


def _cells_by_title(sheet: Sheet, values: dict[str, Any]) -> list[dict[str, Any]]:
    """Web-app style input: lists fill MULTI_* columns, dicts are objectValues."""
    cells = []
    for title, value in values.items():
        column = sheet.column_titled(title)
        if column is None:
            raise KeyError(f"no column titled {title!r} in {sheet.name!r}")
        cell: dict[str, Any] = {"columnId": column.id, "strict": False}
        if isinstance(value, list) and column.type == "MULTI_CONTACT_LIST":
            cell["objectValue"] = {
                "objectType": "MULTI_CONTACT",
                "values": [{"objectType": "CONTACT", "email": email} for email in value],
            }
        elif isinstance(value, list):
            cell["objectValue"] = {"objectType": "MULTI_PICKLIST", "values": value}
        elif isinstance(value, dict):
            cell["objectValue"] = value
        else:
            cell["value"] = value
        cells.append(cell)
    return cells
