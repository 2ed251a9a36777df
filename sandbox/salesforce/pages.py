"""HTML pages of the OAuth authorize step: the login/consent form and the error page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from .users import SfUser

_STYLE = (
    "body{font-family:Arial,sans-serif;background:#f3f2f2;margin:0}"
    "main{max-width:420px;margin:60px auto;background:#fff;padding:24px;border-radius:4px;"
    "box-shadow:0 2px 4px rgba(0,0,0,.15)}h1{font-size:20px}label{display:block;margin:8px 0}"
    "button{margin:12px 8px 0 0;padding:8px 18px}.error{color:#c23934}"
)
# Authorize parameters carried through the form so the POST can finish the flow.
CARRIED = (
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "scope",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "display",
    "login_hint",
    "nonce",
)


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def login_page(
    params: Mapping[str, str],
    users: Iterable[SfUser],
    app_name: str,
    scopes: list[str],
    error: str | None = None,
) -> str:
    hint = params.get("login_hint", "")
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{escape(params[name])}">'
        for name in CARRIED
        if params.get(name)
    )
    choices = "".join(
        f'<label><input type="radio" name="username" value="{escape(u.username)}"'
        f"{' checked' if hint in (u.username, u.alias) or (not hint and i == 0) else ''}> "
        f"{escape(u.name)} ({escape(u.username)}, {escape(u.profile)})</label>"
        for i, u in enumerate(users)
    )
    problem = f'<p class="error">{escape(error)}</p>' if error else ""
    body = (
        f"<h1>Log in to the Salesforce sandbox</h1>{problem}"
        f"<p><strong>{escape(app_name)}</strong> is asking to: {escape(', '.join(scopes))}.</p>"
        f'<form method="post" action="/services/oauth2/authorize">{hidden}{choices}'
        '<button type="submit" name="decision" value="allow">Allow</button>'
        '<button type="submit" name="decision" value="deny">Deny</button></form>'
    )
    return _page("Login | Salesforce", body)


def error_page(error: str, description: str) -> str:
    body = (
        "<h1>Remote Access Authorization Error</h1>"
        "<p>There was a problem in setting up your remote access.</p>"
        f'<p class="error">error={escape(error)}<br>error_description={escape(description)}</p>'
    )
    return _page("Remote Access Authorization Error", body)
