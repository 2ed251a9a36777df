"""Signed browser cookies: who signed in with Slack (12 h), and a Slack sign-in under way
(10 min). A cookie is base64url(JSON) + "." + HMAC-SHA256 of it, under a key derived from
syncbot's encryption key, so only syncbot can make one and nobody can edit one.

Each value names its purpose, so a sign-in-under-way cookie never passes for a session."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

SESSION_LIFETIME = timedelta(hours=12)
PENDING_LIFETIME = timedelta(minutes=10)
_KEY_CONTEXT = b"syncbot browser cookies v1"


@dataclass(frozen=True)
class SignedIn:
    """A person as Sign in with Slack told us; `name` is for pages only."""

    team_id: str
    user_id: str
    name: str = ""
    team_name: str = ""


@dataclass(frozen=True)
class PendingSignIn:
    """What the identity callback needs to finish a sign-in this browser started."""

    state: str
    nonce: str
    token: str  # the connect link the person opened, to go on with once they are known
    provider: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CookieSigner:
    def __init__(self, secret: str) -> None:
        # A key of its own, so a cookie never says anything about the encryption key.
        self._key = hmac.new(secret.encode(), _KEY_CONTEXT, hashlib.sha256).digest()

    def _mac(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())

    def _dump(self, purpose: str, fields: dict[str, str], expires: datetime) -> str:
        payload = {"purpose": purpose, "exp": int(expires.timestamp()), **fields}
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        return f"{body}.{self._mac(body)}"

    def _load(self, value: str, purpose: str, now: datetime) -> dict[str, Any] | None:
        body, _, mac = value.partition(".")
        if not body or not hmac.compare_digest(mac, self._mac(body)):
            return None
        try:
            payload = json.loads(_unb64(body))
        except (ValueError, binascii.Error):
            return None
        if not isinstance(payload, dict) or payload.get("purpose") != purpose:
            return None
        if not isinstance(payload.get("exp"), int) or payload["exp"] <= now.timestamp():
            return None
        return payload

    def session(self, who: SignedIn, now: datetime) -> str:
        fields = {"team": who.team_id, "user": who.user_id, "name": who.name}
        return self._dump("session", fields | {"team_name": who.team_name}, now + SESSION_LIFETIME)

    def read_session(self, value: str, now: datetime) -> SignedIn | None:
        got = self._load(value, "session", now)
        if got is None:
            return None
        return SignedIn(
            str(got.get("team", "")),
            str(got.get("user", "")),
            str(got.get("name", "")),
            str(got.get("team_name", "")),
        )

    def pending(self, sign_in: PendingSignIn, now: datetime) -> str:
        fields = {
            "state": sign_in.state,
            "nonce": sign_in.nonce,
            "token": sign_in.token,
            "provider": sign_in.provider,
        }
        return self._dump("pending", fields, now + PENDING_LIFETIME)

    def read_pending(self, value: str, now: datetime) -> PendingSignIn | None:
        got = self._load(value, "pending", now)
        if got is None:
            return None
        return PendingSignIn(
            str(got.get("state", "")),
            str(got.get("nonce", "")),
            str(got.get("token", "")),
            str(got.get("provider", "")),
        )
