"""Smartsheet's OAuth 2.0: authorization codes, access/refresh tokens, token checks.

Facts reproduced (Smartsheet API reference, "OAuth Walkthrough" and error-code table):
the code lives 599135 ms and the redirect carries ``expires_in`` in milliseconds; access
tokens last 604799 s; ``POST /token`` authenticates the app with ``client_secret`` or
``hash`` = sha256("secret|code") (``"secret|refresh_token"`` when refreshing); a refresh
returns a new pair and the old tokens stop working. Token errors carry both the API's
``errorCode``/``message`` and the OAuth ``error`` type (the Java and C# SDKs read
``error``, the Python SDK reads ``errorCode``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from . import errors
from .model import IdSource

CODE_LIFETIME_MS = 599135
ALL_SCOPES = frozenset(
    {
        "ADMIN_SHEETS",
        "ADMIN_SIGHTS",
        "ADMIN_USERS",
        "ADMIN_WEBHOOKS",
        "ADMIN_WORKSPACES",
        "CREATE_SHEETS",
        "CREATE_SIGHTS",
        "DELETE_SHEETS",
        "DELETE_SIGHTS",
        "READ_CONTACTS",
        "READ_EVENTS",
        "READ_SHEETS",
        "READ_SIGHTS",
        "READ_USERS",
        "SHARE_SHEETS",
        "SHARE_SIGHTS",
        "WRITE_SHEETS",
    }
)


def oauth_error(status: int, code: int, message: str, kind: str) -> errors.ApiError:
    return errors.ApiError(
        status, code, message, extra={"error": kind, "error_description": message}
    )


def invalid_request(parameter: str) -> errors.ApiError:
    return oauth_error(
        400, 1070, f"Invalid Request. Required parameter is missing: {parameter}", "invalid_request"
    )


def invalid_grant() -> errors.ApiError:
    return oauth_error(
        400,
        1071,
        "Invalid Grant. The authorization code or refresh token provided was invalid.",
        "invalid_grant",
    )


@dataclass
class OAuthApp:
    client_id: str
    client_secret: str
    name: str = "syncbot"
    redirect_uri: str | None = None  # None: accept the redirect_uri the request names


@dataclass
class Grant:
    alias: str
    client_id: str
    scopes: frozenset[str]
    redirect_uri: str
    expires_at: datetime


@dataclass
class Token:
    alias: str
    scopes: frozenset[str]
    client_id: str | None = None
    expires_at: datetime | None = None  # None: a personal access token, never expires
    refresh_token: str | None = None
    expired: bool = False
    revoked: bool = False


@dataclass
class TokenStore:
    ids: IdSource
    clock: Callable[[], datetime]
    token_seconds: int
    tokens: dict[str, Token] = field(default_factory=dict)
    refresh: dict[str, str] = field(default_factory=dict)  # refresh token -> access token
    codes: dict[str, Grant] = field(default_factory=dict)

    def personal(self, alias: str) -> str:
        token = self.ids.token(26)
        self.tokens[token] = Token(alias, ALL_SCOPES)
        return token

    def user_for(self, token: str | None) -> Token:
        if not token:
            raise errors.token_required()
        found = self.tokens.get(token)
        if found is None or found.revoked:
            raise errors.token_invalid()
        if found.expired or (found.expires_at is not None and self.clock() >= found.expires_at):
            raise errors.token_expired()
        return found

    def new_code(
        self, alias: str, client_id: str, scopes: frozenset[str], redirect_uri: str
    ) -> str:
        code = self.ids.token(16)
        expires = self.clock() + timedelta(milliseconds=CODE_LIFETIME_MS)
        self.codes[code] = Grant(alias, client_id, scopes, redirect_uri, expires)
        return code

    def _issue(self, alias: str, client_id: str, scopes: frozenset[str]) -> dict[str, Any]:
        access, refresh = self.ids.token(26), self.ids.token(26)
        expires = self.clock() + timedelta(seconds=self.token_seconds)
        self.tokens[access] = Token(alias, scopes, client_id, expires, refresh)
        self.refresh[refresh] = access
        return {
            "access_token": access,
            "token_type": "bearer",
            "refresh_token": refresh,
            "expires_in": self.token_seconds,
        }

    # -- POST /token ------------------------------------------------------------------
    def grant(self, form: Mapping[str, str], app: OAuthApp) -> dict[str, Any]:
        grant_type = form.get("grant_type")
        if not grant_type:
            raise invalid_request("grant_type")
        if grant_type not in ("authorization_code", "refresh_token"):
            raise oauth_error(400, 1068, "Unsupported grant type.", "unsupported_grant_type")
        client_id = form.get("client_id")
        if not client_id:
            raise invalid_request("client_id")
        if client_id != app.client_id:
            raise oauth_error(401, 1067, "Invalid client_id", "invalid_client")
        if grant_type == "authorization_code":
            return self._exchange_code(form, app)
        return self._refresh(form, app)

    def _exchange_code(self, form: Mapping[str, str], app: OAuthApp) -> dict[str, Any]:
        code = form.get("code")
        if not code:
            raise invalid_request("code")
        grant = self.codes.get(code)
        if grant is None or grant.client_id != app.client_id:
            raise invalid_grant()
        _check_client_auth(form, app, code)
        if self.clock() >= grant.expires_at:
            del self.codes[code]
            raise oauth_error(
                400, 1069, "Invalid Request. The authorization_code has expired.", "invalid_grant"
            )
        redirect = form.get("redirect_uri") or form.get("redirect_url")
        if redirect and redirect != grant.redirect_uri:
            raise oauth_error(
                400, 1073, "The redirect_uri did not match the expected value.", "invalid_request"
            )
        del self.codes[code]  # a code works once
        return self._issue(grant.alias, app.client_id, grant.scopes)

    def _refresh(self, form: Mapping[str, str], app: OAuthApp) -> dict[str, Any]:
        refresh = form.get("refresh_token")
        if not refresh:
            raise invalid_request("refresh_token")
        access = self.refresh.get(refresh)
        old = self.tokens.get(access or "")
        if old is None or old.revoked or old.client_id != app.client_id:
            raise invalid_grant()
        _check_client_auth(form, app, refresh)
        del self.refresh[refresh]
        old.revoked = True  # the old pair is no longer valid
        return self._issue(old.alias, app.client_id, old.scopes)

    # -- DELETE /token ----------------------------------------------------------------
    def revoke(self, token: str, all_for_client: bool) -> None:
        if token in self.refresh:  # a refresh token: its access token goes with it
            token = self.refresh.pop(token)
        current = self.tokens.get(token)
        if current is None:
            return
        doomed = [token]
        if all_for_client and current.client_id is not None:
            doomed = [
                t
                for t, info in self.tokens.items()
                if info.alias == current.alias and info.client_id == current.client_id
            ]
        for value in doomed:
            info = self.tokens[value]
            info.revoked = True
            if info.refresh_token:
                self.refresh.pop(info.refresh_token, None)


def _check_client_auth(form: Mapping[str, str], app: OAuthApp, secret_input: str) -> None:
    given_hash, given_secret = form.get("hash"), form.get("client_secret")
    if given_hash and given_secret:
        raise oauth_error(400, 1237, "OAuth redundant client auth.", "invalid_request")
    if not given_hash and not given_secret:
        raise oauth_error(400, 1236, "OAuth missing client auth.", "invalid_request")
    if given_secret and given_secret != app.client_secret:
        raise oauth_error(401, 1238, "OAuth invalid secret.", "invalid_client")
    expected = hashlib.sha256(f"{app.client_secret}|{secret_input}".encode()).hexdigest()
    if given_hash and given_hash.lower() != expected:
        raise oauth_error(
            400,
            1072,
            "Invalid hash value. The hash provided did not match the expected value.",
            "invalid_grant",
        )
