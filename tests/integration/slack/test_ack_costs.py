"""What answering Slack costs: Bolt's authorize asks auth.test once per installation, not
on every request inside the 3 s ack; a workspace that uninstalled is still refused at once
(the installation store is read on every request)."""

from __future__ import annotations

from sandbox.slack import SlackUser
from tests.integration.slack.conftest import RunningBot
from tests.integration.slack.test_manifest_and_lifecycle import eventually, send_event


def auth_tests(bot: RunningBot, after: int) -> int:
    return sum(1 for c in bot.slack.calls[after:] if c.method == "auth.test")


def test_many_requests_cost_one_auth_test(bot: RunningBot, alice: SlackUser) -> None:
    before = len(bot.slack.calls)

    for _ in range(5):
        assert alice.slash("/sync", "help").status == 200

    assert auth_tests(bot, before) <= 1


def test_after_uninstall_the_cached_authorization_does_not_let_requests_in(
    bot: RunningBot, alice: SlackUser
) -> None:
    assert "/sync connect" in alice.slash("/sync", "help").body  # authorized (and cached)
    bot.slack.revoke_token(bot.slack.bot_token_for(alice.team_id))
    assert send_event(alice, {"type": "app_uninstalled"}) == 200

    # the installation is gone from the store: Bolt finds no token, no listener runs
    refused = eventually(lambda: "/sync connect" not in alice.slash("/sync", "help").body)
    assert refused


def test_answers_stuck_after_their_ack_do_not_hold_up_the_next_acks(
    bot: RunningBot, alice: SlackUser
) -> None:
    """Bolt's default runs the acks and the work after them on one pool of 5 threads:
    five `/sync list` answers stuck on a slow response_url, and the next person's command
    went unanswered, which Slack shows as a timeout."""
    stuck = bot.slack.control.slow("response_url", 4.0, times=8)
    for _ in range(8):
        listed = alice.slash("/sync", "list")
        assert listed.status == 200 and not listed.timed_out

    helped = alice.slash("/sync", "help")

    assert not helped.timed_out, helped.user_sees
    assert "/sync connect" in helped.body
    assert stuck.times < 8  # the answers did reach the slow response_url meanwhile

    def answered() -> int:
        return sum(r.endpoint == "response_url" for r in bot.slack.control.requests)

    assert eventually(lambda: answered() == 8, tries=300)  # all 8 lists answered, late
