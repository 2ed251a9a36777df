"""Driving the OAuth web-server flow the way a browser and a server-side client do."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import requests

CALLBACK = "http://127.0.0.1:8765/salesforce/oauth/callback"


@dataclass
class Pkce:
    verifier: str
    challenge: str

    @classmethod
    def new(cls) -> Pkce:
        verifier = secrets.token_urlsafe(48)
        digest = hashlib.sha256(verifier.encode()).digest()
        return cls(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode())


def authorize_params(client_id: str, pkce: Pkce | None, **extra: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": CALLBACK,
        "state": "st-42",
        "scope": "api refresh_token id",
    }
    if pkce is not None:
        params |= {"code_challenge": pkce.challenge, "code_challenge_method": "S256"}
    return params | extra


def consent(
    http: requests.Session,
    base_url: str,
    params: dict[str, str],
    *,
    user: str = "admin",
    decision: str = "allow",
) -> dict[str, list[str]]:
    """POST the login form as the page would; returns the callback's query parameters."""
    answer = http.post(
        f"{base_url}/services/oauth2/authorize",
        data=params | {"username": user, "decision": decision},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(CALLBACK + "?")
    return parse_qs(urlsplit(location).query)


def get_code(
    http: requests.Session, base_url: str, client_id: str, pkce: Pkce | None, user: str = "admin"
) -> str:
    return consent(http, base_url, authorize_params(client_id, pkce), user=user)["code"][0]


def exchange(
    http: requests.Session, base_url: str, data: dict[str, str], auth: tuple[str, str] | None = None
) -> requests.Response:
    return http.post(f"{base_url}/services/oauth2/token", data=data, auth=auth, timeout=10)
