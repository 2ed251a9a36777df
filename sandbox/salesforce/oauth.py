"""OAuth 2.0 web-server flow with PKCE, token refresh, revocation and the identity URL.

Mixed into SalesforceEmulator; handlers follow the ``on_<endpoint>`` convention of
``sandbox.core.Emulator``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request, Response

from sandbox.core import bearer_token, json_response

from .ids import is_id_shaped, to18
from .pages import error_page as oauth_error_page
from .pages import login_page
from .state import OrgState
from .tokens import CODE_LIFETIME, AuthCode, s256
from .users import SfUser

APP_SCOPES = (
    "api",
    "refresh_token",
    "offline_access",
    "id",
    "profile",
    "email",
    "address",
    "phone",
    "openid",
    "web",
    "full",
)
DEFAULT_SCOPES = "api refresh_token openid"  # the connected app's scopes (issue #6)
IDENTITY_SCOPES = frozenset({"id", "profile", "email", "address", "phone", "openid", "full"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def oauth_error(error: str, description: str, status: int = 400) -> Response:
    return json_response({"error": error, "error_description": description}, status)


def redirect(location: str) -> Response:
    return Response(status=302, headers={"Location": location})


def _with_query(uri: str, params: dict[str, str]) -> str:
    return uri + ("&" if "?" in uri else "?") + urlencode(params)


def granted_scope(requested: str | None) -> str:
    if not requested:
        return DEFAULT_SCOPES
    wanted = [s for s in requested.replace("+", " ").split() if s in APP_SCOPES]
    return " ".join(dict.fromkeys(wanted)) or DEFAULT_SCOPES


def has_refresh(scope: str) -> bool:
    return bool({"refresh_token", "offline_access"} & set(scope.split()))


class OAuthRoutes(OrgState):
    """The login host's endpoints (on this emulator the login host is the instance too)."""

    def on_oauth_authorize(self, request: Request) -> Response:
        params = request.form if request.method == "POST" else request.args
        problem = self._check_client(params)
        if problem is not None:
            return problem
        redirect_uri, state = params["redirect_uri"], params.get("state")
        if params.get("response_type") != "code":
            return self._deny(
                redirect_uri, state, "unsupported_response_type", "response type not supported"
            )
        if request.method == "GET":
            return self._login(params)
        if params.get("decision") != "allow":
            return self._deny(redirect_uri, state, "access_denied", "end-user denied authorization")
        user = self.user_by_login(params.get("username", ""))
        if user is None:
            return self._login(
                params,
                "Please check your username and password. If you still "
                "can't log in, contact your Salesforce administrator.",
            )
        with self.lock:
            code = self.tokens.new_code(
                AuthCode(
                    params["client_id"],
                    redirect_uri,
                    user.alias,
                    granted_scope(params.get("scope")),
                    params.get("code_challenge") or None,
                    self.clock(),
                )
            )
        answer = {"code": code} | ({"state": state} if state is not None else {})
        return redirect(_with_query(redirect_uri, answer))

    def _check_client(self, params: MultiDict[str, str]) -> Response | None:
        """Bad client or callback: an error page on Salesforce's side, never a redirect."""
        if params.get("client_id") != self.client_id:
            return self._error_page("invalid_client_id", "client identifier invalid")
        if not self.redirect_allowed(params.get("redirect_uri")):
            return self._error_page(
                "redirect_uri_mismatch", "redirect_uri must match configuration"
            )
        return None

    def redirect_allowed(self, uri: str | None) -> bool:
        if not uri:
            return False
        if self.allowed_redirect_uris is not None:
            return uri in self.allowed_redirect_uris
        parts = urlsplit(uri)
        return parts.scheme in ("http", "https") and parts.hostname in LOOPBACK_HOSTS

    @staticmethod
    def _error_page(error: str, description: str) -> Response:
        return Response(
            oauth_error_page(error, description),
            status=400,
            content_type="text/html; charset=utf-8",
        )

    def _login(self, params: MultiDict[str, str], error: str | None = None) -> Response:
        scopes = granted_scope(params.get("scope")).split()
        html = login_page(params, self.users.values(), "syncbot", scopes, error)
        return Response(html, status=200, content_type="text/html; charset=utf-8")

    @staticmethod
    def _deny(redirect_uri: str, state: str | None, error: str, description: str) -> Response:
        answer = {"error": error, "error_description": description}
        return redirect(_with_query(redirect_uri, answer | ({"state": state} if state else {})))

    # -- token endpoint -------------------------------------------------------------------
    def on_oauth_token(self, request: Request) -> Response:
        form = request.form
        grant = form.get("grant_type")
        if grant not in ("authorization_code", "refresh_token"):
            return oauth_error("unsupported_grant_type", "grant type not supported")
        client_id, secret = _client_credentials(request)
        if client_id != self.client_id:
            return oauth_error("invalid_client_id", "client identifier invalid")
        if (secret is None and grant == "authorization_code") or (
            secret is not None and secret != self.client_secret
        ):
            return oauth_error("invalid_client", "invalid client credentials")
        with self.lock:
            body = (
                self._exchange_code(form) if grant == "authorization_code" else self._refresh(form)
            )
        if isinstance(body, Response):
            return body
        if form.get("format") == "urlencoded":
            return Response(urlencode(body), content_type="application/x-www-form-urlencoded")
        return json_response(body)

    def _exchange_code(self, form: MultiDict[str, str]) -> dict[str, Any] | Response:
        code = self.tokens.codes.get(form.get("code", ""))
        now = self.clock()
        if code is None:
            return oauth_error("invalid_grant", "invalid authorization code")
        if code.used or now >= code.created + CODE_LIFETIME:
            return oauth_error("invalid_grant", "expired authorization code")
        if form.get("redirect_uri") != code.redirect_uri:
            return oauth_error("redirect_uri_mismatch", "redirect_uri must match configuration")
        if code.challenge is not None:
            verifier = form.get("code_verifier")
            # Salesforce docs: no verifier -> invalid_grant; a wrong one -> invalid_request.
            if not verifier:
                return oauth_error("invalid_grant", "invalid code verifier")
            if s256(verifier) != code.challenge:
                return oauth_error("invalid_request", "invalid code verifier")
        code.used = True
        refresh = (
            self.tokens.new_refresh(code.alias, code.scope) if has_refresh(code.scope) else None
        )
        access = self.tokens.new_access(code.alias, code.scope, now, refresh)
        return self.token_body(code.alias, code.scope, access, refresh, now)

    def _refresh(self, form: MultiDict[str, str]) -> dict[str, Any] | Response:
        found = self.tokens.refresh.get(form.get("refresh_token", ""))
        if found is None or found.revoked:
            return oauth_error("invalid_grant", "expired access/refresh token")
        now = self.clock()
        token = form.get("refresh_token", "")
        access = self.tokens.new_access(found.alias, found.scope, now, token)
        return self.token_body(found.alias, found.scope, access, None, now)

    def token_body(
        self,
        alias: str,
        scope: str,
        access: str,
        refresh: str | None,
        now: datetime,
    ) -> dict[str, Any]:
        """Token response fields in the order Salesforce sends them."""
        identity = f"{self.login_url}/id/{self.org_id}/{self.users[alias].id}"
        issued_at = str(int(now.timestamp() * 1000))
        mac = hmac.new(self.client_secret.encode(), (identity + issued_at).encode(), hashlib.sha256)
        body: dict[str, Any] = {"access_token": access}
        if refresh is not None:
            body["refresh_token"] = refresh
        body.update(
            {
                "signature": base64.b64encode(mac.digest()).decode(),
                "scope": scope,
                "instance_url": self.base_url,
                "id": identity,
                "token_type": "Bearer",
                "issued_at": issued_at,
            }
        )
        return body

    # -- revoke and identity ----------------------------------------------------------------
    def on_oauth_revoke(self, request: Request) -> Response:
        token = request.form.get("token") or request.args.get("token") or ""
        with self.lock:
            revoked = self.tokens.revoke(unquote(token))
        if not revoked:
            return oauth_error("invalid_token", "invalid token")
        return Response(status=200)

    def on_identity(self, request: Request, org_id: str, user_id: str) -> Response:
        token = bearer_token(request) or request.args.get("oauth_token")
        with self.lock:
            access = self.tokens.live_access(token, self.clock())
        # The identity service answers 403 with a bare code, unlike the REST API's 401.
        if access is None:
            return Response("Bad_OAuth_Token", status=403, content_type="text/plain")
        if not IDENTITY_SCOPES & set(access.scope.split()):
            return Response("Insufficient_Scope", status=403, content_type="text/plain")
        user = self._user_by_id(user_id)
        if user is None or not is_id_shaped(org_id) or to18(org_id) != self.org_id:
            return Response("Bad_Id", status=404, content_type="text/plain")
        version = request.args.get("version")
        version = "66.0" if version == "latest" else version
        return json_response(self.identity(user, access.alias == user.alias, version))

    def on_userinfo(self, request: Request) -> Response:
        """OpenID Connect UserInfo: the identity fields under OIDC names."""
        token = bearer_token(request)
        with self.lock:
            access = self.tokens.live_access(token, self.clock())
        if access is None:
            return Response("Bad_OAuth_Token", status=403, content_type="text/plain")
        if not IDENTITY_SCOPES & set(access.scope.split()):
            return Response("Insufficient_Scope", status=403, content_type="text/plain")
        user = self.users[access.alias]
        body = self.identity(user, True, None)
        return json_response(
            {
                "sub": body["id"],
                "user_id": body["user_id"],
                "organization_id": body["organization_id"],
                "preferred_username": body["username"],
                "nickname": body["nick_name"],
                "name": body["display_name"],
                "email": body["email"],
                "email_verified": body["email_verified"],
                "given_name": body["first_name"],
                "family_name": body["last_name"],
                "zoneinfo": body["timezone"],
                "photos": body["photos"],
                "urls": body["urls"],
                "active": body["active"],
                "user_type": body["user_type"],
                "language": body["language"],
                "locale": body["locale"],
                "utcOffset": body["utcOffset"],
                "updated_at": body["last_modified_date"],
                "is_app_installed": body["is_app_installed"],
            }
        )

    def _user_by_id(self, user_id: str) -> SfUser | None:
        if not is_id_shaped(user_id):
            return None
        return next((u for u in self.users.values() if u.id == to18(user_id)), None)


def _client_credentials(request: Request) -> tuple[str | None, str | None]:
    auth = request.authorization
    if auth is not None and auth.type == "basic":
        return auth.username, auth.password
    return request.form.get("client_id"), request.form.get("client_secret")
