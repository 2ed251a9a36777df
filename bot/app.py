"""The Bolt app: OAuth install, request verification on, a middleware that resolves the
caller into an `Actor`, and every listener from handlers/."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import Engine

import handlers
from bot.admins import AdminDirectory
from bot.config import Settings
from bot.oauth import slack as slack_oauth
from bot.web import Route, WebApp, slack_routes
from sync.services import Actor, Services


def make_client(settings: Settings) -> WebClient:
    """Slack's 429s are retried after their Retry-After (slack_sdk's handler)."""
    client = WebClient(base_url=settings.slack_api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    return client


def create_app(
    settings: Settings,
    services: Services,
    client: WebClient | None = None,
    *,
    db: Engine | None = None,
    admins: AdminDirectory | None = None,
) -> App:
    engine: Engine = db or services.store.sessions.kw["bind"]
    installations = slack_oauth.installation_store(settings, engine)
    app = App(
        signing_secret=settings.slack_signing_secret,
        client=client or make_client(settings),
        oauth_settings=slack_oauth.oauth_settings(settings, engine, installations),
        request_verification_enabled=True,
    )
    directory = admins or AdminDirectory(settings.admin_ids)
    app.middleware(_actor_middleware(directory))
    handlers.register_all(app, services)
    return app


def _actor_middleware(directory: AdminDirectory) -> Callable[..., Any]:
    """Puts `context["actor"]` on every request that has a team and a user."""

    def resolve(context: BoltContext, client: WebClient, next: Callable[[], Any]) -> Any:
        team, user = context.team_id, context.user_id
        if team and user:
            context["actor"] = Actor(team, user, directory.is_admin(client, team, user))
        return next()

    return resolve


def create_web(
    settings: Settings,
    services: Services,
    client: WebClient | None = None,
    *,
    extra_routes: Sequence[Route] = (),
) -> WebApp:
    """The whole HTTP surface: Slack's routes, the connect flows, then `extra_routes`
    (health, metrics: the runtime adds them)."""
    bolt = create_app(settings, services, client)
    return WebApp([*slack_routes(bolt), *extra_routes], bolt=bolt)
