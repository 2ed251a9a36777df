"""The Slack Web API emulator: ``/api/<method>``, the OAuth v2 authorize page, response_urls.

Endpoint names (for fault injection and counters) are the Web API method names, e.g.
``chat.postMessage``, plus ``oauth.authorize`` and ``response_url``. Errors follow Slack:
HTTP 200 with ``{"ok": false, "error": ...}``; rate limits are HTTP 429 with Retry-After.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from sandbox.core import Emulator, json_response

from . import oauth, openid, openid_jwt, respond
from .args import read_args, read_token
from .call import Call
from .errors import SlackError
from .ids import IdFactory
from .messagestore import Author, im_id
from .models import ApiCall, ResponseUrlPost, SlackTeam, SlackUserInfo, Token
from .oauth import AppConfig
from .state import SlackState
from .view_rules import check_view
from .webapi import METHODS

_FAULT_ERRORS = {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}


class SlackEmulator(Emulator):
    """Slack for one app (syncbot) in two seeded workspaces, Acme and Globex.

    Serve it and tell it where it lives::

        slack = SlackEmulator()
        server = BackgroundServer(slack).start()
        slack.base_url = server.url
        WebClient(token=slack.bot_token, base_url=slack.api_url)

    ``clock`` drives trigger, code and response_url expiry (tests pass a fake one).
    """

    name = "slack"

    def __init__(self, *, trigger_ttl: float = 3.0, clock: Callable[[], float] = time.time) -> None:
        self.app = AppConfig()
        self.base_url = "http://127.0.0.1"
        self._clock = clock
        self._trigger_ttl = trigger_ttl
        self._ids = IdFactory(clock)
        self.state = SlackState(self._ids, clock, self.app.app_id, trigger_ttl)
        self.calls: list[ApiCall] = []
        self.responses: list[ResponseUrlPost] = []
        self.rejected_acks: list[tuple[str, list[str]]] = []  # (view_id, Slack's messages)
        self._calls_changed = threading.Condition()
        super().__init__()

    # -- configuration ---------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    @property
    def authorize_url(self) -> str:
        return self.base_url + "/oauth/v2/authorize"

    @property
    def openid_authorize_url(self) -> str:
        return self.base_url + "/openid/connect/authorize"

    @property
    def client_id(self) -> str:
        return self.app.client_id

    @property
    def client_secret(self) -> str:
        return self.app.client_secret

    @property
    def signing_secret(self) -> str:
        return self.app.signing_secret

    @property
    def app_id(self) -> str:
        return self.app.app_id

    @property
    def verification_token(self) -> str:
        return self.app.verification_token

    @property
    def teams(self) -> dict[str, SlackTeam]:
        return self.state.teams

    @property
    def users(self) -> dict[str, SlackUserInfo]:
        return self.state.users

    @property
    def bot_token(self) -> str:
        return self.bot_token_for("T0SANDBOX1")

    def bot_token_for(self, team_id: str) -> str:
        return self.state.latest_bot_token[team_id]

    def user_id(self, team_id: str, name: str) -> str:
        for user in self.state.users.values():
            if user.team_id == team_id and user.name == name and not user.is_bot:
                return user.id
        raise KeyError(f"no user {name!r} in {team_id}")

    def add_user(self, team_id: str, name: str, **fields: Any) -> SlackUserInfo:
        """A new member (for tests): flags as keyword arguments, e-mail from the team."""
        with self.lock:
            team = self.state.teams[team_id]
            number = len(self.state.users) + 1
            user = SlackUserInfo(
                id=f"U0{name.upper()[:5]}{number:03d}",
                team_id=team_id,
                name=name,
                real_name=fields.pop("real_name", name.title()),
                email=fields.pop("email", f"{name}@{team.email_domain}"),
                **fields,
            )
            self.state.users[user.id] = user
            self.state.messages.channels[team.general_channel].members.add(user.id)
            return user

    # -- routing ---------------------------------------------------------------------
    def rules(self) -> Iterable[Rule]:
        yield Rule("/oauth/v2/authorize", endpoint="oauth.authorize", methods=["GET", "POST"])
        yield Rule("/response/<path:url_id>", endpoint="response_url", methods=["POST"])
        yield Rule("/api/oauth.v2.access", endpoint="oauth.v2.access")
        yield Rule(
            "/openid/connect/authorize", endpoint="openid.authorize", methods=["GET", "POST"]
        )
        yield Rule("/openid/connect/keys", endpoint="openid.keys", methods=["GET"])
        yield Rule("/api/openid.connect.token", endpoint="openid.connect.token")
        for method in METHODS:
            yield Rule(f"/api/{method}", endpoint=method)
        yield Rule("/api/<path:method>", endpoint="unknown_method")

    def error_response(self, status: int, body: Any = None) -> Response:
        if body is None:
            body = {"ok": False, "error": _FAULT_ERRORS.get(status, "fatal_error")}
        elif isinstance(body, str):
            body = {"ok": False, "error": body}
        headers = {"Retry-After": "1"} if status == 429 else {}
        return json_response(body, status, headers)

    def not_found(self, request: Request) -> Response:
        return json_response({"ok": False, "error": "not_found"}, 404)

    # -- Web API -----------------------------------------------------------------------
    def _web_api(self, request: Request, method: str) -> Response:
        spec = METHODS[method]
        token: Token | None = None
        try:
            args = read_args(request)
            with self.lock:
                token = self.state.authenticate(read_token(request))
                if spec.scope and spec.scope not in token.scopes:
                    raise SlackError(
                        "missing_scope", needed=spec.scope, provided=",".join(token.scopes)
                    )
                call = Call(
                    args, token, self.state.teams[token.team_id], self.state, self.app.app_id
                )
                body = spec.handler(call)
        except SlackError as exc:
            body = exc.body()
        headers = {}
        if token is not None:
            headers = {
                "x-oauth-scopes": ",".join(token.scopes),
                "x-accepted-oauth-scopes": spec.scope or "",
            }
        return json_response(body, 200, headers)

    def on_auth_test(self, request: Request) -> Response:
        return self._web_api(request, "auth.test")

    def on_users_info(self, request: Request) -> Response:
        return self._web_api(request, "users.info")

    def on_users_lookupByEmail(self, request: Request) -> Response:
        return self._web_api(request, "users.lookupByEmail")

    def on_team_info(self, request: Request) -> Response:
        return self._web_api(request, "team.info")

    def on_conversations_open(self, request: Request) -> Response:
        return self._web_api(request, "conversations.open")

    def on_chat_postMessage(self, request: Request) -> Response:
        return self._web_api(request, "chat.postMessage")

    def on_chat_update(self, request: Request) -> Response:
        return self._web_api(request, "chat.update")

    def on_chat_delete(self, request: Request) -> Response:
        return self._web_api(request, "chat.delete")

    def on_chat_postEphemeral(self, request: Request) -> Response:
        return self._web_api(request, "chat.postEphemeral")

    def on_views_open(self, request: Request) -> Response:
        return self._web_api(request, "views.open")

    def on_views_push(self, request: Request) -> Response:
        return self._web_api(request, "views.push")

    def on_views_update(self, request: Request) -> Response:
        return self._web_api(request, "views.update")

    def on_views_publish(self, request: Request) -> Response:
        return self._web_api(request, "views.publish")

    def on_oauth_v2_access(self, request: Request) -> Response:
        try:
            args = read_args(request)
            with self.lock:
                body = oauth.access(self.app, self.state, request, args)
        except SlackError as exc:
            body = exc.body()
        return json_response(body)

    def on_openid_connect_token(self, request: Request) -> Response:
        try:
            args = read_args(request)
            with self.lock:
                body = openid.token(self.app, self.state, request, args)
        except SlackError as exc:
            body = exc.body()
        return json_response(body)

    def on_openid_connect_userInfo(self, request: Request) -> Response:
        return self._web_api(request, "openid.connect.userInfo")

    def on_openid_authorize(self, request: Request) -> Response:
        with self.lock:
            if request.method == "POST":
                return openid.decide(self.app, self.state, request)
            return openid.render_authorize(self.app, self.state, request)

    def on_openid_keys(self, request: Request) -> Response:
        return json_response(openid_jwt.jwks())

    def on_unknown_method(self, request: Request, method: str) -> Response:
        return json_response({"ok": False, "error": "unknown_method", "req_method": method})

    # -- OAuth page and response_urls ----------------------------------------------------
    def on_oauth_authorize(self, request: Request) -> Response:
        with self.lock:
            if request.method == "POST":
                return oauth.decide(self.app, self.state, request)
            return oauth.render_authorize(self.app, self.state, request)

    def on_response_url(self, request: Request, url_id: str) -> Response:
        try:
            body = respond.read_body(request)
            with self.lock:
                handle = self.state.response_urls.use(url_id)
                author = Author(self.state.teams[handle.team_id], self.app.app_id)
                ts = respond.apply(self.state, handle, body, author)
                # A later replace_original on this URL replaces what it posted.
                handle.message_ts = handle.message_ts or ts
                post = respond.record(handle, request.url, body, ts)
            with self._calls_changed:
                self.responses.append(post)
                self._calls_changed.notify_all()
        except SlackError as exc:
            status = 404 if exc.error in {"expired_url", "used_url"} else 200
            return json_response(exc.body(), status)
        return json_response({"ok": True})

    def issue_response_url(
        self,
        source: str,
        team_id: str,
        user_id: str,
        channel_id: str | None,
        message_ts: str | None = None,
    ) -> str:
        with self.lock:
            handle = self.state.response_urls.issue(
                source, team_id, user_id, channel_id, message_ts
            )
        return f"{self.base_url}/response/{handle.id}"

    # -- the call log --------------------------------------------------------------------
    def _finish(self, request: Request, endpoint: str, response: Response) -> Response:
        if request.path.startswith("/api/"):
            self._log_call(request, response)
        return super()._finish(request, endpoint, response)

    def _log_call(self, request: Request, response: Response) -> None:
        try:
            args = read_args(request)
        except SlackError:
            args = {}
        if "client_secret" in args:
            args["client_secret"] = "(redacted)"  # the log is for tests to read, not secrets
        try:
            body = json.loads(response.get_data(as_text=True))
        except ValueError:
            body = {}
        token = read_token(request)
        known = self.state.tokens.get(token or "")
        team_id = known.team_id if known else (body.get("team") or {}).get("id")
        entry = ApiCall(
            method=request.path[len("/api/") :],
            args=args,
            token=token,
            team_id=team_id,
            response=body,
            status=response.status_code,
            http_method=request.method,
        )
        with self._calls_changed:
            self.calls.append(entry)
            self._calls_changed.notify_all()

    def calls_to(self, method: str) -> list[ApiCall]:
        with self._calls_changed:
            return [c for c in self.calls if c.method == method]

    def wait_for_call(self, method: str, *, after: int = 0, timeout: float = 5.0) -> ApiCall:
        """The first call to ``method`` at index ``after`` or later of ``calls``, waiting for it.

        ``after`` is a position in ``calls`` (e.g. ``Interaction.calls_before``), so
        ``after=0`` waits for the first call to ``method`` ever made.
        """
        deadline = time.monotonic() + timeout
        with self._calls_changed:
            while True:
                found = [c for c in self.calls[after:] if c.method == method]
                if found:
                    return found[0]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self.calls[after:]]
                    raise TimeoutError(f"no {method} call after #{after}; saw {seen}")
                self._calls_changed.wait(remaining)

    def wait_for_response(self, *, after: int = 0, timeout: float = 5.0) -> ResponseUrlPost:
        """The first response_url post at index ``after`` or later of ``responses``."""
        deadline = time.monotonic() + timeout
        with self._calls_changed:
            while len(self.responses) <= after:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no response_url post after #{after}")
                self._calls_changed.wait(remaining)
            return self.responses[after]

    # -- what tests look at --------------------------------------------------------------
    def views(self) -> dict[str, dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(self.state.views.views)

    def modal_stack(self, user_id: str) -> list[str]:
        """The view ids of the modal stack the person has open (root first)."""
        user = self.state.users[user_id]
        with self.lock:
            return list(self.state.views.stacks.get((user.team_id, user_id), []))

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        user = self.state.users[user_id]
        with self.lock:
            view_id = self.state.views.homes.get((user.team_id, user_id))
            return copy.deepcopy(self.state.views.views[view_id]) if view_id else None

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages in a channel; a user id means the bot's IM with that person."""
        channel_id = im_id(channel) if channel[:1] in {"U", "W"} else channel
        with self.lock:
            return copy.deepcopy(self.state.messages.messages.get(channel_id, []))

    def ephemerals(self, user_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(
                [m for m in self.state.messages.ephemerals if m["ephemeral_user"] == user_id]
            )

    def dm_channel(self, user_id: str) -> str:
        user = self.state.users[user_id]
        with self.lock:
            return self.state.messages.im_for(user.team_id, user_id).id

    def find_message(self, ts: str) -> tuple[str, dict[str, Any], bool] | None:
        """(channel_id, message, is_ephemeral) for a ts, or None."""
        with self.lock:
            found = self.state.messages.find_any(ts)
            return copy.deepcopy(found) if found else None

    # -- what the person's Slack client does ----------------------------------------------
    def issue_trigger_id(self, team_id: str, user_id: str, *, view_id: str | None = None) -> str:
        with self.lock:
            return self.state.triggers.issue(team_id, user_id, view_id)

    def set_view_value(
        self, view_id: str, block_id: str, action_id: str, entry: dict[str, Any]
    ) -> None:
        with self.lock:
            self.state.views.set_value(view_id, block_id, action_id, entry)

    def close_view(self, view_id: str) -> None:
        with self.lock:
            self.state.views.close(view_id)

    def apply_view_ack(self, view_id: str, ack: dict[str, Any] | None) -> None:
        """What Slack does with the bot's answer to a view_submission."""
        action = (ack or {}).get("response_action")
        store = self.state.views
        with self.lock:
            if action == "errors":
                return
            if action == "clear":
                store.clear(view_id)
            elif action in {"update", "push"}:
                self._show_ack_view(view_id, action, (ack or {}).get("view"))
            else:
                store.close(view_id)

    def _show_ack_view(self, view_id: str, action: str, view: Any) -> None:
        store = self.state.views
        stored = store.views[view_id]
        try:
            check_view(view, "modal")
            if action == "update":
                store.replace(view_id, view, stored["bot_id"])
            else:
                store.push(store.owners[view_id], view, stored["bot_id"])
        except SlackError as exc:
            messages = exc.extra.get("response_metadata", {}).get("messages", [exc.error])
            self.rejected_acks.append((view_id, messages))

    # -- tokens and reset ------------------------------------------------------------------
    def expire_token(self, token: str) -> None:
        with self.lock:
            self.state.tokens[token].state = "expired"

    def revoke_token(self, token: str) -> None:
        with self.lock:
            self.state.tokens[token].state = "revoked"

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self._ids.reset()
            self.state = SlackState(self._ids, self._clock, self.app.app_id, self._trigger_ttl)
            self.rejected_acks.clear()
        with self._calls_changed:
            self.calls.clear()
            self.responses.clear()
