"""`/sync` over signed HTTP against the real Bolt app: help, mistakes, list, show, pause,
resume, run, delete, errors; foreign ids; bad signatures."""

from __future__ import annotations

from sandbox.slack import SlackUser
from tests.integration.slack.conftest import RunningBot


def test_help_is_answered_in_the_ack(bot: RunningBot, alice: SlackUser) -> None:
    sent = alice.slash("/sync", "help")

    assert sent.status == 200
    assert "`/sync connect`" in str(sent.json["blocks"])
    assert len(sent.json["text"]) <= 150


def test_an_unknown_verb_gets_help_with_the_closest_verb(bot: RunningBot, alice: SlackUser) -> None:
    sent = alice.slash("/sync", "lsit")

    assert sent.status == 200
    assert "Did you mean `/sync list`?" in sent.json["text"]


def test_a_request_with_a_bad_signature_is_refused(bot: RunningBot, alice: SlackUser) -> None:
    impostor = SlackUser(
        bot.slack,
        bot.events_url,
        team_id=alice.team_id,
        user_id=alice.user_id,
        signing_secret="not-the-secret",
    )

    answer = impostor.slash("/sync", "list")

    assert answer.status == 401
    assert bot.slack.responses == []


def test_list_shows_the_callers_workflows(bot: RunningBot, alice: SlackUser) -> None:
    bot.workflow(alice.user_id, name="Won deals")

    sent = alice.slash("/sync", "list")
    reply = bot.slack.wait_for_response()

    assert sent.status == 200
    blocks = str(reply.body["blocks"])
    assert "Won deals" in blocks and "Opportunity" in blocks and "active" in blocks
