"""The consent page both Slack flows show a browser (installing an app, signing in with
Slack) and what posting it does: the person picks a workspace and who they are, then
Allow/Continue sends the browser back with a one-time code, Cancel with access_denied."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from string import Template
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from .models import AuthorizationCode
from .state import SlackState

_ERROR_PAGE = Template("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Error | Slack sandbox</title></head>
<body><h1>Oops, something went wrong.</h1><p id="error">$message</p></body></html>
""")

# the redirect target, or the error page Slack shows for a bad authorize request
RequestCheck = Callable[[dict[str, str]], "Response | str"]
# the scope (and nonce) fields of the code a consent issues, read from the posted form
CodeScopes = Callable[[dict[str, str]], dict[str, Any]]


@dataclass(frozen=True)
class ConsentPage:
    """The words of one consent page and the authorize parameters its form carries back."""

    title: str
    heading: str
    form_id: str
    legend: str
    button: str
    carried: tuple[str, ...]


def error_page(message: str, status: int = 400) -> Response:
    body = _ERROR_PAGE.substitute(message=html.escape(message))
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def back_to(target: str, params: dict[str, str]) -> Response:
    separator = "&" if "?" in target else "?"
    return Response(status=302, headers={"Location": target + separator + urlencode(params)})


def options_html(pairs: list[tuple[str, str]], selected: str = "") -> str:
    return "".join(
        f'<option value="{html.escape(v)}"{" selected" if v == selected else ""}>'
        f"{html.escape(label)}</option>"
        for v, label in pairs
    )


def show(
    state: SlackState,
    request: Request,
    check: RequestCheck,
    page: ConsentPage,
    scope_words: Callable[[dict[str, str]], list[str]],
) -> Response:
    """GET of a consent page: the form, or Slack's error page for a bad request."""
    params = dict(request.args.items())
    checked = check(params)
    if isinstance(checked, Response):
        return checked
    return render_consent(state, params, request.base_url, page, scope_words(params))


def render_consent(
    state: SlackState, params: dict[str, str], action: str, page: ConsentPage, scopes: list[str]
) -> Response:
    """The form; the ``team`` parameter preselects a workspace, as on Slack."""
    people = [u for u in state.users.values() if not u.is_bot and not u.deleted]
    names = {t.id: t.name for t in state.teams.values()}
    template = Template(resources.files(__package__).joinpath("consent.html").read_text("utf-8"))
    hidden = "\n".join(
        f'  <input type="hidden" name="{k}" value="{html.escape(params.get(k, ""))}">'
        for k in page.carried
    )
    body = template.substitute(
        title=html.escape(page.title),
        heading=html.escape(page.heading),
        form_id=page.form_id,
        legend=html.escape(page.legend),
        button=html.escape(page.button),
        action=html.escape(action),
        hidden_inputs=hidden,
        team_options=options_html(
            [(t.id, t.name) for t in state.teams.values()], params.get("team", "")
        ),
        user_options=options_html([(u.id, f"{u.real_name} ({names[u.team_id]})") for u in people]),
        scope_items="".join(f"<li>{html.escape(s)}</li>" for s in scopes),
    )
    return Response(body, content_type="text/html; charset=utf-8")


def chosen_person(
    state: SlackState, params: dict[str, str], target: str
) -> tuple[str, str] | Response:
    """Who the person on a consent page chose to be: (team, user), or the answer to send
    when they cancelled or chose someone outside the workspace."""
    if params.get("decision") != "allow":
        return back_to(target, {"error": "access_denied", "state": params.get("state", "")})
    team_id, user_id = params.get("team_id", ""), params.get("user_id", "")
    user = state.users.get(user_id)
    if team_id not in state.teams or user is None or user.team_id != team_id or user.deleted:
        return error_page("That person is not a member of the chosen workspace")
    return team_id, user_id


def decide(
    state: SlackState, request: Request, check: RequestCheck, code_scopes: CodeScopes
) -> Response:
    """The person pressed Allow/Continue or Cancel (or a script posted the same form)."""
    params = dict(request.form.items())
    checked = check(params)
    if isinstance(checked, Response):
        return checked
    chosen = chosen_person(state, params, checked)
    if isinstance(chosen, Response):
        return chosen
    team_id, user_id = chosen
    code = AuthorizationCode(
        code=state.ids.oauth_code(),
        team_id=team_id,
        user_id=user_id,
        redirect_uri=params.get("redirect_uri") or None,
        issued_at=state.clock(),
        **code_scopes(params),
    )
    state.codes[code.code] = code
    return back_to(checked, {"code": code.code, "state": params.get("state", "")})
