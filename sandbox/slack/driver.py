"""SlackUser: a person using Slack, sending correctly signed requests to the bot.

Each method does what Slack's servers do when the person acts: issue a trigger_id (and a
response_url) through the emulator, build the payload exactly as Slack sends it, sign it
(``v0`` HMAC-SHA256 with the signing secret) and POST it to the bot's request URL. The
bot's answer comes back as an ``Interaction``; for view submissions the answer is applied
to the modal as Slack would (close, errors, update, push, clear).

Slack waits 3 seconds for the HTTP answer that acknowledges a request, then gives up: the
person sees an error and whatever the bot answers later is thrown away. The driver does
the same (``Interaction.timed_out``, ``Interaction.user_sees``); a late
``response_action`` is never applied to the modal.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urljoin

import requests
from slack_sdk.signature import SignatureVerifier

from . import payloads
from . import state_values as sv
from .blockkit import walk_elements
from .browser import find_link, read_form, read_page, trust_loopback
from .emulator import SlackEmulator
from .payloads import Who

USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
ACK_DEADLINE = 3.0  # seconds Slack waits for the acknowledging HTTP response
MAX_REDIRECTS = 20
SUBMIT_TIMED_OUT = "We had some trouble connecting. Try again?"


def command_timed_out(command: str) -> str:
    """What Slackbot tells the person when a slash command is not acknowledged in time."""
    return f'{command} failed with the error "operation_timeout"'


@dataclass
class Interaction:
    status: int  # 0 when no answer came (not sent, or not acknowledged in time)
    body: str
    json: Any | None
    headers: dict[str, str]
    calls_before: int  # len(emulator.calls) when the request was sent
    timed_out: bool = False  # no answer within ACK_DEADLINE: Slack gave up on the bot
    user_sees: str | None = None  # the error Slack shows the person, if any


def _interaction(response: requests.Response, calls_before: int) -> Interaction:
    try:
        parsed = response.json() if response.text.strip() else None
    except ValueError:
        parsed = None
    return Interaction(
        status=response.status_code,
        body=response.text,
        json=parsed,
        headers=dict(response.headers),
        calls_before=calls_before,
    )


def _find(
    blocks: list[dict[str, Any]], action_id: str, block_id: str | None, value: str | None
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    for block, element in walk_elements(blocks):
        if element.get("action_id") != action_id:
            continue
        if block_id is not None and block.get("block_id") != block_id:
            continue
        # Rows of a list often repeat an action_id; a button's value tells them apart.
        if value is not None and element.get("type") == "button" and element.get("value") != value:
            continue
        return block, element
    return None


class SlackUser:
    """Acts as a person in Slack: sends correctly signed requests to the bot."""

    def __init__(
        self,
        emulator: SlackEmulator,
        request_url: str,
        *,
        team_id: str,
        user_id: str,
        signing_secret: str | None = None,
        channel_id: str = "C0GENERAL1",
        ack_deadline: float = ACK_DEADLINE,
    ) -> None:
        self.emulator = emulator
        self.ack_deadline = ack_deadline
        self.request_url = request_url
        self.team_id = team_id
        self.user_id = user_id
        # The default names Acme's #general; people of other workspaces use their own.
        default = channel_id == "C0GENERAL1" and team_id in emulator.teams
        self.channel_id = emulator.teams[team_id].general_channel if default else channel_id
        self._verifier = SignatureVerifier(signing_secret or emulator.signing_secret)
        self._suggested: dict[str, list[dict[str, Any]]] = {}
        self.session = requests.Session()  # also the person's browser (cookies)
        self.session.headers["User-Agent"] = USER_AGENT
        self._sign_ins = 0
        self.last_install_redirect = ""  # where Slack sent the browser back after install

    # -- plumbing ------------------------------------------------------------------------
    @property
    def who(self) -> Who:
        e = self.emulator
        return Who(e.teams[self.team_id], e.users[self.user_id], e.app_id, e.verification_token)

    def _send(self, body: str, content_type: str) -> Interaction:
        timestamp = str(int(time.time()))  # Bolt rejects requests older than 5 minutes
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": self._verifier.generate_signature(timestamp=timestamp, body=body),
        }
        calls_before = len(self.emulator.calls)
        try:
            # A read timeout is a deadline on the whole answer here: Bolt's adapters send
            # status, headers and body at once, when the listener has acknowledged.
            response = self.session.post(
                self.request_url,
                data=body.encode("utf-8"),
                headers=headers,
                timeout=self.ack_deadline,
            )
        except requests.Timeout:
            return Interaction(0, "", None, {}, calls_before, timed_out=True)
        return _interaction(response, calls_before)

    def _send_form(self, fields: list[tuple[str, str]]) -> Interaction:
        return self._send(urlencode(fields), "application/x-www-form-urlencoded")

    def _send_payload(self, payload: dict[str, Any]) -> Interaction:
        return self._send_form([("payload", json.dumps(payload))])

    def _channel_object(self, channel_id: str) -> dict[str, str]:
        channel = self.emulator.state.messages.channels.get(channel_id)
        name = "directmessage" if channel is None or channel.is_im else channel.name
        return {"id": channel_id, "name": name}

    # -- slash commands --------------------------------------------------------------------
    def slash(self, command: str, text: str = "") -> Interaction:
        e = self.emulator
        response_url = e.issue_response_url("command", self.team_id, self.user_id, self.channel_id)
        trigger_id = e.issue_trigger_id(self.team_id, self.user_id)
        channel = self._channel_object(self.channel_id)
        result = self._send_form(
            payloads.slash_command(
                self.who, self.channel_id, channel["name"], command, text, response_url, trigger_id
            )
        )
        if result.timed_out:
            # Only the acknowledgement is lost: the response_url stays usable for 30 minutes.
            result.user_sees = command_timed_out(command)
        return result

    # -- block actions -------------------------------------------------------------------------
    def click(
        self,
        action_id: str,
        *,
        value: str | None = None,
        selected: Any = None,
        view_id: str | None = None,
        message_ts: str | None = None,
        block_id: str | None = None,
    ) -> Interaction:
        """Press a button, pick from a select, etc. in a view, a message or the Home tab.

        Without ``view_id``/``message_ts`` the element is looked for in the person's Home
        tab, then in the newest messages they can see that hold it.
        """
        if view_id is None and message_ts is None:
            where, found_id = self._locate(action_id, block_id, value)
            view_id, message_ts = (found_id, None) if where == "view" else (None, found_id)
        if view_id is not None:
            return self._click_in_view(view_id, action_id, value, selected, block_id)
        return self._click_in_message(str(message_ts), action_id, value, selected, block_id)

    def _locate(self, action_id: str, block_id: str | None, value: str | None) -> tuple[str, str]:
        """("view", view_id) or ("message", ts) of the element the person can see."""
        e = self.emulator
        home = e.home_view(self.user_id)
        if home and _find(home["blocks"], action_id, block_id, value):
            return "view", home["id"]
        candidates = (
            e.ephemerals(self.user_id) + e.messages(self.user_id) + e.messages(self.channel_id)
        )
        for message in sorted(candidates, key=lambda m: float(m["ts"]), reverse=True):
            if _find(message.get("blocks", []), action_id, block_id, value):
                return "message", message["ts"]
        raise LookupError(f"no element {action_id!r} in the Home tab or visible messages")

    def _action(
        self, block: dict[str, Any], element: dict[str, Any], value: str | None, selected: Any
    ) -> dict[str, Any]:
        action: dict[str, Any] = {
            "type": element["type"],
            "block_id": block["block_id"],
            "action_id": element.get("action_id"),
        }
        if element["type"] == "button":
            action["text"] = element.get("text")
            if "value" in element:
                action["value"] = element["value"]
            if "style" in element:
                action["style"] = element["style"]
        elif sv.holds_value(element):
            chosen = value if element["type"] in sv.TEXT_TYPES else selected
            picked = sv.entry(element, chosen, self._suggested.get(action["action_id"]))
            action.update({k: v for k, v in picked.items() if k != "type"})
        action["action_ts"] = f"{time.time():.6f}"
        return action

    def _click_in_view(
        self, view_id: str, action_id: str, value: str | None, selected: Any, block_id: str | None
    ) -> Interaction:
        e = self.emulator
        view = self._visible_view(view_id)
        found = _find(view["blocks"], action_id, block_id, value)
        if found is None:
            raise LookupError(f"view {view_id} has no element {action_id!r}")
        block, element = found
        action = self._action(block, element, value, selected)
        if sv.holds_value(element):
            picked = {
                k: v for k, v in action.items() if k not in {"block_id", "action_id", "action_ts"}
            }
            e.set_view_value(view_id, block["block_id"], element["action_id"], picked)
            view = e.views()[view_id]
        trigger_id = e.issue_trigger_id(self.team_id, self.user_id, view_id=view_id)
        return self._send_payload(
            payloads.block_actions_in_view(self.who, view, action, trigger_id)
        )

    def _click_in_message(
        self,
        message_ts: str,
        action_id: str,
        value: str | None,
        selected: Any,
        block_id: str | None,
    ) -> Interaction:
        e = self.emulator
        located = e.find_message(message_ts)
        if located is None:
            raise LookupError(f"no message with ts {message_ts}")
        channel_id, message, is_ephemeral = located
        found = _find(message.get("blocks", []), action_id, block_id, value)
        if found is None:
            raise LookupError(f"message {message_ts} has no element {action_id!r}")
        action = self._action(found[0], found[1], value, selected)
        response_url = e.issue_response_url(
            "block_actions", self.team_id, self.user_id, channel_id, message_ts
        )
        trigger_id = e.issue_trigger_id(self.team_id, self.user_id)
        return self._send_payload(
            payloads.block_actions_in_message(
                self.who,
                self._channel_object(channel_id),
                message,
                is_ephemeral,
                action,
                trigger_id,
                response_url,
            )
        )

    # -- modals ----------------------------------------------------------------------------------
    def _visible_view(self, view_id: str) -> dict[str, Any]:
        """The view, if the person can see it: their Home tab or the top of their stack."""
        e = self.emulator
        view = e.views().get(view_id)
        stack = e.modal_stack(self.user_id)
        home = e.home_view(self.user_id)
        on_top = bool(stack) and stack[-1] == view_id
        if view is None or not (on_top or (home is not None and home["id"] == view_id)):
            raise ValueError(f"view {view_id} is not in front of {self.user_id}")
        return view

    def _input_entry(
        self, block: dict[str, Any], values: dict[str, Any], current: dict[str, Any] | None
    ) -> tuple[str | None, dict[str, Any]]:
        """(the key of ``values`` used, the state entry) for one input block."""
        element = block["element"]
        keys = (f"{block['block_id']}.{element['action_id']}", element["action_id"])
        key = next((k for k in keys if k in values), None)
        if key is not None:
            current = sv.entry(element, values[key], self._suggested.get(element["action_id"]))
        elif current is None:
            current = sv.initial_entry(element)
        if not block.get("optional", False) and sv.is_empty(current):
            raise ValueError(
                f"required input {keys[0]!r} has no value; Slack would not let the person submit"
            )
        return key, current

    def _state_values(self, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        """view.state.values as Slack builds it from the view's input blocks."""
        unused = set(values)
        state: dict[str, Any] = {b: dict(a) for b, a in view["state"]["values"].items()}
        for block in (b for b in view["blocks"] if b.get("type") == "input"):
            actions = state.setdefault(block["block_id"], {})
            action_id = block["element"]["action_id"]
            key, actions[action_id] = self._input_entry(block, values, actions.get(action_id))
            unused.discard(key or "")
        if unused:
            raise ValueError(f"the view has no input for {sorted(unused)}")
        return state

    def _response_urls(self, view: dict[str, Any], state: dict[str, Any]) -> list[dict[str, str]]:
        urls = []
        for block in view["blocks"]:
            element = block.get("element") or {}
            if block.get("type") != "input" or not element.get("response_url_enabled"):
                continue
            picked = state[block["block_id"]][element["action_id"]]
            channel_id = picked.get("selected_conversation") or picked.get("selected_channel")
            if channel_id:
                url = self.emulator.issue_response_url(
                    "view_submission", self.team_id, self.user_id, channel_id
                )
                urls.append(
                    {
                        "block_id": block["block_id"],
                        "action_id": element["action_id"],
                        "channel_id": channel_id,
                        "response_url": url,
                    }
                )
        return urls

    def submit(self, view_id: str, values: dict[str, Any]) -> Interaction:
        """Fill the modal's inputs (keyed by action_id or "block_id.action_id") and submit."""
        e = self.emulator
        view = self._visible_view(view_id)
        state = self._state_values(view, values)
        for block_id, actions in state.items():
            for action_id, picked in actions.items():
                e.set_view_value(view_id, block_id, action_id, picked)
        view = e.views()[view_id]
        trigger_id = e.issue_trigger_id(self.team_id, self.user_id, view_id=view_id)
        result = self._send_payload(
            payloads.view_submission(self.who, view, trigger_id, self._response_urls(view, state))
        )
        if result.timed_out:
            # The modal stays open as it was; the bot's late response_action is discarded.
            result.user_sees = SUBMIT_TIMED_OUT
        elif result.status == 200:
            e.apply_view_ack(view_id, result.json if isinstance(result.json, dict) else None)
        return result

    def close(self, view_id: str) -> Interaction:
        """Press Close/Cancel. The bot hears of it only if the view set notify_on_close;
        otherwise no request is sent and the Interaction has status 0."""
        e = self.emulator
        view = self._visible_view(view_id)
        if view.get("notify_on_close"):
            result = self._send_payload(payloads.view_closed(self.who, view))
        else:
            result = Interaction(0, "", None, {}, len(e.calls))
        e.close_view(view_id)
        return result

    def suggest(
        self, action_id: str, value: str, *, view_id: str, block_id: str | None = None
    ) -> Interaction:
        """Type into an external select: the bot's options come back in ``.json``."""
        view = self._visible_view(view_id)
        found = _find(view["blocks"], action_id, block_id, None)
        if found is None:
            raise LookupError(f"view {view_id} has no element {action_id!r}")
        result = self._send_payload(
            payloads.block_suggestion(self.who, view, found[0]["block_id"], action_id, value)
        )
        if isinstance(result.json, dict):
            self._suggested[action_id] = sv.offered_options(result.json)
        return result

    # -- App Home ----------------------------------------------------------------------------------
    def open_home(self) -> Interaction:
        e = self.emulator
        envelope = payloads.app_home_opened(
            self.who,
            e.dm_channel(self.user_id),
            e.home_view(self.user_id),
            e.state.ids.event_id(),
            int(time.time()),
            f"{time.time():.6f}",
        )
        return self._send(json.dumps(envelope), "application/json")

    # -- OAuth install -----------------------------------------------------------------------------
    def install(self, install_url: str, *, decision: str = "allow") -> Interaction:
        """Walk the OAuth v2 install as a browser and allow it as this person (or, with
        another ``decision``, cancel it on Slack's page)."""
        calls_before = len(self.emulator.calls)
        start = self._browse("GET", install_url)
        page = self._browse("GET", self._authorize_link(start, install_url))
        if page.status_code != 200:
            return _interaction(page, calls_before)
        action, fields = read_form(page.text, page.url)
        fields.update({"team_id": self.team_id, "user_id": self.user_id, "decision": decision})
        decided = self._browse("POST", action, data=fields)
        if not decided.is_redirect:
            return _interaction(decided, calls_before)
        self.last_install_redirect = urljoin(action, decided.headers["Location"])
        back = self._browse("GET", self.last_install_redirect)
        return _interaction(back, calls_before)

    # -- connect links, in this person's browser ---------------------------------------------
    def trust_browser_ca(self, ca_path: str) -> None:
        """Let this person's browser trust a CA (the sandbox's HTTPS consent pages)."""
        self.session.verify = ca_path
        self.session.trust_env = False  # REQUESTS_CA_BUNDLE would override verify

    def open_link(self, url: str) -> requests.Response:
        """Open a link (e.g. a connect button's URL) in this person's browser and follow
        redirects. When Slack asks who they are (Sign in with Slack), they continue as
        themselves, as a signed-in Slack user does. The answer is the first page that is
        neither a redirect nor Slack's sign-in page."""
        return self._follow(self._browse("GET", url))

    def connect(self, url: str, choice: dict[str, str]) -> requests.Response:
        """Open a connect link, sign in with Slack if asked, pick the account on the
        provider's consent page (``choice``: its form fields) and allow. The answer is the
        page the browser ends on; a refusal instead of the consent page is returned as is."""
        page = self.open_link(url)
        if page.status_code != 200 or read_page(page.text).form_action is None:
            return page
        action, fields = read_form(page.text, page.url)
        fields.update(choice | {"decision": "allow"})
        return self._follow(self._browse("POST", action, data=fields))

    @property
    def slack_sign_ins(self) -> int:
        """How often this person's browser went through Slack's sign-in page."""
        return self._sign_ins

    def _follow(self, response: requests.Response) -> requests.Response:
        for _ in range(MAX_REDIRECTS):
            if response.is_redirect:
                target = urljoin(response.url, response.headers["Location"])
                response = self._browse("GET", target)
            elif self._is_sign_in_page(response):
                response = self._sign_in(response)
            else:
                return response
        raise RuntimeError(f"more than {MAX_REDIRECTS} redirects from {response.url}")

    def _is_sign_in_page(self, response: requests.Response) -> bool:
        is_slack = response.url.startswith(self.emulator.openid_authorize_url)
        return is_slack and response.status_code == 200 and response.request.method == "GET"

    def _sign_in(self, page: requests.Response) -> requests.Response:
        action, fields = read_form(page.text, page.url)
        fields.update({"team_id": self.team_id, "user_id": self.user_id, "decision": "allow"})
        self._sign_ins += 1
        return self._browse("POST", action, data=fields)

    def _browse(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        response = self.session.request(method, url, allow_redirects=False, timeout=30, **kwargs)
        trust_loopback(self.session.cookies)
        return response

    def _authorize_link(self, start: requests.Response, install_url: str) -> str:
        if start.is_redirect:
            return urljoin(install_url, start.headers["Location"])
        link = find_link(start.text, install_url, self.emulator.authorize_url)
        if link is None:
            raise LookupError(
                f"{install_url} neither redirects nor links to Slack's "
                f"authorize page (status {start.status_code})"
            )
        return link
