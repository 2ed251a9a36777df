"""The Salesforce OAuth 2.0 web-server flow (simple-salesforce has no helper for it).

Used by the connect flow (authorization code + PKCE) and by the connector (refresh).
Never logs request bodies: they carry the client secret and tokens.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests

from sync.errors import AuthRevoked, TransientError


@dataclass(frozen=True)
class SalesforceTokens:
    access_token: str
    instance_url: str
    identity_url: str
    refresh_token: str | None = None
    scope: str = ""
    issued_at_ms: int = 0

    @property
    def org_id(self) -> str:
        # identity URL: <login host>/id/<orgId>/<userId>
        parts = self.identity_url.rstrip("/").split("/")
        return parts[-2] if len(parts) >= 2 else ""

    @property
    def user_id(self) -> str:
        return self.identity_url.rstrip("/").split("/")[-1]


@dataclass(frozen=True)
class SalesforceApp:
    client_id: str
    client_secret: str


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge), base64url without padding."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_url(
    login_url: str, app: SalesforceApp, redirect_uri: str, state: str, code_challenge: str
) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": redirect_uri,
            "scope": "api refresh_token openid",
            "state": state,
            "code_challenge": code_challenge,
            "prompt": "login consent",
        }
    )
    return f"{login_url.rstrip('/')}/services/oauth2/authorize?{query}"


def exchange_code(
    session: requests.Session,
    login_url: str,
    app: SalesforceApp,
    code: str,
    redirect_uri: str,
    code_verifier: str,
) -> SalesforceTokens:
    return _token_call(
        session,
        login_url,
        {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        },
    )


def refresh(
    session: requests.Session, login_url: str, app: SalesforceApp, refresh_token: str
) -> SalesforceTokens:
    return _token_call(
        session,
        login_url,
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
        },
    )


def revoke(session: requests.Session, login_url: str, token: str) -> None:
    session.post(f"{login_url.rstrip('/')}/services/oauth2/revoke", data={"token": token})


def discover_org_id(session: requests.Session, instance_url: str, access_token: str) -> str:
    """The org of a bare access token: its `00D…!` prefix when it has one, else what the
    OpenID Connect UserInfo endpoint says; "" when neither tells."""
    head = access_token.split("!", 1)[0]
    if head.startswith("00D") and len(head) in (15, 18):
        return head
    try:
        response = session.get(
            f"{instance_url.rstrip('/')}/services/oauth2/userinfo",
            headers={"Authorization": f"Bearer {access_token}"},
        )
    except requests.RequestException:
        return ""
    if response.status_code != 200:
        return ""
    return str(_json(response).get("organization_id") or "")


API_DISABLED = (
    "This Salesforce org has no API access, so syncbot cannot read or write its records. "
    "The API comes with Enterprise, Unlimited, Performance and Developer editions "
    "(Professional only with the API add-on). Ask your Salesforce admin to enable it, "
    "or connect another org."
)


def api_access_problem(
    session: requests.Session, instance_url: str, access_token: str, version: str = "59.0"
) -> str | None:
    """At connect time, one cheap REST call (limits) tells whether the org has API access
    at all; the plain-words reason when it has not, else None (other failures show later,
    where they can be retried)."""
    try:
        response = session.get(
            f"{instance_url.rstrip('/')}/services/data/v{version}/limits/",
            headers={"Authorization": f"Bearer {access_token}"},
        )
    except requests.RequestException:
        return None
    if response.status_code != 403:
        return None
    body = _json_list(response)
    codes = {str(item.get("errorCode", "")) for item in body if isinstance(item, dict)}
    return API_DISABLED if "API_DISABLED_FOR_ORG" in codes else None


def _json_list(response: requests.Response) -> list[Any]:
    try:
        body = response.json()
    except ValueError:
        return []
    return body if isinstance(body, list) else []


def _token_call(
    session: requests.Session, login_url: str, form: dict[str, str]
) -> SalesforceTokens:
    try:
        response = session.post(f"{login_url.rstrip('/')}/services/oauth2/token", data=form)
    except requests.RequestException as exc:
        raise TransientError(
            f"Salesforce login could not be reached ({type(exc).__name__})."
        ) from exc
    if response.status_code >= 500:
        raise TransientError(f"Salesforce login answered {response.status_code}; will retry.")
    body: dict[str, Any] = _json(response)
    if response.status_code != 200 or "access_token" not in body:
        description = body.get("error_description") or body.get("error") or response.status_code
        raise AuthRevoked(
            f"Salesforce refused the saved sign-in ({description}). "
            "Reconnect Salesforce to syncbot.",
            service="salesforce",
        )
    return SalesforceTokens(
        access_token=body["access_token"],
        instance_url=body.get("instance_url", ""),
        identity_url=body.get("id", ""),
        refresh_token=body.get("refresh_token"),
        scope=body.get("scope", ""),
        issued_at_ms=int(body.get("issued_at") or 0),
    )


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
