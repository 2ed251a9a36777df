"""OAuth v2: the authorize page a browser sees, and oauth.v2.access.

GET /oauth/v2/authorize shows a real HTML form (workspace, person, Allow/Cancel). Posting it
back redirects to ``redirect_uri?code=…&state=…`` or ``?error=access_denied&state=…``.
oauth.v2.access takes client credentials by HTTP Basic (what slack_sdk sends) or in the
body, accepts each code once, and answers with a new xoxb- token per install.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from . import consent
from .args import basic_credentials, text_arg
from .consent import ConsentPage, error_page
from .errors import SlackError
from .models import AuthorizationCode
from .state import SlackState

CODE_TTL = 600.0  # codes are short-lived; ten minutes is generous


@dataclass
class AppConfig:
    """The Slack app as configured in its settings pages."""

    client_id: str = "1111111111.2222222222222"
    client_secret: str = "sandbox-client-secret-0123456789ab"
    signing_secret: str = "sandbox-signing-secret-0123456789abcd"
    verification_token: str = "SandboxVerificationTok1"
    app_id: str = "A0SYNCBOT1"
    name: str = "syncbot"
    # "Redirect URLs" of the app; empty means any redirect_uri is accepted.
    redirect_urls: list[str] = field(default_factory=list)


def scopes_of(value: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in value.replace(" ", ",").split(",") if s.strip())


def redirect_target(app: AppConfig, redirect_uri: str) -> str | None:
    """Where the browser goes back to, or None when Slack would refuse the URI."""
    if not redirect_uri:
        return app.redirect_urls[0] if app.redirect_urls else None
    if app.redirect_urls and not any(redirect_uri.startswith(u) for u in app.redirect_urls):
        return None
    return redirect_uri


def _check_request(app: AppConfig, params: dict[str, str]) -> Response | str:
    """The redirect target, or the error page Slack shows for a bad authorize request."""
    if params.get("client_id") != app.client_id:
        return error_page("Invalid client_id parameter")
    target = redirect_target(app, params.get("redirect_uri", ""))
    if target is None:
        return error_page(
            f"redirect_uri did not match any configured URIs. "
            f"Passed URI: {params.get('redirect_uri', '')}"
        )
    if not scopes_of(params.get("scope", "")) and not scopes_of(params.get("user_scope", "")):
        return error_page("Invalid permissions requested: no scope was given")
    return target


def _scope_words(params: dict[str, str]) -> list[str]:
    return [*scopes_of(params.get("scope", "")), *scopes_of(params.get("user_scope", ""))]


def render_authorize(app: AppConfig, state: SlackState, request: Request) -> Response:
    page = ConsentPage(
        title=f"Install {app.name}",
        heading=f"{app.name} is requesting permission to access a Slack workspace",
        form_id="authorize",
        legend=f"What will {app.name} be able to view and do?",
        button="Allow",
        carried=("client_id", "scope", "user_scope", "redirect_uri", "state"),
    )
    return consent.show(state, request, lambda p: _check_request(app, p), page, _scope_words)


def decide(app: AppConfig, state: SlackState, request: Request) -> Response:
    def scopes(params: dict[str, str]) -> dict[str, Any]:
        return {
            "scopes": scopes_of(params.get("scope", "")),
            "user_scopes": scopes_of(params.get("user_scope", "")),
        }

    return consent.decide(state, request, lambda params: _check_request(app, params), scopes)


def client_credentials(request: Request, args: dict[str, Any]) -> tuple[str, str]:
    basic = basic_credentials(request)
    if basic is not None:
        return basic
    return text_arg(args, "client_id"), text_arg(args, "client_secret")


def take_code(state: SlackState, args: dict[str, Any], *, openid: bool) -> AuthorizationCode:
    """The code of the exchange, used up. An install code is exchanged at oauth.v2.access
    only, a Sign in with Slack code at openid.connect.token only."""
    code = state.codes.get(text_arg(args, "code"))
    if code is None or code.openid != openid or state.clock() - code.issued_at > CODE_TTL:
        raise SlackError("invalid_code")
    if code.redirect_uri and text_arg(args, "redirect_uri") != code.redirect_uri:
        raise SlackError("bad_redirect_uri")
    del state.codes[code.code]  # single use
    return code


def check_code_exchange(app: AppConfig, request: Request, args: dict[str, Any]) -> None:
    """The client and grant checks oauth.v2.access and openid.connect.token share."""
    client_id, secret = client_credentials(request, args)
    if client_id != app.client_id:
        raise SlackError("invalid_client_id")
    if secret != app.client_secret:
        raise SlackError("bad_client_secret")
    grant_type = text_arg(args, "grant_type") or "authorization_code"
    if grant_type == "refresh_token":
        raise SlackError("invalid_refresh_token")  # token rotation is not enabled
    if grant_type != "authorization_code":
        raise SlackError("invalid_grant_type")


def access(
    app: AppConfig, state: SlackState, request: Request, args: dict[str, Any]
) -> dict[str, Any]:
    """oauth.v2.access with grant_type authorization_code."""
    check_code_exchange(app, request, args)
    return _installation(app, state, take_code(state, args, openid=False))


def _installation(app: AppConfig, state: SlackState, code: AuthorizationCode) -> dict[str, Any]:
    team = state.teams[code.team_id]
    authed_user: dict[str, Any] = {"id": code.user_id}
    if code.user_scopes:
        user_token = state.issue_user_token(team.id, code.user_id, code.user_scopes)
        authed_user.update(
            {
                "scope": ",".join(code.user_scopes),
                "access_token": user_token.value,
                "token_type": "user",
            }
        )
    body: dict[str, Any] = {"ok": True, "app_id": app.app_id, "authed_user": authed_user}
    if code.scopes:
        bot = state.issue_bot_token(team.id, code.scopes)
        body.update(
            {
                "scope": ",".join(code.scopes),
                "token_type": "bot",
                "access_token": bot.value,
                "bot_user_id": team.bot_user_id,
            }
        )
    body.update(
        {
            "team": {"id": team.id, "name": team.name},
            "enterprise": None,
            "is_enterprise_install": False,
        }
    )
    return body
