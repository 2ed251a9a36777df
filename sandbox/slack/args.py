"""Reading Web API arguments the way Slack does: query string, form body or JSON body."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from werkzeug.wrappers import Request

from sandbox.core import bearer_token

from .errors import SlackError


def read_args(request: Request) -> dict[str, Any]:
    """Merge query, form and JSON arguments (later sources win, as a POST body does)."""
    request.get_data()  # cache the raw body so the request log still sees it after parsing
    args: dict[str, Any] = dict(request.args.items())
    if request.mimetype == "application/json":
        body = request.get_data(as_text=True)
        if body.strip():
            try:
                parsed = json.loads(body)
            except ValueError:
                raise SlackError("invalid_json") from None
            if not isinstance(parsed, dict):
                raise SlackError("invalid_json")
            args.update(parsed)
    else:
        args.update(request.form.items())
    return args


def read_token(request: Request) -> str | None:
    """Bearer header first; a ``token`` argument only from query or form (never JSON)."""
    token = bearer_token(request)
    if token:
        return token
    if request.mimetype == "application/json":
        return request.args.get("token") or None
    return request.values.get("token") or None


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """client_id/client_secret from ``Authorization: Basic`` (what slack_sdk sends)."""
    header = request.headers.get("Authorization", "")
    if header[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip()).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None


def json_arg(args: dict[str, Any], name: str, error: str) -> Any:
    """An argument that carries JSON: a string in forms, an object in JSON bodies."""
    value = args.get(name)
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    try:
        return json.loads(value)
    except ValueError:
        raise SlackError(error) from None


def flag(args: dict[str, Any], name: str) -> bool:
    """Booleans arrive as true/false, "true"/"false" or "1"/"0" (slack_sdk sends 1/0)."""
    value = args.get(name)
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return bool(value)


def text_arg(args: dict[str, Any], name: str) -> str:
    value = args.get(name)
    return "" if value is None else str(value)
