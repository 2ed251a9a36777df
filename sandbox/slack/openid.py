"""Sign in with Slack (OpenID Connect): the authorize page, openid.connect.token and
openid.connect.userInfo, shaped like Slack's.

GET /openid/connect/authorize shows a sign-in page (workspace, person, Cancel/Continue); the
``team`` parameter preselects a workspace. Posting it redirects to ``redirect_uri?code=…&
state=…`` (or ``error=access_denied``). openid.connect.token takes client credentials by
HTTP Basic or in the body, each code once, and answers with a user token (xoxp-) and an
RS256 ``id_token`` whose claims carry ``https://slack.com/user_id`` and ``…/team_id``.
"""

from __future__ import annotations

import html
from importlib import resources
from string import Template
from typing import Any

from werkzeug.wrappers import Request, Response

from . import openid_jwt
from .call import Call
from .errors import SlackError
from .models import AuthorizationCode, SlackTeam, SlackUserInfo
from .oauth import (
    AppConfig,
    back_to,
    check_code_exchange,
    chosen_person,
    error_page,
    redirect_target,
    scopes_of,
    take_code,
)
from .state import SlackState

ISSUER = "https://slack.com"
ID_TOKEN_SECONDS = 300  # Slack's id_tokens expire five minutes after issue
SCOPE_WORDS = {
    "openid": "Your Slack user and workspace IDs",
    "profile": "Your name and profile picture",
    "email": "Your email address",
}


def _check_request(app: AppConfig, params: dict[str, str]) -> Response | str:
    """The redirect target, or the error page Slack shows for a bad authorize request."""
    if params.get("client_id") != app.client_id:
        return error_page("Invalid client_id parameter")
    if params.get("response_type") != "code":
        return error_page("Invalid response_type parameter: only code is supported")
    target = redirect_target(app, params.get("redirect_uri", ""))
    if target is None:
        return error_page(
            f"redirect_uri did not match any configured URIs. "
            f"Passed URI: {params.get('redirect_uri', '')}"
        )
    scopes = scopes_of(params.get("scope", ""))
    if "openid" not in scopes or not set(scopes) <= set(SCOPE_WORDS):
        return error_page("Invalid permissions requested: openid is required")
    return target


def _options(pairs: list[tuple[str, str]], selected: str) -> str:
    return "".join(
        f'<option value="{html.escape(v)}"{" selected" if v == selected else ""}>'
        f"{html.escape(label)}</option>"
        for v, label in pairs
    )


def render_authorize(app: AppConfig, state: SlackState, request: Request) -> Response:
    params = dict(request.args.items())
    checked = _check_request(app, params)
    if isinstance(checked, Response):
        return checked
    people = [u for u in state.users.values() if not u.is_bot and not u.deleted]
    names = {t.id: t.name for t in state.teams.values()}
    page = Template(
        resources.files(__package__).joinpath("openid_authorize.html").read_text("utf-8")
    )
    fields = ("response_type", "client_id", "scope", "redirect_uri", "state", "nonce")
    return Response(
        page.substitute(
            app_name=html.escape(app.name),
            action=html.escape(request.base_url),
            **{k: html.escape(params.get(k, "")) for k in fields},
            team_options=_options(
                [(t.id, t.name) for t in state.teams.values()], params.get("team", "")
            ),
            user_options=_options(
                [(u.id, f"{u.real_name} ({names[u.team_id]})") for u in people], ""
            ),
            scope_items="".join(
                f"<li>{html.escape(SCOPE_WORDS[s])}</li>"
                for s in scopes_of(params.get("scope", ""))
            ),
        ),
        content_type="text/html; charset=utf-8",
    )


def decide(app: AppConfig, state: SlackState, request: Request) -> Response:
    """The person pressed Continue or Cancel (or a script posted the same form)."""
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
        scopes=(),
        user_scopes=scopes_of(params.get("scope", "")),
        redirect_uri=params.get("redirect_uri") or None,
        issued_at=state.clock(),
        nonce=params.get("nonce") or None,
        openid=True,
    )
    state.codes[code.code] = code
    return back_to(checked, {"code": code.code, "state": oauth_state})


def token(
    app: AppConfig, state: SlackState, request: Request, args: dict[str, Any]
) -> dict[str, Any]:
    """openid.connect.token with grant_type authorization_code."""
    check_code_exchange(app, request, args)
    code = take_code(state, args, openid=True)
    user_token = state.issue_user_token(code.team_id, code.user_id, code.user_scopes)
    now = int(state.clock())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": code.user_id,
        "aud": app.client_id,
        "exp": now + ID_TOKEN_SECONDS,
        "iat": now,
        "auth_time": now,
    }
    if code.nonce:
        claims["nonce"] = code.nonce
    claims["at_hash"] = openid_jwt.at_hash(user_token.value)
    person, team = state.users[code.user_id], state.teams[code.team_id]
    claims.update(identity_claims(person, team, code.user_scopes))
    return {
        "ok": True,
        "access_token": user_token.value,
        "token_type": "Bearer",
        "id_token": openid_jwt.sign(claims),
    }


def identity_claims(
    person: SlackUserInfo, team: SlackTeam, scopes: tuple[str, ...]
) -> dict[str, Any]:
    """What Slack says about the person, by scope (the id_token's and userInfo's fields)."""
    claims: dict[str, Any] = {
        "https://slack.com/user_id": person.id,
        "https://slack.com/team_id": team.id,
    }
    if "email" in scopes:
        claims.update(
            {"email": person.email, "email_verified": True, "date_email_verified": 1622128723}
        )
    if "profile" in scopes:
        profile = person.to_api(with_email=False)["profile"]
        first, _, last = person.real_name.partition(" ")
        claims.update(
            {
                "locale": "en-US",
                "name": person.real_name,
                "picture": profile.get("image_512", ""),
                "given_name": first,
                "family_name": last,
                "https://slack.com/team_name": team.name,
                "https://slack.com/team_domain": team.domain,
            }
        )
        for size in (24, 32, 48, 72, 192, 512):
            claims[f"https://slack.com/user_image_{size}"] = profile.get(f"image_{size}", "")
        claims["https://slack.com/team_image_default"] = True
    return claims


def user_info(call: Call) -> dict[str, Any]:
    """openid.connect.userInfo: the signed-in person behind a Sign in with Slack token."""
    if call.token.kind != "user":
        raise SlackError("not_allowed_token_type")
    person = call.state.users[call.token.user_id]
    return {
        "ok": True,
        "sub": person.id,
        **identity_claims(person, call.team, call.token.scopes),
    }
