"""SalesforceEmulator: the routing table, Salesforce's error forms, and the public test API.

State lives in ``state.OrgState``; handlers in mixins by area (``oauth``, ``rest``,
``rows``, ``composite``, ``replication``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from sandbox.core import json_response

from .composite import CollectionRoutes
from .errors import SfError, entity_deleted, fault_body, not_found
from .hosts import wrong_host
from .oauth import OAuthRoutes, oauth_error
from .payload import read_fields
from .replication import ReplicationRoutes
from .timefmt import format_datetime
from .users import SfUser
from .validation import validate_save

DATA = "/services/data/<version>"


class SalesforceEmulator(OAuthRoutes, CollectionRoutes, ReplicationRoutes):
    """A Salesforce org (login host and instance in one) for the real simple-salesforce."""

    name = "salesforce"

    def __init__(
        self,
        *,
        seed_size: int = 300,
        seed: int = 7,
        api_daily_max: int = 15000,
        session_seconds: int = 7200,
    ) -> None:
        # error_response() has no request; the path it needs is kept per thread.
        self._local = threading.local()
        super().__init__(
            seed_size=seed_size,
            seed=seed,
            api_daily_max=api_daily_max,
            session_seconds=session_seconds,
        )

    # -- routing ------------------------------------------------------------------------------
    def rules(self) -> Iterable[Rule]:
        get, post = ["GET"], ["POST"]
        return [
            Rule("/services/oauth2/authorize", endpoint="oauth.authorize", methods=get + post),
            Rule("/services/oauth2/token", endpoint="oauth.token", methods=post),
            Rule("/services/oauth2/revoke", endpoint="oauth.revoke", methods=get + post),
            Rule("/id/<org_id>/<user_id>", endpoint="identity", methods=get),
            Rule("/services/oauth2/userinfo", endpoint="userinfo", methods=get + post),
            Rule("/services/data", endpoint="versions", methods=get),
            Rule(f"{DATA}/", endpoint="resources", methods=get),
            Rule(f"{DATA}/sobjects", endpoint="describe.global", methods=get),
            Rule(f"{DATA}/sobjects/<obj>", endpoint="describe.basic", methods=get),
            Rule(f"{DATA}/sobjects/<obj>", endpoint="sobject.create", methods=post),
            Rule(f"{DATA}/sobjects/<obj>/describe", endpoint="describe", methods=get),
            Rule(f"{DATA}/sobjects/<obj>/updated", endpoint="updated", methods=get),
            Rule(f"{DATA}/sobjects/<obj>/deleted", endpoint="deleted", methods=get),
            Rule(f"{DATA}/sobjects/<obj>/<record_id>", endpoint="sobject.get", methods=get),
            Rule(
                f"{DATA}/sobjects/<obj>/<record_id>", endpoint="sobject.update", methods=["PATCH"]
            ),
            Rule(
                f"{DATA}/sobjects/<obj>/<record_id>", endpoint="sobject.delete", methods=["DELETE"]
            ),
            Rule(f"{DATA}/query", endpoint="query", methods=get),
            Rule(f"{DATA}/query/<locator>", endpoint="query.more", methods=get),
            Rule(f"{DATA}/queryAll", endpoint="query.all", methods=get),
            Rule(f"{DATA}/queryAll/<locator>", endpoint="query.more", methods=get),
            Rule(f"{DATA}/composite/sobjects", endpoint="collections.create", methods=post),
            Rule(f"{DATA}/composite/sobjects", endpoint="collections.update", methods=["PATCH"]),
            Rule(f"{DATA}/composite/sobjects", endpoint="collections.delete", methods=["DELETE"]),
            Rule(f"{DATA}/limits", endpoint="limits", methods=get),
        ]

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        # The path picks the error form of injected faults: OAuth's or the REST list.
        self._local.path = environ.get("PATH_INFO", "")
        return super().__call__(environ, start_response)

    def _handle(self, request: Request) -> Response:
        refused = wrong_host(request, self.login_url, self.base_url)
        if refused is not None:
            return self._finish(request, "wrong_host", refused)
        return super()._handle(request)

    # -- error forms and headers ----------------------------------------------------------------
    def error_response(self, status: int, body: Any = None) -> Response:
        path = getattr(self._local, "path", "")
        if path.startswith("/services/oauth2"):
            if isinstance(body, dict):
                return json_response(body, status)
            return oauth_error(
                "server_error" if status >= 500 else "invalid_request",
                body if isinstance(body, str) else f"HTTP {status}",
                status,
            )
        response = json_response(fault_body(status, body), status)
        if path.startswith("/services/data"):
            response.headers["Sforce-Limit-Info"] = self.limit_info()
        return response

    def not_found(self, request: Request) -> Response:
        return not_found().response()

    def decorate(self, request: Request, response: Response) -> Response:
        if request.path.startswith("/services/data"):
            response.headers["Sforce-Limit-Info"] = self.limit_info()
        return response

    # -- public test API ------------------------------------------------------------------
    def issue_tokens(self, alias: str, *, refresh: bool = True) -> dict[str, Any]:
        scope = "refresh_token api id" if refresh else "api id"
        with self.lock:
            now = self.clock()
            refresh_token = self.tokens.new_refresh(alias, scope) if refresh else None
            access = self.tokens.new_access(alias, scope, now, refresh_token)
            return self.token_body(alias, scope, access, refresh_token, now)

    def expire_token(self, token: str) -> None:
        with self.lock:
            self.tokens.expire(token)

    def revoke_token(self, token: str) -> None:
        with self.lock:
            self.tokens.revoke(token)

    def set_api_usage(self, used: int, maximum: int | None = None) -> None:
        with self.lock:
            self.api_used = used
            if maximum is not None:
                self.api_daily_max = maximum

    def hide_fields(self, alias: str, *fields: tuple[str, str]) -> None:
        """An admin takes field-level access away from a user's profile (until reset)."""
        with self.lock:
            user = self.users[alias]
            self.users[alias] = replace(user, hidden_fields=user.hidden_fields | set(fields))

    def make_read_only(self, alias: str, *fields: tuple[str, str]) -> None:
        """An admin leaves a user Read Access but takes Edit Access away (until reset)."""
        with self.lock:
            user = self.users[alias]
            self.users[alias] = replace(user, read_only_fields=user.read_only_fields | set(fields))

    def set_api_access(self, enabled: bool) -> None:
        """Switch the org to an edition without API access (every REST call then answers 403
        API_DISABLED_FOR_ORG) and back; reset turns it on again."""
        with self.lock:
            self.api_enabled = enabled

    # -- the recycle bin ------------------------------------------------------------------
    def purge(self, object_name: str, record_id: str) -> None:
        """Hard-delete a record, or empty it from the recycle bin if it is already there."""
        with self.lock:
            current = self._existing(object_name, record_id)
            if not current.get("IsDeleted"):
                self.store.soft_delete(
                    object_name, current["Id"], self.users["admin"].id, self.clock()
                )
            self.store.purge(object_name, current["Id"], self.clock())

    def empty_recycle_bin(self, object_name: str | None = None) -> list[str]:
        """Purge every deleted record (of one object, or all); returns their ids."""
        with self.lock:
            names = [object_name] if object_name else list(self.catalog)
            purged = []
            for name in names:
                for row in list(self.store.rows(name, include_deleted=True)):
                    if row.get("IsDeleted"):
                        self.store.purge(name, row["Id"], self.clock())
                        purged.append(str(row["Id"]))
            return purged

    def undelete(self, object_name: str, record_id: str) -> None:
        """Restore a record from the recycle bin (as an admin would from Setup)."""
        with self.lock:
            current = self.store.find(object_name, record_id)
            if current is None:  # purged, or never existed: nothing to restore
                raise SfError(400, "INVALID_ID_FIELD", "invalid record id", [])
            if not current.get("IsDeleted"):
                raise SfError(400, "UNDELETE_FAILED", "Entity is not in the recycle bin", [])
            self.store.undelete(object_name, current["Id"], self.users["admin"].id, self.clock())

    def _existing(self, object_name: str, record_id: str) -> dict[str, Any]:
        current = self.store.find(object_name, record_id)
        if current is None:
            raise not_found()
        return current

    # -- direct data access for tests (no HTTP, no API usage) ---------------------------------
    def records(self, object_name: str, *, include_deleted: bool = False) -> list[dict[str, Any]]:
        with self.lock:
            fields = [f.name for f in self.catalog[object_name].fields]
            return [
                {name: row.get(name) for name in fields}
                for row in self.store.rows(object_name, include_deleted=include_deleted)
            ]

    def get_record(self, object_name: str, record_id: str) -> dict[str, Any] | None:
        with self.lock:
            row = self.store.find(object_name, record_id)
            fields = [f.name for f in self.catalog[object_name].fields]
            return None if row is None else {name: row.get(name) for name in fields}

    def insert(self, object_name: str, values: dict[str, Any], *, as_user: str = "admin") -> str:
        user = self.users[as_user]
        with self.lock:
            clean = validate_save(
                self.catalog[object_name],
                self._canonical(object_name, values, user),
                None,
                self.store,
                user,
            )
            return str(self.store.insert(object_name, clean, user.id, self.clock())["Id"])

    def update(
        self, object_name: str, record_id: str, values: dict[str, Any], *, as_user: str = "admin"
    ) -> None:
        user = self.users[as_user]
        with self.lock:
            current = self.store.find(object_name, record_id)
            if current is None:
                raise not_found()
            clean = validate_save(
                self.catalog[object_name],
                self._canonical(object_name, values, user),
                current,
                self.store,
                user,
            )
            self.store.update(object_name, current["Id"], clean, user.id, self.clock())

    def delete(self, object_name: str, record_id: str) -> None:
        with self.lock:
            current = self.store.find(object_name, record_id)
            if current is None:
                raise not_found()
            if current.get("IsDeleted"):
                raise entity_deleted()
            self.store.soft_delete(object_name, current["Id"], self.users["admin"].id, self.clock())

    def _canonical(self, object_name: str, values: dict[str, Any], user: SfUser) -> dict[str, Any]:
        """Python values (date, datetime too) -> stored JSON form, as the user may write them."""
        plain = {key: _json_form(value) for key, value in values.items()}
        return read_fields(self.catalog[object_name], plain, user, lambda key: (1, 1))


def _json_form(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_datetime(value)
    return value.isoformat() if isinstance(value, date) else value
