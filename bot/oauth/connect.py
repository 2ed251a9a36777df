"""The Salesforce and Smartsheet connect flows: /connect/<provider>/start and /callback,
and Sign in with Slack's landing, /connect/slack/identity.

start: a browser not signed in with Slack as the link's owner is sent to sign in first
(bot/oauth/signin.py); the identity callback sends the owner back to start and shows
anyone else a page, leaving the link usable for its owner. Then the single-use link becomes
the provider's state (+ PKCE for Salesforce) and a browser cookie, and a redirect to the
consent page. callback: the link is completed, the
code exchanged, the identity read and checked, the tokens stored encrypted; the user gets a
page, a DM, the replaced prompt and a fresh App Home. Every refusal is a page and creates
nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlencode

from sqlalchemy import Engine
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from bot.config import Settings
from bot.oauth import signin
from bot.oauth.browser_cookies import SignedIn
from bot.oauth.signin import SlackSignIn
from bot.pages import esc, page
from bot.slack_out import SlackOut
from bot.web import Route, page_route
from handlers.views import connect as views
from sync.connect import LinkRefused, OpenedLink
from sync.connectors import identity as ident
from sync.connectors import salesforce_oauth as sf_oauth
from sync.connectors.http import make_session
from sync.connectors.smartsheet import SmartsheetApp
from sync.errors import SyncbotError
from sync.services import Services
from sync.store import repo
from sync.store.connect_links import LinkRecord
from sync.store.repo import ConnectionKind

log = logging.getLogger(__name__)
COOKIE = "syncbot_connect"
# CREATE_SHEETS: the builder's "New sheet" (POST /sheets needs it)
SMARTSHEET_SCOPES = "READ_SHEETS WRITE_SHEETS ADMIN_SHEETS CREATE_SHEETS"
AfterConnect = Callable[[str, str], None]  # (team, user): republish App Home


class ConnectFlows:
    def __init__(
        self,
        settings: Settings,
        services: Services,
        slack: SlackOut,
        after: AfterConnect,
        allowed: Callable[[str, str], bool] = lambda team, user: True,
        *,
        db: Engine,
    ) -> None:
        self.settings, self.services, self.slack, self.after = settings, services, slack, after
        self.allowed = allowed
        self.sf_app = sf_oauth.SalesforceApp(
            settings.salesforce_client_id, settings.salesforce_client_secret
        )
        self.ss_app = SmartsheetApp(
            settings.smartsheet_client_id, settings.smartsheet_client_secret
        )
        # The links' clock, read on each use (tests move it).
        self.signin = SlackSignIn(settings, db, lambda: self.services.links.clock.now())

    def routes(self) -> list[Route]:
        return [
            page_route(signin.IDENTITY_PATH, self.identity),
            page_route("/connect/<provider>/start", self.start),
            page_route("/connect/<provider>/callback", self.callback),
        ]

    def _callback_url(self, provider: str) -> str:
        return f"{self.settings.public_url}/connect/{provider}/callback"

    # -- start ---------------------------------------------------------------------
    def start(self, request: Request, provider: str) -> Response:
        if provider not in views.NAMES:
            return _refused("There is no such service to connect.", 404)
        token = request.args.get("t", "")
        try:
            link = self.services.links.peek(token, provider, allowed=self.allowed)
            if not _owns(self.signin.who(request), link):
                # Signed in as nobody or someone else: Slack says who this is first.
                return self.signin.begin(token, provider, link.team_id)
            opened = self.services.links.open(token, provider, allowed=self.allowed)
        except LinkRefused as exc:
            return _refused(exc.message)
        response = redirect(self._authorize(provider, opened), code=302)
        response.set_cookie(
            COOKIE,
            opened.browser_secret,
            max_age=600,
            httponly=True,
            samesite="Lax",
            path="/connect/",
            secure=self.settings.public_url.startswith("https://"),
        )
        return response

    # -- Sign in with Slack's callback ---------------------------------------------------
    def identity(self, request: Request) -> Response:
        try:
            pending, person = self.signin.finish(request)
        except signin.SignInFailed as exc:
            return self.signin.done(_refused(str(exc)))
        try:
            link = self.services.links.peek(pending.token, pending.provider, allowed=self.allowed)
        except LinkRefused as exc:
            return self.signin.done(_refused(exc.message), person)
        if not _owns(person, link):
            log.info("connect link of %s opened by %s", link.user_id, person.user_id)
            return self.signin.done(signin.someone_else(person), person)
        back = f"/connect/{pending.provider}/start?{urlencode({'t': pending.token})}"
        return self.signin.done(redirect(back, code=302), person)

    def _authorize(self, provider: str, opened: OpenedLink) -> str:
        if provider == "salesforce":
            login = opened.login_url or self.settings.salesforce_login_url
            return sf_oauth.authorize_url(
                login,
                self.sf_app,
                self._callback_url(provider),
                opened.state,
                opened.code_challenge,
            )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.ss_app.client_id,
                "scope": SMARTSHEET_SCOPES,
                "state": opened.state,
                "redirect_uri": self._callback_url(provider),
            }
        )
        return f"{self.settings.smartsheet_authorize_url}?{query}"

    # -- callback ------------------------------------------------------------------
    def callback(self, request: Request, provider: str) -> Response:
        if provider not in views.NAMES:
            return _refused("There is no such service to connect.", 404)
        try:
            who = self.signin.who(request)
            link = self.services.links.complete(
                request.args.get("state", ""),
                provider,
                request.cookies.get(COOKIE, ""),
                (who.team_id, who.user_id) if who else None,
            )
        except LinkRefused as exc:
            return _refused(exc.message)
        if request.args.get("error"):
            return _refused("The sign-in was cancelled; nothing was connected.")
        try:
            account, connection_id = self._finish(provider, link, request.args.get("code", ""))
        except SyncbotError as exc:
            return _refused(_plain_words(exc))
        self._tell_slack(provider, link, account, connection_id)
        body = (
            f"Connected <b>{esc(account)}</b> ({views.NAMES[provider]}) for "
            f"<b>{esc(_slack_person(who, link))}</b> in Slack. syncbot sent you a message there."
        )
        response = Response(
            page(f"{views.NAMES[provider]} connected", body), 200, mimetype="text/html"
        )
        response.delete_cookie(COOKIE, path="/connect/")
        return response

    def _finish(self, provider: str, link: LinkRecord, code: str) -> tuple[str, int]:
        if provider == "salesforce":
            return self._finish_salesforce(link, code)
        return self._finish_smartsheet(link, code)

    def _finish_salesforce(self, link: LinkRecord, code: str) -> tuple[str, int]:
        login = link.login_url or self.settings.salesforce_login_url
        http = make_session(self.settings.salesforce_ca_bundle)
        tokens = sf_oauth.exchange_code(
            http, login, self.sf_app, code, self._callback_url("salesforce"), link.code_verifier
        )
        who = ident.salesforce_identity(http, tokens)
        ident.check_salesforce_api(http, tokens, self.sf_app, login)
        label = f"{who.username or who.display_name} ({_org_kind(login)})"
        return who.username or who.display_name, self._store(
            link,
            ConnectionKind.SALESFORCE,
            tokens.access_token,
            tokens.refresh_token,
            who,
            label=label,
            instance_url=tokens.instance_url,
            login_url=login,
        )

    def _finish_smartsheet(self, link: LinkRecord, code: str) -> tuple[str, int]:
        api = self.settings.smartsheet_api_url
        access, refresh = ident.smartsheet_exchange(api, self.ss_app, code)
        who = ident.smartsheet_identity(api, access)
        return who.username, self._store(
            link,
            ConnectionKind.SMARTSHEET,
            access,
            refresh,
            who,
            label=f"Smartsheet {who.username}",
        )

    def _store(
        self,
        link: LinkRecord,
        kind: str,
        access: str,
        refresh: str | None,
        who: ident.Identity,
        *,
        label: str,
        instance_url: str = "",
        login_url: str = "",
    ) -> int:
        store = self.services.store
        with store.unit() as session:
            return repo.add_connection(
                session,
                store.cipher,
                team_id=link.team_id,
                owner_id=link.user_id,
                kind=kind,
                access_token=access,
                refresh_token=refresh,
                now=datetime.now(UTC),
                org_id=who.org_id,
                external_user_id=who.external_user_id,
                username=who.username,
                instance_url=instance_url,
                login_url=login_url,
                label=label,
            )

    def _tell_slack(
        self, provider: str, link: LinkRecord, account: str, connection_id: int
    ) -> None:
        """DM, replace the ephemeral prompt, republish App Home. Failures here must not
        undo the connection: they are logged."""
        client = self.slack.client(link.team_id)
        if client is not None:
            dm = views.connected_dm(provider, account, link.user_id, connection_id)
            client.chat_postMessage(channel=link.user_id, **dm)
        self.slack.replace(link.response_url, views.connected_prompt(account))
        self.after(link.team_id, link.user_id)


def _slack_person(who: SignedIn | None, link: LinkRecord) -> str:
    """The name Sign in with Slack gave, with the workspace; the user id when it gave none."""
    if who is None or not who.name:
        return f"Slack user {link.user_id}"
    return f"{who.name} ({who.team_name})" if who.team_name else who.name


def _owns(person: SignedIn | None, link: LinkRecord) -> bool:
    return person is not None and (person.team_id, person.user_id) == (
        link.team_id,
        link.user_id,
    )


def _org_kind(login_url: str) -> str:
    if "test.salesforce.com" in login_url or ".sandbox.my." in login_url:
        return "sandbox"
    if ".my.salesforce.com" in login_url:
        return "My Domain"
    return "production"


def _plain_words(exc: SyncbotError) -> str:
    if exc.code == "API_DISABLED_FOR_ORG":
        return (
            "This Salesforce org has no API access, so syncbot cannot use it. Salesforce "
            "includes the API in Enterprise, Unlimited, Developer and Performance editions "
            "(Professional only with the API add-on). Ask your Salesforce admin, or connect "
            "another org. Nothing was connected."
        )
    return f"{exc.message} Nothing was connected."


def _refused(text: str, status: int = 400) -> Response:
    body = f"{esc(text)} Run <code>/sync connect</code> in Slack for a new link."
    return Response(page("Not connected", body), status=status, mimetype="text/html")
