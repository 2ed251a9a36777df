"""Connect links: the rules that make a link safe to post in Slack.

A link is single-use, bound to (workspace, user, provider) and lives 10 minutes. Only its
sha256 is stored. The provider's `state` and the PKCE verifier are made when the link is
opened (so a link cannot go stale binding the wrong person), together with a browser secret
(a cookie) that the callback must present: the consent finished in another browser — or a
state copied elsewhere — creates nothing.

Before a link is opened, its owner proves who they are (Sign in with Slack, in bot/): `peek`
reads a link without using it up, so someone else's sign-in leaves it working for its
owner, and `complete` re-checks the signed-in person against the link.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sync.connectors.salesforce_oauth import pkce_pair
from sync.errors import SyncbotError
from sync.ports import Clock
from sync.store import connect_links
from sync.store.connect_links import LinkRecord
from sync.store.repo import Store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

LINK_LIFETIME = timedelta(minutes=10)
PROVIDERS = ("salesforce", "smartsheet")


class LinkRefused(SyncbotError):
    """A connect link or callback that must create nothing; the message is the page text."""

    code = "link_refused"


@dataclass(frozen=True)
class OpenedLink:
    state: str
    code_verifier: str
    code_challenge: str
    login_url: str
    browser_secret: str  # goes to the browser as a cookie


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class ConnectLinks:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store, self.clock = store, clock

    def issue(
        self,
        team_id: str,
        user_id: str,
        provider: str,
        *,
        login_url: str = "",
        response_url: str = "",
    ) -> str:
        if provider not in PROVIDERS:
            raise ValueError(provider)
        token, now = secrets.token_urlsafe(32), self.clock.now()
        with self.store.unit() as session:
            connect_links.add(
                session,
                token_hash=_hash(token),
                team_id=team_id,
                user_id=user_id,
                provider=provider,
                login_url=login_url,
                response_url=response_url,
                now=now,
                expires_at=now + LINK_LIFETIME,
            )
        return token

    def peek(
        self, token: str, provider: str, *, allowed: Callable[[str, str], bool] | None = None
    ) -> LinkRecord:
        """The usable link behind `token`, left untouched: before its owner has proved who
        they are (Sign in with Slack), a look must not use the link up."""
        with self.store.unit() as session:
            return self._usable(session, token, provider, allowed)

    def open(
        self, token: str, provider: str, *, allowed: Callable[[str, str], bool] | None = None
    ) -> OpenedLink:
        """`allowed(team, user)`: the allow-list, checked when the link is opened."""
        now = self.clock.now()
        with self.store.unit() as session:
            link = self._usable(session, token, provider, allowed)
            state, browser = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
            verifier, challenge = pkce_pair()
            connect_links.mark_opened(
                session,
                link.id,
                state=state,
                verifier=verifier,
                browser_hash=_hash(browser),
                now=now,
            )
        return OpenedLink(state, verifier, challenge, link.login_url, browser)

    def complete(
        self,
        state: str,
        provider: str,
        browser_secret: str,
        signed_in: tuple[str, str] | None,
    ) -> LinkRecord:
        """The link behind a callback, marked used; refused if anything does not match.
        `signed_in`: the (team, user) the browser is signed in to syncbot as, if any."""
        now = self.clock.now()
        with self.store.unit() as session:
            link = connect_links.by_state(session, state) if state else None
            if link is None or link.provider != provider:
                raise LinkRefused("This sign-in does not belong to a connect link syncbot made.")
            if link.completed_at is not None:
                raise LinkRefused("This connect link was already used.")
            if link.expires_at < now:
                raise LinkRefused("This connect link expired (links last 10 minutes).")
            if not browser_secret or _hash(browser_secret) != link.browser_hash:
                raise LinkRefused(
                    "This sign-in was finished in another browser than the one that opened "
                    "the link."
                )
            if signed_in != (link.team_id, link.user_id):
                raise LinkRefused(
                    "This browser is no longer signed in with Slack as the person this link "
                    "was made for."
                )
            connect_links.mark_completed(session, link.id, now)
        return link

    def _usable(
        self,
        session: Session,
        token: str,
        provider: str,
        allowed: Callable[[str, str], bool] | None,
    ) -> LinkRecord:
        link = connect_links.by_token(session, _hash(token)) if token else None
        self._check_usable(link, provider)
        assert link is not None
        if allowed is not None and not allowed(link.team_id, link.user_id):
            raise LinkRefused("syncbot is limited to some people in this workspace; ask an admin.")
        return link

    def _check_usable(self, link: LinkRecord | None, provider: str) -> None:
        if link is None:
            raise LinkRefused("This connect link is not one syncbot made (it may be mistyped).")
        if link.provider != provider:
            raise LinkRefused("This connect link is for another service.")
        if link.opened_at is not None:
            raise LinkRefused("This connect link was already used; each link works once.")
        if link.expires_at < self.clock.now():
            raise LinkRefused("This connect link expired (links last 10 minutes).")
