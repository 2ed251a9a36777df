"""Sign in with Slack (OpenID Connect): the authorize page, openid.connect.token and
openid.connect.userInfo, shaped like Slack's.

GET /openid/connect/authorize shows a sign-in page (workspace, person, Cancel/Continue); the
``team`` parameter preselects a workspace. Posting it redirects to ``redirect_uri?code=…&
state=…`` (or ``error=access_denied``). openid.connect.token takes client credentials by
HTTP Basic or in the body, each code once, and answers with a user token (xoxp-) and an
RS256 ``id_token`` whose claims carry ``https://slack.com/user_id`` and ``…/team_id``.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from . import consent, openid_jwt
from .call import Call
from .consent import ConsentPage, error_page
from .errors import SlackError
from .models import SlackTeam, SlackUserInfo
from .oauth import AppConfig, check_code_exchange, redirect_target, scopes_of, take_code
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


def _scope_words(params: dict[str, str]) -> list[str]:
    return [SCOPE_WORDS[s] for s in scopes_of(params.get("scope", ""))]


def render_authorize(app: AppConfig, state: SlackState, request: Request) -> Response:
    page = ConsentPage(
        title=f"Sign in to {app.name}",
        heading=f"Sign in to {app.name} with Slack",
        form_id="openid-authorize",
        legend=f"{app.name} will learn",
        button="Continue",
        carried=("response_type", "client_id", "scope", "redirect_uri", "state", "nonce"),
    )
    return consent.show(state, request, lambda p: _check_request(app, p), page, _scope_words)


def decide(app: AppConfig, state: SlackState, request: Request) -> Response:
    def scopes(params: dict[str, str]) -> dict[str, Any]:
        return {
            "scopes": (),
            "user_scopes": scopes_of(params.get("scope", "")),
            "nonce": params.get("nonce") or None,
            "openid": True,
        }

    return consent.decide(state, request, lambda params: _check_request(app, params), scopes)


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
