"""Everything the Slack emulator remembers, rebuilt from the seed on reset."""

from __future__ import annotations

from collections.abc import Callable

from .errors import SlackError
from .ids import IdFactory
from .interactivity import ResponseUrls, Triggers
from .messagestore import MessageStore
from .models import AuthorizationCode, SlackTeam, SlackUserInfo, Token
from .seed import DEFAULT_BOT_SCOPES, seed_channels, seed_teams, seed_users
from .viewstore import ViewStore


class SlackState:
    def __init__(
        self, ids: IdFactory, clock: Callable[[], float], app_id: str, trigger_ttl: float
    ) -> None:
        self.ids = ids
        self.clock = clock
        teams = seed_teams()
        users = seed_users(teams)
        self.teams: dict[str, SlackTeam] = {t.id: t for t in teams}
        self.users: dict[str, SlackUserInfo] = {u.id: u for u in users}
        self.tokens: dict[str, Token] = {}
        self.latest_bot_token: dict[str, str] = {}
        self.codes: dict[str, AuthorizationCode] = {}
        self.messages = MessageStore(ids, seed_channels(teams, users))
        self.views = ViewStore(ids, app_id)
        self.triggers = Triggers(ids, clock, trigger_ttl)
        self.response_urls = ResponseUrls(ids, clock)
        for team in teams:
            self.issue_bot_token(team.id, DEFAULT_BOT_SCOPES)

    # -- tokens --------------------------------------------------------------------------
    @staticmethod
    def _team_number(team_id: str) -> str:
        # Real tokens start with the workspace's numeric id; any stable number will do here.
        return str(int.from_bytes(team_id.encode()[-5:], "big"))

    def issue_bot_token(self, team_id: str, scopes: tuple[str, ...]) -> Token:
        team = self.teams[team_id]
        token = Token(
            value=self.ids.bot_token(self._team_number(team_id)),
            team_id=team_id,
            user_id=team.bot_user_id,
            kind="bot",
            scopes=scopes,
        )
        self.tokens[token.value] = token
        self.latest_bot_token[team_id] = token.value
        return token

    def issue_user_token(self, team_id: str, user_id: str, scopes: tuple[str, ...]) -> Token:
        token = Token(
            value=self.ids.user_token(self._team_number(team_id)),
            team_id=team_id,
            user_id=user_id,
            kind="user",
            scopes=scopes,
        )
        self.tokens[token.value] = token
        return token

    def authenticate(self, value: str | None) -> Token:
        """The token behind a call, or Slack's auth error for it."""
        if not value:
            raise SlackError("not_authed")
        token = self.tokens.get(value)
        if token is None:
            raise SlackError("invalid_auth")
        if token.state == "revoked":
            raise SlackError("token_revoked")
        if token.state == "expired":
            raise SlackError("token_expired")
        return token

    # -- people --------------------------------------------------------------------------
    def members(self, team_id: str) -> set[str]:
        return {u.id for u in self.users.values() if u.team_id == team_id}

    def user_in(self, team_id: str, user_id: str | None) -> SlackUserInfo:
        user = self.users.get(user_id or "")
        if user is None or user.team_id != team_id:
            raise SlackError("user_not_found")
        return user
