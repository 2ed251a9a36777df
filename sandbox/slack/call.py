"""What a Web API method handler gets: the arguments, the caller's token and workspace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .messagestore import Author
from .models import SlackTeam, Token
from .state import SlackState


@dataclass
class Call:
    args: dict[str, Any]
    token: Token
    team: SlackTeam
    state: SlackState
    app_id: str

    @property
    def author(self) -> Author:
        return Author(self.team, self.app_id)

    def has_scope(self, scope: str) -> bool:
        return scope in self.token.scopes
