"""Services wired for the Slack app: run-now through the engine, connect links, revoke at
the provider on disconnect, API use per org. Used by `syncbot serve`, the demo and tests."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.admins import AdminDirectory
from bot.config import Settings
from bot.notifier import SlackNotifier
from bot.oauth import slack as slack_oauth
from bot.slack_out import SlackOut
from handlers import home
from sync.budget import BudgetUse
from sync.clock import SystemClock
from sync.connectors import identity
from sync.connectors.factory import ConnectorFactory
from sync.connectors.http import make_session
from sync.errors import SyncbotError
from sync.poller import Syncer
from sync.progress import ProgressHub
from sync.services import Actor, ConnectConfig, OrgUsage, Services, engine_runner
from sync.store import repo
from sync.store.repo import ConnectionInfo, ConnectionKind, Store, Tokens

log = logging.getLogger(__name__)
API_USAGE_FRESH_SECONDS = 300.0
PRODUCTION_LOGIN = "https://login.salesforce.com"
SANDBOX_LOGIN = "https://test.salesforce.com"


def connect_config(settings: Settings) -> ConnectConfig:
    """A custom SALESFORCE_LOGIN_URL (the emulator, a fixed My Domain) serves both buttons."""
    login = settings.salesforce_login_url
    sandbox = SANDBOX_LOGIN if login == PRODUCTION_LOGIN else login
    return ConnectConfig(settings.public_url, login, sandbox)


def _smartsheet_usage(found: list[ConnectionInfo], budgets: list[BudgetUse]) -> list[OrgUsage]:
    """The team's Smartsheet tokens: calls of the last minute against the per-token
    limit (every process counted), one line per token however many connections share it."""
    labels = {c.id: c.label or c.username for c in found if c.kind == ConnectionKind.SMARTSHEET}
    lines: dict[str, OrgUsage] = {}
    for b in budgets:
        if b.service == "smartsheet" and b.connection_id in labels and b.token not in lines:
            name = f"Smartsheet {labels[b.connection_id]}"
            lines[b.token] = OrgUsage(name, b.used, b.limit, 1.0, "smartsheet", b.deferred)
    return list(lines.values())


def _recent_api_numbers(
    connectors: ConnectorFactory, clock: Callable[[], float] = time.monotonic
) -> Callable[[ConnectionInfo], tuple[int, int] | None]:
    """An org's (used, allowance) today, asked of Salesforce at most every few minutes.

    The admin modal and App Home open within Slack's 3 s trigger window, and an admin
    opens them often: one call per org per few minutes, not one per open."""
    recent: dict[str, tuple[float, tuple[int, int]]] = {}

    def numbers(c: ConnectionInfo) -> tuple[int, int] | None:
        hit = recent.get(c.org_id)
        if hit is not None and clock() - hit[0] < API_USAGE_FRESH_SECONDS:
            return hit[1]
        try:
            connector = connectors.salesforce(c.id)
            connector.describe_global()  # a cheap call whose Sforce-Limit-Info is fresh
            found = connector.api_usage()
        except SyncbotError:
            return hit[1] if hit else None
        if found is not None:
            recent[c.org_id] = (clock(), found)
        return found

    return numbers


def build_services(
    settings: Settings, store: Store, engine: Syncer, connectors: ConnectorFactory
) -> Services:
    def revoke(connection: ConnectionInfo, tokens: Tokens) -> None:
        if connection.kind == ConnectionKind.SALESFORCE:
            http = make_session(settings.salesforce_ca_bundle)
            identity.revoke_salesforce(
                http, connection.login_url or settings.salesforce_login_url, tokens.access_token
            )
        else:
            identity.revoke_smartsheet(settings.smartsheet_api_url, tokens.access_token)

    numbers_of = _recent_api_numbers(connectors)

    def usage(team: str) -> list[OrgUsage]:
        with store.unit() as session:
            found = repo.list_connections(session, team_id=team)
        budgets = connectors.budget_use()
        refused = {b.connection_id: b.deferred for b in budgets if b.service == "salesforce"}
        seen: dict[str, OrgUsage] = {}
        for c in found:
            if c.kind != ConnectionKind.SALESFORCE or c.status != "active" or c.org_id in seen:
                continue
            numbers = numbers_of(c)
            if numbers is not None:
                # the share admins set in /sync admin, not the environment's default
                seen[c.org_id] = OrgUsage(
                    c.label,
                    numbers[0],
                    numbers[1],
                    services.api_share(),
                    deferred=refused.get(c.id, 0),
                )
        return [*seen.values(), *_smartsheet_usage(found, budgets)]

    def can_edit_sheet(connection_id: int, sheet_id: int) -> bool:
        try:
            return connectors.smartsheet(connection_id).sheet_info(sheet_id).editable
        except SyncbotError:
            return False

    services = Services(
        store,
        clock=SystemClock(),
        run_now=engine_runner(engine),
        default_poll_interval=settings.sync_poll_interval,
        connect=connect_config(settings),
        revoke=revoke,
        usage=usage,
        default_api_share=settings.sync_api_share,
        can_edit_sheet=can_edit_sheet,
        connectors=connectors,
        progress=_progress_hub(engine),
    )
    services.on_change = home_refresher(settings, store, services)
    return services


def home_refresher(
    settings: Settings, store: Store, services: Services
) -> Callable[[str, frozenset[str], Actor], None]:
    """Republish the App Home of the people a workflow change concerns, as the bot of the
    workflow's workspace (the CLI's changes included)."""
    out = _slack_out(settings, store)
    directory = AdminDirectory(settings.admin_ids)

    def refresh(team: str, users: frozenset[str], actor: Actor) -> None:
        client = out.client(team)
        if client is None:
            return
        if actor.team != team:  # the command line: no Slack user acted
            users, actor = users - {actor.user}, Actor(team, "", False)
        try:
            home.refresh(
                client, services, actor, users, lambda user: directory.is_admin(client, team, user)
            )
        except SlackApiError as exc:  # the change itself is done; a stale tab is not fatal
            log.warning("App Home not republished: %s", exc.response.get("error"))

    return refresh


def _slack_out(settings: Settings, store: Store) -> SlackOut:
    return SlackOut(
        slack_oauth.installation_store(settings, store.sessions.kw["bind"]), settings.slack_api_url
    )


def _progress_hub(engine: Syncer) -> ProgressHub:
    """Backfill progress for the builder's message, beside any listener already wired."""
    hub, before = ProgressHub(), engine.progress

    def both(workflow_id: int, done: int, total: int) -> None:
        hub(workflow_id, done, total)
        if before is not None:
            before(workflow_id, done, total)

    engine.progress = both
    return hub


def make_notifier(
    settings: Settings, store: Store, services: Services | None = None
) -> SlackNotifier:
    """Error DMs as the bot of each workspace (tokens from the installation store); with
    `services`, the recipient's App Home is republished after each DM."""
    db = store.sessions.kw["bind"]
    out = SlackOut(slack_oauth.installation_store(settings, db), settings.slack_api_url)
    hour = settings.syncbot_digest_hour
    if services is None:
        return SlackNotifier(store, out, digest_hour=hour)
    directory = AdminDirectory(settings.admin_ids)

    def republish(client: WebClient, team: str, user: str) -> None:
        actor = Actor(team, user, directory.is_admin(client, team, user))
        home.publish(client, services, actor)

    return SlackNotifier(store, out, republish, digest_hour=hour)
