"""The table of emulated Web API methods: handler and the scope each one needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import methods_chat as chat
from . import methods_directory as directory
from . import methods_views as views
from . import openid
from .call import Call


@dataclass(frozen=True)
class Method:
    handler: Callable[[Call], dict[str, Any]]
    scope: str | None  # the scope Slack reports as ``needed`` when the token lacks it


METHODS: dict[str, Method] = {
    "auth.test": Method(directory.auth_test, None),
    "users.info": Method(directory.users_info, "users:read"),
    "users.lookupByEmail": Method(directory.users_lookup_by_email, "users:read.email"),
    "team.info": Method(directory.team_info, "team:read"),
    "conversations.open": Method(chat.conversations_open, "im:write"),
    "chat.postMessage": Method(chat.chat_post_message, "chat:write"),
    "chat.update": Method(chat.chat_update, "chat:write"),
    "chat.delete": Method(chat.chat_delete, "chat:write"),
    "chat.postEphemeral": Method(chat.chat_post_ephemeral, "chat:write"),
    "views.open": Method(views.views_open, None),
    "views.push": Method(views.views_push, None),
    "views.update": Method(views.views_update, None),
    "views.publish": Method(views.views_publish, None),
    "openid.connect.userInfo": Method(openid.user_info, "openid"),
}
