"""The signed cookies of Sign in with Slack and the id_token checks, as pure functions."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.oauth import id_token
from bot.oauth.browser_cookies import CookieSigner, PendingSignIn, SignedIn

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
ALICE = SignedIn("T0SANDBOX1", "U0ALICE001", "Alice Archer", "Acme")
CLIENT = "1111.2222"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def jwt(**claims: Any) -> str:
    base = {
        "iss": "https://slack.com",
        "aud": CLIENT,
        "exp": int(NOW.timestamp()) + 300,
        "nonce": "n-1",
        "https://slack.com/user_id": "U0ALICE001",
        "https://slack.com/team_id": "T0SANDBOX1",
        "name": "Alice Archer",
    }
    return f"{_b64({'alg': 'RS256'})}.{_b64(base | claims)}.sig"


def test_a_session_reads_back_until_it_expires() -> None:
    signer = CookieSigner("key-1")
    value = signer.session(ALICE, NOW)

    assert signer.read_session(value, NOW + timedelta(hours=11)) == ALICE
    assert signer.read_session(value, NOW + timedelta(hours=12, seconds=1)) is None


def test_a_cookie_of_another_key_or_edited_is_refused() -> None:
    value = CookieSigner("key-1").session(ALICE, NOW)
    body, mac = value.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    edited = f"{_b64(claims | {'user': 'U0CAROL003'})}.{mac}"

    assert CookieSigner("key-2").read_session(value, NOW) is None
    assert CookieSigner("key-1").read_session(edited, NOW) is None
    assert CookieSigner("key-1").read_session("garbage", NOW) is None
    assert CookieSigner("key-1").read_session("", NOW) is None


def test_a_pending_sign_in_never_passes_for_a_session() -> None:
    signer = CookieSigner("key-1")
    pending = PendingSignIn("state", "nonce", "token", "salesforce")
    value = signer.pending(pending, NOW)

    assert signer.read_pending(value, NOW + timedelta(minutes=9)) == pending
    assert signer.read_pending(value, NOW + timedelta(minutes=11)) is None
    assert signer.read_session(value, NOW) is None
    assert signer.read_pending(signer.session(ALICE, NOW), NOW) is None


def test_the_id_token_names_the_person() -> None:
    who = id_token.signed_in(jwt(), client_id=CLIENT, nonce="n-1", now=NOW)

    assert (who.team_id, who.user_id, who.name) == ("T0SANDBOX1", "U0ALICE001", "Alice Archer")


@pytest.mark.parametrize(
    ("claims", "nonce"),
    [
        ({"aud": "another-app"}, "n-1"),
        ({"iss": "https://evil.example"}, "n-1"),
        ({"exp": int(NOW.timestamp()) - 1}, "n-1"),
        ({}, "another-nonce"),
        ({"https://slack.com/team_id": None}, "n-1"),
    ],
)
def test_an_id_token_not_for_us_now_is_refused(claims: dict[str, Any], nonce: str) -> None:
    with pytest.raises(id_token.BadIdToken):
        id_token.signed_in(jwt(**claims), client_id=CLIENT, nonce=nonce, now=NOW)


def test_an_unreadable_id_token_is_refused() -> None:
    for bad in ("", "a.b", "a.!!!.c", f"x.{_b64({'a': 1})[:-2]}%.y"):
        with pytest.raises(id_token.BadIdToken):
            id_token.signed_in(bad, client_id=CLIENT, nonce="n-1", now=NOW)
