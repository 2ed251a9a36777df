"""``/b/authorize`` (the consent page) and ``/2.0/token`` (get, refresh, revoke)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from sandbox.core import json_response

from . import query
from .api import Caller, endpoint
from .oauth import ALL_SCOPES, CODE_LIFETIME_MS

if TYPE_CHECKING:
    from .emulator import SmartsheetEmulator

_CARRIED = ("response_type", "client_id", "scope", "state", "redirect_uri")


class OAuthRoutes:
    @endpoint(auth=False)
    def on_oauth_authorize(
        self: SmartsheetEmulator, request: Request, caller: Caller | None
    ) -> Response:
        params = request.form if request.method == "POST" else request.args
        app = self.oauth_app
        if params.get("client_id") != app.client_id:
            return _page("Invalid client_id", "<p>This app is not registered.</p>", 400)
        target = app.redirect_uri or params.get("redirect_uri")
        if not target or (
            app.redirect_uri and params.get("redirect_uri") not in (None, "", app.redirect_uri)
        ):
            return _page("Invalid redirect_uri", "<p>The redirect URL does not match.</p>", 400)
        state = params.get("state")
        if params.get("response_type") != "code":
            return _redirect(target, {"error": "unsupported_response_type", "state": state})
        scopes = frozenset((params.get("scope") or "").split())
        if scopes - ALL_SCOPES:
            return _redirect(target, {"error": "invalid_scope", "state": state})
        if request.method == "GET":
            return _page(f"Allow {app.name}?", _consent_form(self, params))
        if params.get("decision") != "allow":
            return _redirect(target, {"error": "access_denied", "state": state})
        user = self.users.get(params.get("user") or "")
        if user is None:
            return _page(f"Allow {app.name}?", _consent_form(self, params, "Pick a user."), 400)
        code = self.tokens.new_code(user.alias, app.client_id, scopes, target)
        return _redirect(target, {"code": code, "expires_in": CODE_LIFETIME_MS, "state": state})

    @endpoint(auth=False)
    def on_token_get(self: SmartsheetEmulator, request: Request, caller: Caller | None) -> Response:
        # No Authorization header is needed here (the SDK still sends a stale one when
        # refreshing, which must not matter).
        form: Mapping[str, str] = request.form if request.form else request.args
        return json_response(self.tokens.grant(form, self.oauth_app))

    @endpoint()
    def on_token_revoke(self: SmartsheetEmulator, request: Request, caller: Caller) -> Response:
        every = bool(query.flag(request.args, "deleteAllForApiClient"))
        self.tokens.revoke(caller.token, every)
        return json_response({"message": "SUCCESS", "resultCode": 0})


def _redirect(target: str, params: dict[str, Any]) -> Response:
    pairs = {key: value for key, value in params.items() if value is not None}
    joiner = "&" if "?" in target else "?"
    return Response(status=302, headers={"Location": f"{target}{joiner}{urlencode(pairs)}"})


def _consent_form(
    emulator: SmartsheetEmulator, params: Mapping[str, str], problem: str = ""
) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{key}" value="{html.escape(params.get(key) or "")}">'
        for key in _CARRIED
    )
    people = "".join(
        f'<li><label><input type="radio" name="user" value="{user.alias}"> '
        f"{html.escape(user.name)} &lt;{html.escape(user.email)}&gt; ({user.alias})</label></li>"
        for user in emulator.users.values()
    )
    scopes = html.escape(params.get("scope") or "(none)")
    warning = f'<p class="error">{html.escape(problem)}</p>' if problem else ""
    return (
        f"<p><b>{html.escape(emulator.oauth_app.name)}</b> would like to access your "
        f"Smartsheet data: {scopes}</p>{warning}"
        f'<form method="post" action="/b/authorize">{hidden}<p>Sign in as:</p>'
        f"<ul>{people}</ul>"
        '<button type="submit" name="decision" value="allow">Allow</button> '
        '<button type="submit" name="decision" value="deny">Deny</button></form>'
    )


def _page(title: str, body: str, status: int = 200) -> Response:
    text = (
        f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return Response(text, status=status, content_type="text/html; charset=utf-8")
