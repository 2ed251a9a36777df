"""The state the Slack emulator keeps: workspaces, people, tokens, triggers, and the call log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import profile


@dataclass
class SlackTeam:
    """A workspace, with the one bot user our app gets when installed there."""

    id: str
    name: str
    domain: str
    email_domain: str
    bot_user_id: str
    bot_id: str
    general_channel: str

    @property
    def url(self) -> str:
        return f"https://{self.domain}.slack.com/"

    def to_api(self) -> dict[str, Any]:
        """The ``team`` object of team.info."""
        return {
            "id": self.id,
            "name": self.name,
            "url": self.url,
            "domain": self.domain,
            "email_domain": self.email_domain,
            "icon": {"image_default": True},
            "avatar_base_url": "https://ca.slack-edge.com/",
            "is_verified": False,
        }


@dataclass
class SlackUserInfo:
    """A person (or bot user) of one workspace, as users.info describes them."""

    id: str
    team_id: str
    name: str
    real_name: str
    email: str
    is_admin: bool = False
    is_owner: bool = False
    is_primary_owner: bool = False
    deleted: bool = False
    tz: str = "America/Los_Angeles"
    is_bot: bool = False
    is_restricted: bool = False
    title: str = ""
    status_text: str = ""
    status_emoji: str = ""
    status_expiration: int = 0
    custom_image: bool = True  # False: Slack's default avatar (no image_original)

    def _profile(self, with_email: bool) -> dict[str, Any]:
        first, _, last = self.real_name.partition(" ")
        shown: dict[str, Any] = {
            "title": self.title,
            "phone": "",
            "skype": "",
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.name,
            "display_name_normalized": self.name,
            **profile.status(self.status_text, self.status_emoji, self.status_expiration),
            "avatar_hash": profile.avatar_hash(self.id, self.custom_image),
            "is_custom_image": self.custom_image,
            "first_name": first,
            "last_name": last,
            **profile.images(self.team_id, self.id, self.custom_image),
            "team": self.team_id,
        }
        if with_email and not self.is_bot:
            shown["email"] = self.email
        return shown

    def to_api(self, *, with_email: bool) -> dict[str, Any]:
        """The ``user`` object; e-mail only for tokens that hold users:read.email."""
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": profile.color(self.id),
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": "Pacific Standard Time",
            "tz_offset": -28800,
            "profile": self._profile(with_email),
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": self.is_primary_owner,
            "is_restricted": self.is_restricted,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1700000000,
            "is_email_confirmed": not self.is_bot,
            "who_can_share_contact_card": "EVERYONE",
            "has_2fa": False,
        }


@dataclass
class Token:
    """An issued access token (xoxb- bot or xoxp- user) and what it may do."""

    value: str
    team_id: str
    user_id: str  # the bot user for bot tokens, the installer for user tokens
    kind: str  # "bot" | "user"
    scopes: tuple[str, ...]
    state: str = "active"  # "active" | "expired" | "revoked"

    @property
    def is_bot(self) -> bool:
        return self.kind == "bot"


@dataclass
class Trigger:
    """A trigger_id handed to the bot with an interaction: single use, short-lived."""

    id: str
    team_id: str
    user_id: str
    issued_at: float
    view_id: str | None = None  # the view the interaction came from, for views.push
    used: bool = False


@dataclass
class Channel:
    """A conversation: public channel (C…) or the bot's IM with one person (D…)."""

    id: str
    team_id: str
    name: str
    members: set[str] = field(default_factory=set)
    is_im: bool = False
    im_user: str | None = None
    opened: bool = False  # for IMs: conversations.open was already called


@dataclass(frozen=True)
class ApiCall:
    """One Web API call as the emulator saw and answered it."""

    method: str
    args: dict[str, Any]  # merged from query string, form body and JSON body
    token: str | None
    team_id: str | None
    response: dict[str, Any]
    status: int
    http_method: str


@dataclass(frozen=True)
class ResponseUrlPost:
    """One POST the bot made to a response_url."""

    url: str
    source: str  # "command" | "block_actions" | "view_submission"
    team_id: str
    user_id: str
    channel_id: str | None
    body: dict[str, Any]
    message_ts: str | None  # the message it created, replaced or deleted


@dataclass
class ResponseUrl:
    """A response_url Slack handed out: up to 5 uses within 30 minutes."""

    id: str
    source: str
    team_id: str
    user_id: str
    channel_id: str | None
    issued_at: float
    message_ts: str | None = None  # the message the action came from
    uses: int = 0


@dataclass
class AuthorizationCode:
    """An OAuth v2 code waiting to be exchanged at oauth.v2.access."""

    code: str
    team_id: str
    user_id: str
    scopes: tuple[str, ...]
    user_scopes: tuple[str, ...]
    redirect_uri: str | None  # the one the authorize request named, if any
    issued_at: float
    nonce: str | None = None  # Sign in with Slack: echoed in the id_token
    openid: bool = False  # made by /openid/connect/authorize: only openid.connect.token takes it
