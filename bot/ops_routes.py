"""Operations endpoints: `/healthz` (the process answers), `/readyz` (the database answers
and its schema is at the code's migration head) and `/metrics` (Prometheus text).

Each is a plain WSGI callable, so the web app mounts them beside the Slack routes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from bot.metrics import CONTENT_TYPE, Metrics
from bot.web import Route, WSGIApp
from sync.store import migrate

Readiness = Callable[[], str | None]  # None when ready, else the reason it is not


def database_readiness(db: Engine) -> Readiness:
    def check() -> str | None:
        try:
            with db.connect() as connection:
                connection.execute(text("SELECT 1"))
            current, head = migrate.current_and_head(db)
        except SQLAlchemyError as exc:
            return f"database unreachable ({type(exc).__name__})"
        if current != head:
            return f"database schema at {current or 'nothing'}, code at {head}"
        return None

    return check


def healthz(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    return _json({"status": "ok"}, 200)(environ, start_response)


def readyz(readiness: Readiness) -> WSGIApp:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        reason = readiness()
        body = {"status": "ready"} if reason is None else {"status": "not ready", "reason": reason}
        return _json(body, 200 if reason is None else 503)(environ, start_response)

    return app


def metrics_app(metrics: Metrics) -> WSGIApp:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return Response(metrics.render(), content_type=CONTENT_TYPE)(environ, start_response)

    return app


def ops_routes(readiness: Readiness, metrics: Metrics) -> list[Route]:
    """For bot.web's route list, after the Slack and connect routes."""
    get = ("GET", "HEAD")
    return [
        Route("/healthz", healthz, get),
        Route("/readyz", readyz(readiness), get),
        Route("/metrics", metrics_app(metrics), get),
    ]


def _json(body: dict[str, str], status: int) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")
