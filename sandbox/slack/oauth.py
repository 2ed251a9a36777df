"""OAuth v2: the authorize page a browser sees, and oauth.v2.access.

GET /oauth/v2/authorize shows a real HTML form (workspace, person, Allow/Cancel). Posting it
back redirects to ``redirect_uri?code=…&state=…`` or ``?error=access_denied&state=…``.
oauth.v2.access takes client credentials by HTTP Basic (what slack_sdk sends) or in the
body, accepts each code once, and answers with a new xoxb- token per install.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from importlib import resources
from string import Template
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from .args import basic_credentials, text_arg
from .errors import SlackError
from .models import AuthorizationCode
from .state import SlackState

CODE_TTL = 600.0  # codes are short-lived; ten minutes is generous

_ERROR_PAGE = Template("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Error | Slack sandbox</title></head>
<body><h1>Oops, something went wrong.</h1><p id="error">$message</p></body></html>
""")


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


def error_page(message: str, status: int = 400) -> Response:
    body = _ERROR_PAGE.substitute(message=html.escape(message))
    return Response(body, status=status, content_type="text/html; charset=utf-8")


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


def options_html(pairs: list[tuple[str, str]]) -> str:
    return "".join(
        f'<option value="{html.escape(v)}">{html.escape(label)}</option>' for v, label in pairs
    )


def render_authorize(app: AppConfig, state: SlackState, request: Request) -> Response:
    params = dict(request.args.items())
    checked = _check_request(app, params)
    if isinstance(checked, Response):
        return checked
    people = [u for u in state.users.values() if not u.is_bot and not u.deleted]
    names = {t.id: t.name for t in state.teams.values()}
    requested = scopes_of(params.get("scope", "")) + scopes_of(params.get("user_scope", ""))
    page = Template(resources.files(__package__).joinpath("authorize.html").read_text("utf-8"))
    return Response(
        page.substitute(
            app_name=html.escape(app.name),
            action=html.escape(request.base_url),
            **{
                k: html.escape(params.get(k, ""))
                for k in ("client_id", "scope", "user_scope", "redirect_uri", "state")
            },
            team_options=options_html([(t.id, t.name) for t in state.teams.values()]),
            user_options=options_html(
                [(u.id, f"{u.real_name} ({names[u.team_id]})") for u in people]
            ),
            scope_items="".join(f"<li>{html.escape(s)}</li>" for s in requested),
        ),
        content_type="text/html; charset=utf-8",
    )


def back_to(target: str, params: dict[str, str]) -> Response:
    separator = "&" if "?" in target else "?"
    return Response(status=302, headers={"Location": target + separator + urlencode(params)})


def chosen_person(
    state: SlackState, params: dict[str, str], target: str
) -> tuple[str, str] | Response:
    """Who the person on a consent page (install or sign-in) chose to be: (team, user), or
    the answer to send when they cancelled or chose someone outside the workspace."""
    if params.get("decision") != "allow":
        return back_to(target, {"error": "access_denied", "state": params.get("state", "")})
    team_id, user_id = params.get("team_id", ""), params.get("user_id", "")
    user = state.users.get(user_id)
    if team_id not in state.teams or user is None or user.team_id != team_id or user.deleted:
        return error_page("That person is not a member of the chosen workspace")
    return team_id, user_id


def decide(app: AppConfig, state: SlackState, request: Request) -> Response:
    """The person pressed Allow or Cancel (or a script posted the same form)."""
    params = dict(request.form.items())
    checked = _check_request(app, params)
    if isinstance(checked, Response):
        return checked
    oauth_state = params.get("state", "")
    chosen = chosen_person(state, params, checked)
    if isinstance(chosen, Response):
        return chosen
    team_id, user_id = chosen
    code = AuthorizationCode(
        code=state.ids.oauth_code(),
        team_id=team_id,
        user_id=user_id,
        scopes=scopes_of(params.get("scope", "")),
        user_scopes=scopes_of(params.get("user_scope", "")),
        redirect_uri=params.get("redirect_uri") or None,
        issued_at=state.clock(),
    )
    state.codes[code.code] = code
    return back_to(checked, {"code": code.code, "state": oauth_state})


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
