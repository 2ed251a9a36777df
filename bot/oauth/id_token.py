"""Reading Sign in with Slack's id_token: who signed in, checked against what we asked.

The id_token comes straight from Slack's token endpoint over TLS in answer to our client
secret, so (OpenID Connect Core §3.1.3.7) TLS vouches for the issuer and the signature is
not re-checked; issuer, audience, expiry and our nonce still are."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from datetime import datetime
from typing import Any

from bot.oauth.browser_cookies import SignedIn

ISSUER = "https://slack.com"
USER_CLAIM = "https://slack.com/user_id"
TEAM_CLAIM = "https://slack.com/team_id"


class BadIdToken(Exception):
    """The id_token does not say, for us and now, who signed in."""


def claims(id_token: str) -> dict[str, Any]:
    parts = id_token.split(".")
    if len(parts) != 3:
        raise BadIdToken("not a JWT")
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise BadIdToken("unreadable claims") from exc
    if not isinstance(payload, dict):
        raise BadIdToken("unreadable claims")
    return payload


def signed_in(
    id_token: str, *, client_id: str, nonce: str, now: datetime, issuers: tuple[str, ...] = ()
) -> SignedIn:
    """`issuers`: accepted besides https://slack.com (a Slack stand-in at its own URL)."""
    got = claims(id_token)
    if got.get("iss") not in (ISSUER, *issuers):
        raise BadIdToken("another issuer")
    if got.get("aud") != client_id:
        raise BadIdToken("made for another app")
    exp = got.get("exp")
    if not isinstance(exp, int) or exp <= now.timestamp():
        raise BadIdToken("expired")
    if not hmac.compare_digest(str(got.get("nonce", "")), nonce):
        raise BadIdToken("another sign-in's nonce")
    return from_claims(got)


def from_claims(got: dict[str, Any]) -> SignedIn:
    """The person named by id_token claims or an openid.connect.userInfo answer."""
    user, team = got.get(USER_CLAIM), got.get(TEAM_CLAIM)
    if not isinstance(user, str) or not isinstance(team, str) or not user or not team:
        raise BadIdToken("no Slack user or workspace")
    return SignedIn(
        team, user, str(got.get("name", "")), str(got.get("https://slack.com/team_name", ""))
    )
