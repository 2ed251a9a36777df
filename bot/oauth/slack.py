"""Slack OAuth v2 install through Bolt's OAuthFlow, with slack-sdk's SQLAlchemy installation
and state stores on syncbot's database (their tables come from our Alembic migration)."""

from __future__ import annotations

from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.config import Settings
from bot.pages import page

# Only the scopes the app uses (the manifest test keeps this and app_manifest.yml equal).
BOT_SCOPES = ("commands", "chat:write", "users:read", "users:read.email")
STATE_SECONDS = 600


def authorize_url(settings: Settings) -> str:
    """Slack's authorize page lives beside its Web API: https://slack.com/api/ ->
    https://slack.com/oauth/v2/authorize (the sandbox follows the same layout)."""
    base = settings.slack_api_url.rstrip("/").removesuffix("/api")
    return base + "/oauth/v2/authorize"


def installation_store(settings: Settings, db: Engine) -> SQLAlchemyInstallationStore:
    return SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=db)


def oauth_settings(
    settings: Settings, db: Engine, installations: InstallationStore
) -> OAuthSettings:
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        redirect_uri=settings.public_url + "/slack/oauth_redirect",
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=db),
        authorization_url=authorize_url(settings),
        callback_options=CallbackOptions(success=_installed, failure=_failed),
    )


def _installed(args: SuccessArgs) -> BoltResponse:
    team = args.installation.team_name or args.installation.team_id or "your workspace"
    body = page(
        "syncbot is installed",
        f"syncbot is now installed in {team}. Type <code>/sync help</code> in Slack to start, "
        "or open syncbot's Home tab.",
    )
    return BoltResponse(status=200, body=body, headers={"Content-Type": "text/html; charset=utf-8"})


def _failed(args: FailureArgs) -> BoltResponse:
    reason = {
        "access_denied": "the install was cancelled in Slack.",
        "invalid_browser": "this link was opened in another browser than the one that started the install.",
        "invalid_state": "the install link expired or was already used.",
    }.get(args.reason, "Slack did not complete the install.")
    body = page(
        "syncbot was not installed",
        f"syncbot was not installed: {reason} Start again from the install page.",
    )
    return BoltResponse(
        status=args.suggested_status_code,
        body=body,
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
