"""app_manifest.yml and the listeners agree; uninstall and token revocation."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import yaml

from bot.oauth import lifecycle
from bot.oauth.slack import BOT_SCOPES
from handlers import home
from sandbox.slack import SlackUser
from sync.services import Actor
from tests.integration.slack.conftest import RunningBot

MANIFEST = yaml.safe_load((Path(__file__).parents[3] / "app_manifest.yml").read_text())
LISTENED_EVENTS = {*home.EVENTS, *lifecycle.EVENTS}


def send_event(user: SlackUser, event: dict[str, Any]) -> int:
    e = user.emulator
    envelope = {
        "token": e.verification_token,
        "team_id": user.team_id,
        "api_app_id": e.app_id,
        "event": {"event_ts": f"{time.time():.6f}", **event},
        "type": "event_callback",
        "event_id": f"Ev{int(time.time() * 1000)}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": user.team_id, "user_id": e.teams[user.team_id].bot_user_id, "is_bot": True}
        ],
    }
    return user._send(json.dumps(envelope), "application/json").status


def eventually(check: Any, tries: int = 100) -> Any:
    """Event listeners run after the ack, on Bolt's thread pool: wait for their effect."""
    for _ in range(tries):
        value = check()
        if value:
            return value
        time.sleep(0.05)
    return check()


def test_the_manifest_declares_exactly_the_events_we_listen_to() -> None:
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == LISTENED_EVENTS


def test_the_manifest_asks_only_for_the_scopes_the_install_uses() -> None:
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES)


def test_every_declared_command_and_event_has_a_listener(bot: RunningBot, alice: SlackUser) -> None:
    for command in MANIFEST["features"]["slash_commands"]:
        assert alice.slash(command["command"], "help").status == 200
    assert alice.slash("/unknown", "").status == 404  # Bolt answers 404 without a listener
    for event in ("app_home_opened", "tokens_revoked"):
        body = {"type": event, "user": alice.user_id, "tab": "home", "tokens": {"oauth": []}}
        assert send_event(alice, body) == 200, event
    assert send_event(alice, {"type": "reaction_added", "user": alice.user_id}) == 404


def test_uninstall_pauses_the_workflows_and_stops_the_dms(
    bot: RunningBot, alice: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id)
    bot.slack.revoke_token(bot.slack.bot_token_for(alice.team_id))

    assert send_event(alice, {"type": "app_uninstalled"}) == 200

    summary = eventually(
        lambda: (
            (s := bot.services.summary(Actor(alice.team_id, alice.user_id, True), wf)).status
            == "paused"
            and s
        )
    )
    assert summary.status == "paused" and "uninstalled" in summary.paused_reason
    from sync.ports import ErrorReport

    before = len(bot.slack.calls)
    bot.notifier.notify(
        alice.team_id, alice.user_id, [ErrorReport(wf, "wf", "row", "1", "x", "bad")]
    )
    assert bot.slack.calls[before:] == []


def test_a_revoked_bot_token_is_dropped_only_when_auth_test_fails(
    bot: RunningBot, alice: SlackUser
) -> None:
    wf = bot.workflow(alice.user_id)
    bot_user = bot.slack.teams[alice.team_id].bot_user_id

    before = len(bot.slack.calls)
    send_event(alice, {"type": "tokens_revoked", "tokens": {"bot": [bot_user]}})
    assert eventually(lambda: [c for c in bot.slack.calls[before:] if c.method == "auth.test"])
    still = bot.services.summary(Actor(alice.team_id, alice.user_id, True), wf).status
    bot.slack.revoke_token(bot.slack.bot_token_for(alice.team_id))
    send_event(alice, {"type": "tokens_revoked", "tokens": {"bot": [bot_user]}})

    assert still == "active"
    assert eventually(
        lambda: (
            bot.services.summary(Actor(alice.team_id, alice.user_id, True), wf).status == "paused"
        )
    )
