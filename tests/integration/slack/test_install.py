"""Installing syncbot in a workspace through Slack's OAuth v2 (Bolt's OAuthFlow): it
starts at /slack/install, lands on /slack/oauth_redirect, and shows a clear page either
way; the installation is stored, so the workspace's requests are authorised."""

from __future__ import annotations

from tests.integration.slack.conftest import ACME, RunningBot


def test_an_install_ends_on_a_page_saying_it_is_installed_and_what_to_do(
    bot: RunningBot,
) -> None:
    person = bot.user("alice", ACME)

    done = person.install(bot.url + "/slack/install")
    answer = person.slash("/sync", "help")

    assert person.last_install_redirect.startswith(bot.url + "/slack/oauth_redirect?code=")
    assert done.status == 200 and "syncbot is now installed" in done.body
    assert "/sync help" in done.body
    assert answer.status == 200 and "/sync connect" in str(answer.json)  # authorised now


def test_a_cancelled_install_says_so_and_installs_nothing(bot: RunningBot) -> None:
    person = bot.user("alice", ACME)

    done = person.install(bot.url + "/slack/install", decision="cancel")
    answer = person.slash("/sync", "help")

    assert "error=access_denied" in person.last_install_redirect
    assert "not installed" in done.body and "cancelled" in done.body
    assert "Start again" in done.body
    assert "/sync connect" not in answer.body  # no installation: no listener answers


def test_a_replayed_install_redirect_is_refused_with_a_page(bot: RunningBot) -> None:
    person = bot.user("alice", ACME)
    person.install(bot.url + "/slack/install")

    replay = person.session.get(person.last_install_redirect)

    assert replay.status_code >= 400
    assert "not installed" in replay.text and "expired or was already used" in replay.text
