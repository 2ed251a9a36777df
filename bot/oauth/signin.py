"""Sign in with Slack before a connect link reaches the provider's consent page.

A connect link can be forwarded or read over a shoulder; whoever opens it must first prove
with Slack (OpenID Connect) that they are the Slack user the link was made for. The proof
is kept 12 hours in a signed cookie, so a second connect does not ask again.

begin: a single-use `state` (slack-sdk's OAuth state store) and a `nonce`, kept with the
link's token in a signed 10-minute cookie, then Slack's authorize page. finish (at the
identity callback, bot/oauth/connect.py): state, cookie and nonce must agree; the code is
exchanged at openid.connect.token; the id_token (or openid.connect.userInfo) says who it
is."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlencode

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from bot.config import Settings
from bot.oauth import id_token
from bot.oauth.browser_cookies import (
    PENDING_LIFETIME,
    SESSION_LIFETIME,
    CookieSigner,
    PendingSignIn,
    SignedIn,
)
from bot.pages import esc, page

log = logging.getLogger(__name__)
SESSION_COOKIE = "syncbot_session"
PENDING_COOKIE = "syncbot_signin"
COOKIE_PATH = "/connect/"
IDENTITY_PATH = "/connect/slack/identity"
# openid: who and which workspace; profile: a name to show on the pages.
SIGNIN_SCOPES = ("openid", "profile")


def openid_authorize_url(settings: Settings) -> str:
    """Beside the Web API, as for OAuth v2: https://slack.com/openid/connect/authorize."""
    return settings.slack_api_url.rstrip("/").removesuffix("/api") + "/openid/connect/authorize"


class SlackSignIn:
    def __init__(self, settings: Settings, db: Engine, now: Callable[[], datetime]) -> None:
        self.settings, self.now = settings, now
        self.cookies = CookieSigner(settings.syncbot_encryption_key)
        self.states = SQLAlchemyOAuthStateStore(
            expiration_seconds=int(PENDING_LIFETIME.total_seconds()), engine=db
        )
        self.slack = WebClient(base_url=settings.slack_api_url)
        self._secure = settings.public_url.startswith("https://")

    @property
    def redirect_uri(self) -> str:
        return self.settings.public_url + IDENTITY_PATH

    def who(self, request: Request) -> SignedIn | None:
        """The person this browser signed in as, if the cookie is ours and fresh."""
        value = request.cookies.get(SESSION_COOKIE, "")
        return self.cookies.read_session(value, self.now()) if value else None

    # -- begin -------------------------------------------------------------------------
    def begin(self, token: str, provider: str, team_id: str) -> Response:
        pending = PendingSignIn(self.states.issue(), secrets.token_urlsafe(24), token, provider)
        query = urlencode(
            {
                "response_type": "code",
                "scope": " ".join(SIGNIN_SCOPES),
                "client_id": self.settings.slack_client_id,
                "state": pending.state,
                "nonce": pending.nonce,
                "redirect_uri": self.redirect_uri,
                "team": team_id,  # Slack opens the link's workspace
            }
        )
        response = redirect(f"{openid_authorize_url(self.settings)}?{query}", code=302)
        self._set(
            response,
            PENDING_COOKIE,
            self.cookies.pending(pending, self.now()),
            PENDING_LIFETIME.total_seconds(),
        )
        return response

    # -- the identity callback ----------------------------------------------------------
    def finish(self, request: Request) -> tuple[PendingSignIn, SignedIn]:
        """The sign-in this browser started and who Slack says signed in; SignInFailed
        (its message is the page text) when state, cookie, code or nonce do not agree."""
        value = request.cookies.get(PENDING_COOKIE, "")
        pending = self.cookies.read_pending(value, self.now()) if value else None
        state = request.args.get("state", "")
        if pending is None:
            raise SignInFailed(
                "This Slack sign-in was not started in this browser, or it took longer than "
                "10 minutes."
            )
        if not state or state != pending.state or not self.states.consume(state):
            raise SignInFailed(
                "This Slack sign-in is not one syncbot started, or it was already used."
            )
        if request.args.get("error"):
            raise SignInFailed("The Slack sign-in was cancelled; nothing was connected.")
        return pending, self._exchange(request.args.get("code", ""), pending.nonce)

    def _exchange(self, code: str, nonce: str) -> SignedIn:
        try:
            answer = self.slack.openid_connect_token(
                client_id=self.settings.slack_client_id,
                client_secret=self.settings.slack_client_secret,
                code=code,
                redirect_uri=self.redirect_uri,
            )
            if not answer.get("id_token"):
                return self._user_info(str(answer["access_token"]))
            return id_token.signed_in(
                str(answer["id_token"]),
                client_id=self.settings.slack_client_id,
                nonce=nonce,
                now=datetime.now(UTC),  # Slack's clock, not the links' (tests move that one)
                issuers=(self.settings.slack_api_url.rstrip("/").removesuffix("/api"),),
            )
        except SlackApiError as exc:
            error = exc.response.get("error", "unknown_error")
            log.info("Sign in with Slack refused by Slack: %s", error)
            raise SignInFailed(
                f"Slack did not accept this sign-in ({error}); nothing was connected."
            ) from exc
        except OSError as exc:  # URLError and timeouts: Slack unreachable
            log.warning("Sign in with Slack: Slack unreachable (%s)", type(exc).__name__)
            raise SignInFailed(
                "Slack could not be reached to finish the sign-in; nothing was connected. "
                "Open the link again in a minute."
            ) from exc
        except id_token.BadIdToken as exc:
            log.warning("Sign in with Slack: unusable id_token (%s)", exc)
            raise SignInFailed(
                "Slack's answer did not say who signed in; nothing was connected."
            ) from exc

    def _user_info(self, access_token: str) -> SignedIn:
        """Without an id_token, openid.connect.userInfo says who the token belongs to."""
        client = WebClient(token=access_token, base_url=self.settings.slack_api_url)
        info = client.openid_connect_userInfo()
        return id_token.from_claims(dict(info.data) if isinstance(info.data, dict) else {})

    def done(self, response: Response, person: SignedIn | None = None) -> Response:
        response.delete_cookie(PENDING_COOKIE, path=COOKIE_PATH)
        if person is not None:
            session = self.cookies.session(person, self.now())
            self._set(response, SESSION_COOKIE, session, SESSION_LIFETIME.total_seconds())
        return response

    def _set(self, response: Response, name: str, value: str, seconds: float) -> None:
        response.set_cookie(
            name,
            value,
            max_age=int(seconds),
            httponly=True,
            samesite="Lax",
            path=COOKIE_PATH,
            secure=self._secure,
        )


class SignInFailed(Exception):
    """Sign in with Slack did not tell us who this is; the message is the page text."""


def someone_else(person: SignedIn) -> Response:
    """The link's owner is another Slack user: say so and who is signed in; nothing made.
    The owner is not named: the reader may be of another workspace."""
    name = person.name or person.user_id
    where = f" in {esc(person.team_name)}" if person.team_name else ""
    body = (
        f"This link was made for another Slack user; you are signed in with Slack as "
        f"<b>{esc(name)}</b>{where}. Nothing was connected, and the link still works for the "
        "person it was made for. To connect your own account, run <code>/sync connect</code> "
        "yourself in Slack."
    )
    return Response(page("This link is not yours", body), status=403, mimetype="text/html")
