"""The read-only workspace page as a WSGI app over the three emulators.

GET /           the whole page (inline style and script, nothing fetched from elsewhere)
GET /fragment   the page's content alone, with an ETag: 304 when nothing changed
GET /state.json counts of what the page shows, for scripts
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from sandbox.core import json_response
from sandbox.salesforce import SalesforceEmulator
from sandbox.slack import SlackEmulator
from sandbox.smartsheet import SmartsheetEmulator

from .data_snapshot import read_records, read_sheets
from .page import Snapshot, fragment, page
from .slack_snapshot import read_slack

_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


class ViewerApp:
    def __init__(
        self,
        slack: SlackEmulator,
        smartsheet: SmartsheetEmulator,
        salesforce: SalesforceEmulator,
    ) -> None:
        self.slack, self.smartsheet, self.salesforce = slack, smartsheet, salesforce
        self.url_map = Map(
            [
                Rule("/", endpoint="page", methods=["GET"]),
                Rule("/fragment", endpoint="fragment", methods=["GET"]),
                Rule("/state.json", endpoint="state", methods=["GET"]),
            ]
        )

    def snapshot(self) -> Snapshot:
        return Snapshot(
            read_slack(self.slack), read_sheets(self.smartsheet), read_records(self.salesforce)
        )

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            endpoint, _ = self.url_map.bind_to_environ(environ).match()
        except Exception:  # any routing failure is a 404 here
            return json_response({"error": "not_found"}, 404)(environ, start_response)
        response = getattr(self, "_" + str(endpoint))(request)
        response.headers.update(_HEADERS)
        return response(environ, start_response)

    def _page(self, request: Request) -> Response:
        content = fragment(self.snapshot())
        nonce = secrets.token_urlsafe(16)
        response = _html(page(content, _etag(content), nonce))
        response.headers["Content-Security-Policy"] = _policy(nonce)
        return response

    def _fragment(self, request: Request) -> Response:
        content = fragment(self.snapshot())
        etag = _etag(content)
        if etag in request.if_none_match:
            return Response(status=304, headers={"ETag": f'"{etag}"'})
        response = _html(content)
        response.set_etag(etag)
        return response

    def _state(self, request: Request) -> Response:
        snap = self.snapshot()
        workspaces = {
            w.name: {
                "channels": {c.title: c.total for c in w.channels},
                "people": [p.name for p in w.people],
            }
            for w in snap.slack.workspaces
        }
        return json_response(
            {
                "slack": workspaces,
                "sheets": {t.title: t.total for t in snap.sheets},
                "salesforce": {t.key: t.total for t in snap.records},
            }
        )


def _policy(nonce: str) -> str:
    """Only the page's own script runs (a <script> smuggled into a message would not, even
    if the escaping missed it); nothing is fetched from anywhere but this server."""
    return (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
        "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"
    )


def _etag(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()[:32]


def _html(body: str) -> Response:
    return Response(body, content_type="text/html; charset=utf-8")
