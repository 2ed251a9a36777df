"""Connect-time calls: finish an OAuth code exchange, read who signed in, check the account
can be used, revoke on disconnect. The only place these flows touch the two SDKs."""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from typing import Any

import requests
import smartsheet
from smartsheet.exceptions import ApiError

from sync.connectors import salesforce_oauth as sf_oauth
from sync.connectors.salesforce import SalesforceConnector, SalesforceCredentials
from sync.connectors.smartsheet import SmartsheetApp, make_client
from sync.errors import AuthRevoked


@dataclass(frozen=True)
class Identity:
    """Who signed in: enough to label the connection and tell the user."""

    external_user_id: str
    username: str
    display_name: str
    org_id: str = ""  # Salesforce only
    org_name: str = ""


def salesforce_identity(session: requests.Session, tokens: sf_oauth.SalesforceTokens) -> Identity:
    response = session.get(
        tokens.identity_url, headers={"Authorization": f"Bearer {tokens.access_token}"}
    )
    body: dict[str, Any] = response.json() if response.status_code == 200 else {}
    return Identity(
        external_user_id=str(body.get("user_id") or tokens.user_id),
        username=str(body.get("username") or ""),
        display_name=str(body.get("display_name") or body.get("username") or ""),
        org_id=str(body.get("organization_id") or tokens.org_id),
    )


def check_salesforce_api(
    session: requests.Session,
    tokens: sf_oauth.SalesforceTokens,
    app: sf_oauth.SalesforceApp,
    login_url: str,
) -> None:
    """One describeGlobal: raises ConfigurationError for an org without API access
    (API_DISABLED_FOR_ORG: Group or Professional edition without the API add-on)."""
    credentials = SalesforceCredentials(
        0, tokens.instance_url, tokens.access_token, tokens.refresh_token, login_url
    )
    SalesforceConnector(credentials, app, session=session).describe_global()


def smartsheet_exchange(api_base: str, app: SmartsheetApp, code: str) -> tuple[str, str | None]:
    client = make_client("unused", api_base)
    digest = hashlib.sha256(f"{app.client_secret}|{code}".encode()).hexdigest()
    try:
        token = client.Token.get_access_token(app.client_id, code, digest)
    except ApiError as exc:
        raise AuthRevoked("Smartsheet did not accept the sign-in; try again.") from exc
    return str(token.access_token), (str(token.refresh_token) if token.refresh_token else None)


def smartsheet_identity(api_base: str, access_token: str) -> Identity:
    client = make_client(access_token, api_base)
    try:
        me = client.Users.get_current_user().to_dict()
    except ApiError as exc:
        raise AuthRevoked("Smartsheet did not accept the new sign-in; try again.") from exc
    name = " ".join(p for p in (me.get("firstName"), me.get("lastName")) if p)
    email = str(me.get("email") or "")
    return Identity(str(me.get("id") or email), email, name or email)


def revoke_salesforce(session: requests.Session, login_url: str, token: str) -> None:
    sf_oauth.revoke(session, login_url, token)


def revoke_smartsheet(api_base: str, token: str) -> None:
    client = make_client(token, api_base)
    # Already gone is what a disconnect wants anyway.
    with contextlib.suppress(ApiError, smartsheet.exceptions.SmartsheetException):
        client.Token.revoke_access_token()
