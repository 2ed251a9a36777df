"""OAuth state: authorization codes, access tokens and refresh tokens.

Access tokens look like real ones (``<org id>!AQ...``) and live for the org's session
timeout; there is no ``expires_in``, a client learns of expiry from a 401.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

CODE_LIFETIME = timedelta(minutes=15)


@dataclass
class AuthCode:
    client_id: str
    redirect_uri: str
    alias: str
    scope: str
    challenge: str | None
    created: datetime
    used: bool = False


@dataclass
class AccessToken:
    alias: str
    scope: str
    issued: datetime
    refresh: str | None = None
    dead: bool = False  # expired or revoked on purpose


@dataclass
class RefreshToken:
    alias: str
    scope: str
    revoked: bool = False
    access: list[str] = field(default_factory=list)


def s256(verifier: str) -> str:
    """PKCE S256 challenge: base64url(sha256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class TokenStore:
    def __init__(self, org_id: str, session_seconds: int) -> None:
        self.org_id = org_id
        self.session = timedelta(seconds=session_seconds)
        self.codes: dict[str, AuthCode] = {}
        self.access: dict[str, AccessToken] = {}
        self.refresh: dict[str, RefreshToken] = {}

    def clear(self) -> None:
        self.codes.clear()
        self.access.clear()
        self.refresh.clear()

    # -- codes --------------------------------------------------------------------------
    def new_code(self, code: AuthCode) -> str:
        # Real codes are base64 with '=' padding, so clients must URL-decode them.
        value = "aPrx" + base64.urlsafe_b64encode(secrets.token_bytes(52)).decode()
        self.codes[value] = code
        return value

    # -- tokens -------------------------------------------------------------------------
    def new_access(
        self,
        alias: str,
        scope: str,
        now: datetime,
        refresh: str | None = None,
        value: str | None = None,
    ) -> str:
        token = value or f"{self.org_id[:15]}!AQ" + secrets.token_urlsafe(72).replace("-", ".")
        self.access[token] = AccessToken(alias, scope, now, refresh)
        if refresh is not None:
            self.refresh[refresh].access.append(token)
        return token

    def new_refresh(self, alias: str, scope: str) -> str:
        token = "5Aep861" + secrets.token_urlsafe(64).replace("-", ".").replace("_", ".")
        self.refresh[token] = RefreshToken(alias, scope)
        return token

    def live_access(self, token: str | None, now: datetime) -> AccessToken | None:
        found = self.access.get(token or "")
        if found is None or found.dead or now >= found.issued + self.session:
            return None
        return found

    def expire(self, token: str) -> None:
        if token in self.access:
            self.access[token].dead = True

    def revoke(self, token: str) -> bool:
        """Revoke an access or refresh token; a refresh token takes its access tokens along."""
        if token in self.access:
            self.access[token].dead = True
            return True
        found = self.refresh.get(token)
        if found is None:
            return False
        found.revoked = True
        for access in found.access:
            self.expire(access)
        return True


def deterministic_token(org_id: str, seed: int, alias: str) -> str:
    """The pre-issued token of a seeded user: stable across resets and runs."""
    digest = hashlib.sha256(f"{org_id}:{seed}:{alias}".encode()).digest()
    body = base64.urlsafe_b64encode(digest + digest[:24]).decode().rstrip("=")
    return f"{org_id[:15]}!AQ" + body.replace("-", ".")
