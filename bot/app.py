"""The Bolt app: OAuth install, request verification on, a middleware that resolves the
caller into an `Actor`, and every listener from handlers/."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.lazy_listener.thread_runner import ThreadLazyListenerRunner
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine

import handlers
from bot.admins import AdminDirectory
from bot.config import Settings
from bot.oauth import lifecycle
from bot.oauth import slack as slack_oauth
from bot.oauth.cached_installations import CachedInstallationStore
from bot.oauth.connect import ConnectFlows
from bot.slack_out import SlackOut
from bot.web import Route, WebApp, slack_routes
from handlers import home
from handlers.admin import ADMIN_NAMES_KEY, GATE_OPEN
from handlers.views import admin as admin_views
from sync.services import Actor, Services

ACK_WORKERS = 32  # listeners up to their ack (and the short work some do after it)
LATER_WORKERS = 16  # lazy listeners: answers through response_url, views opened later


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
    installations: SQLAlchemyInstallationStore | None = None,
) -> App:
    engine: Engine = db or services.store.sessions.kw["bind"]
    cached = CachedInstallationStore(
        installations or slack_oauth.installation_store(settings, engine)
    )
    app = App(
        signing_secret=settings.slack_signing_secret,
        client=client or make_client(settings),
        oauth_settings=slack_oauth.oauth_settings(settings, engine, cached),
        authorize=_cached_authorize(settings, cached),
        request_verification_enabled=True,
        listener_executor=ThreadPoolExecutor(ACK_WORKERS, thread_name_prefix="slack-ack"),
    )
    _work_after_acks_apart(app)
    directory = admins or AdminDirectory(settings.admin_ids)
    app.middleware(_actor_middleware(directory))
    app.middleware(_access_gate(services))
    handlers.register_all(app, services)
    lifecycle.register(app, services, cached, settings.slack_api_url)
    return app


def _work_after_acks_apart(app: App) -> None:
    """Bolt runs listeners up to their ack and the lazy work after it on one pool (of 5
    threads by default): five slow answers (a Salesforce read, a slow response_url) and
    the next person's request could not even be acknowledged within Slack's 3 s. The work
    after the ack gets a pool of its own, and waits there when it is full."""
    app.listener_runner.lazy_listener_runner = ThreadLazyListenerRunner(
        logger=app.logger,
        executor=ThreadPoolExecutor(LATER_WORKERS, thread_name_prefix="slack-later"),
    )


def _cached_authorize(settings: Settings, installations: InstallationStore) -> Callable[..., Any]:
    """Bolt's default authorize calls auth.test on every request (a Slack round trip
    inside the 3 s ack); cached per token it is one call per installation. The store's
    lookups are kept for seconds (CachedInstallationStore): an uninstall or a revoked
    token, handled through it, is refused at once. Bot tokens only, as installed."""
    return InstallationStoreAuthorize(
        logger=logging.getLogger("slack_bolt.App"),
        installation_store=installations,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        cache_enabled=True,
        bot_only=True,
    )


def _actor_middleware(directory: AdminDirectory) -> Callable[..., Any]:
    """Puts `context["actor"]` on every request that has a team and a user."""

    def resolve(context: BoltContext, client: WebClient, next: Callable[[], Any]) -> Any:
        team, user = context.team_id, context.user_id
        if team and user:
            context["actor"] = Actor(team, user, directory.is_admin(client, team, user))
            context[ADMIN_NAMES_KEY] = directory.admins_known(team)
        return next()

    return resolve


def _access_gate(services: Services) -> Callable[..., Any]:
    """With the allow-list on, everyone else is refused politely at every entry point:
    commands, buttons, modals and App Home (connect links check it in bot/oauth/connect)."""

    def gate(
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        next: Callable[[], Any],
    ) -> Any:
        actor = context.get("actor")
        if actor is None or services.may_use(actor) or _asks_for_access(body):
            return next()
        refusal = admin_views.refusal(context.get(ADMIN_NAMES_KEY) or [])
        if body.get("command"):
            return BoltResponse(
                status=200, body=json.dumps(refusal), headers={"Content-Type": "application/json"}
            )
        if body.get("event", {}).get("type") == "app_home_opened":
            client.views_publish(
                user_id=actor.user,
                view=admin_views.refusal_home(context.get(ADMIN_NAMES_KEY) or []),
            )
        elif context.respond is not None:
            context.respond(**refusal, response_type="ephemeral", replace_original=False)
        elif body.get("type") == "view_submission":
            return BoltResponse(
                status=200,
                body=json.dumps({"response_action": "clear"}),
                headers={"Content-Type": "application/json"},
            )
        return BoltResponse(status=200, body="")

    return gate


def _asks_for_access(body: dict[str, Any]) -> bool:
    return any(a.get("action_id") in GATE_OPEN for a in body.get("actions", []))


def create_web(
    settings: Settings,
    services: Services,
    client: WebClient | None = None,
    *,
    extra_routes: Sequence[Route] = (),
) -> WebApp:
    """The whole HTTP surface: Slack's routes, the connect flows, then `extra_routes`
    (health, metrics: the runtime adds them)."""
    engine: Engine = services.store.sessions.kw["bind"]
    installations = slack_oauth.installation_store(settings, engine)
    directory = AdminDirectory(settings.admin_ids)
    bolt = create_app(settings, services, client, admins=directory, installations=installations)
    out = SlackOut(installations, settings.slack_api_url)

    def republish(team: str, user: str) -> None:
        team_client = out.client(team)
        if team_client is not None:
            actor = Actor(team, user, directory.is_admin(team_client, team, user))
            home.publish(team_client, services, actor)

    def allowed(team: str, user: str) -> bool:
        team_client = out.client(team)
        admin = team_client is not None and directory.is_admin(team_client, team, user)
        return services.may_use(Actor(team, user, admin))

    flows = ConnectFlows(settings, services, out, republish, allowed, db=engine)
    return WebApp([*slack_routes(bolt), *flows.routes(), *extra_routes], bolt=bolt)
