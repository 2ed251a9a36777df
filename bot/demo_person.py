"""The demo's person in Slack: the sandbox `SlackUser` plus what a person does with their
eyes — read the reply to a command, wait for a modal to turn into the next step, find a
button, wait for a DM. Every wait ends in `DemoStepFailed` naming what did not show."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from bot.demo_render import message_text, view_text
from bot.demo_slack import DemoStepFailed
from handlers.builder.ids import CallbackId
from sandbox.runner import Sandbox
from sandbox.slack import SlackUser
from sandbox.slack.blockkit import walk_elements

T = TypeVar("T")


def wait_for(what: str, check: Callable[[], T | None], timeout: float = 30.0) -> T:
    """`check()` once it is truthy; polls as a person glancing at the screen would."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise DemoStepFailed(f"{what} did not show within {timeout:.0f} s")
        time.sleep(0.1)


class Person:
    """Someone in the sandbox workspace, using the app served at `serve_url`."""

    def __init__(self, box: Sandbox, serve_url: str, team: str, name: str) -> None:
        self.slack = box.slack
        user_id = box.slack.user_id(team, name)
        self.user = SlackUser(box.slack, serve_url + "/slack/events", team_id=team, user_id=user_id)
        self.user.trust_browser_ca(str(box.ca_path))  # the consent pages are HTTPS
        self.names = {u.id: u.real_name for u in box.slack.users.values()}
        self.name = self.names.get(user_id, name)

    @property
    def user_id(self) -> str:
        return self.user.user_id

    # -- what the person reads ------------------------------------------------------------
    def shows(self, message: dict[str, Any]) -> str:
        return message_text(message, self.names)

    def sees_view(self, view: dict[str, Any]) -> str:
        return view_text(view, self.names)

    # -- slash commands --------------------------------------------------------------------
    def command(self, text: str, timeout: float = 30.0) -> dict[str, Any]:
        """`/sync text`: the reply the person sees, from the ack or the response_url."""
        before = len(self.slack.responses)
        sent = self.user.slash("/sync", text)
        if sent.status != 200 or sent.timed_out:
            raise DemoStepFailed(f"/sync {text} was not acknowledged (status {sent.status})")
        if isinstance(sent.json, dict) and (sent.json.get("blocks") or sent.json.get("text")):
            return sent.json
        try:
            return dict(self.slack.wait_for_response(after=before, timeout=timeout).body)
        except TimeoutError:
            raise DemoStepFailed(f"/sync {text} got no answer within {timeout:.0f} s") from None

    def open_modal(self, text: str) -> str:
        """`/sync text` that opens a modal: its view id once the placeholder is filled."""
        sent = self.user.slash("/sync", text)
        if sent.status != 200:
            raise DemoStepFailed(f"/sync {text} was not acknowledged (status {sent.status})")
        view_id = wait_for(f"the modal of /sync {text}", self._top_modal)
        self.wait_view(view_id, _filled, "the filled modal")
        return view_id

    def _top_modal(self) -> str | None:
        stack = self.slack.modal_stack(self.user_id)
        return stack[-1] if stack else None

    def top_modal(self, what: str) -> str:
        return wait_for(what, self._top_modal)

    # -- modals ------------------------------------------------------------------------------
    def view(self, view_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.slack.views()[view_id]
        return found

    def wait_view(
        self, view_id: str, ready: Callable[[dict[str, Any]], bool], what: str
    ) -> dict[str, Any]:
        return wait_for(what, lambda: (lambda v: v if ready(v) else None)(self.view(view_id)))

    def wait_callback(self, view_id: str, callback: str) -> dict[str, Any]:
        return self.wait_view(
            view_id, lambda v: v["callback_id"] == callback, f"the {callback} view"
        )

    def submit(self, view_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Submit the modal: the bot's answer (fails on errors shown under the inputs)."""
        result = self.user.submit(view_id, values)
        if result.timed_out or result.status != 200:
            raise DemoStepFailed(f"submitting the modal failed: {result.user_sees or result.body}")
        answer: dict[str, Any] = result.json if isinstance(result.json, dict) else {}
        if answer.get("response_action") == "errors":
            raise DemoStepFailed(f"the modal refused the values: {answer.get('errors')}")
        return answer

    def click_in_view(self, view_id: str, action_id: str, **kwargs: Any) -> int:
        """Press a control of the modal; the emulator's call count before, to wait on."""
        result = self.user.click(action_id, view_id=view_id, **kwargs)
        if result.status != 200:
            raise DemoStepFailed(f"pressing {action_id} answered {result.status}")
        return result.calls_before

    def suggest(self, view_id: str, action_id: str, typed: str) -> list[str]:
        """Type into an external select: the option values offered."""
        answer = self.user.suggest(action_id, typed, view_id=view_id).json or {}
        groups = answer.get("option_groups") or [{"options": answer.get("options") or []}]
        return [o["value"] for g in groups for o in g["options"]]

    # -- App Home ------------------------------------------------------------------------
    def open_home(self) -> dict[str, Any]:
        """Open the app's Home tab: the view Slack shows once the bot has published it."""
        opened = self.user.open_home()
        if opened.status != 200:
            raise DemoStepFailed(f"opening the Home tab answered {opened.status}")
        return wait_for("the Home tab", lambda: self.slack.home_view(self.user_id))

    # -- messages ----------------------------------------------------------------------------
    def dms(self) -> list[dict[str, Any]]:
        return self.slack.messages(self.slack.dm_channel(self.user_id))

    def wait_dm(self, what: str, matches: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        return wait_for(what, lambda: next((m for m in reversed(self.dms()) if matches(m)), None))

    def click(self, action_id: str, **kwargs: Any) -> dict[str, Any]:
        """Press a button in a message; the reply posted to its response_url."""
        before = len(self.slack.responses)
        result = self.user.click(action_id, **kwargs)
        if result.status != 200:
            raise DemoStepFailed(f"pressing {action_id} answered {result.status}")
        try:
            return dict(self.slack.wait_for_response(after=before, timeout=30).body)
        except TimeoutError:
            raise DemoStepFailed(f"pressing {action_id} changed nothing") from None


def _filled(view: dict[str, Any]) -> bool:
    """Past the builder's placeholder, which a background views.update replaces."""
    return bool(view["callback_id"] != CallbackId.LOADING)


def link_of(message: dict[str, Any], action_id: str) -> str:
    """The URL behind a link button of a message."""
    for _, element in walk_elements(message.get("blocks") or []):
        if element.get("action_id") == action_id and element.get("url"):
            return str(element["url"])
    raise DemoStepFailed(f"the message has no {action_id} button")
