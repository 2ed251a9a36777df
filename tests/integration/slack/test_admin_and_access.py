"""`/sync admin` (admins only), settings applied without a restart, and the allow-list at
every entry point with Request access → Allow / Deny."""

from __future__ import annotations

import pytest
import requests

from handlers.ids import ActionId, BlockId, CallbackId
from sandbox.slack import SlackUser
from sync.budget import BudgetSpent
from sync.services import EVERYONE, LISTED, Actor, AdminSettings
from tests.integration.slack.conftest import RunningBot


def admin_of(user: SlackUser) -> Actor:
    return Actor(user.team_id, user.user_id, is_admin=True)


def restrict(bot: RunningBot, admin: SlackUser, *allowed: str) -> None:
    bot.services.save_admin_settings(admin_of(admin), AdminSettings(LISTED, allowed, 30, 0.25))


def open_admin_modal(bot: RunningBot, user: SlackUser) -> str:
    sent = user.slash("/sync", "admin")
    opened = bot.slack.wait_for_call("views.open", after=sent.calls_before)
    assert opened.response["ok"], opened.response
    return str(opened.response["view"]["id"])


def test_the_admin_modal_saves_and_the_new_interval_applies_at_once(
    bot: RunningBot, alice: SlackUser
) -> None:
    view_id = open_admin_modal(bot, alice)
    assert bot.slack.views()[view_id]["callback_id"] == CallbackId.ADMIN

    saved = alice.submit(
        view_id,
        {"mode": LISTED, "users": ["U0CAROL003"], "seconds": "120", "share": "40%"},
    )

    assert saved.status == 200 and bot.slack.modal_stack(alice.user_id) == []
    assert bot.services.poll_interval() == 120 and bot.services.api_share() == 0.4
    assert bot.services.admin_settings(admin_of(alice)).allowed == ("U0CAROL003",)


def test_bad_admin_values_stay_in_the_modal_with_reasons(bot: RunningBot, alice: SlackUser) -> None:
    view_id = open_admin_modal(bot, alice)

    answer = alice.submit(
        view_id,
        {"mode": EVERYONE, "seconds": "2", "share": "250%"},
    )

    assert answer.json["response_action"] == "errors"
    assert set(answer.json["errors"]) == {BlockId.POLL_INTERVAL, BlockId.API_SHARE}
    assert bot.services.poll_interval() == 30


def test_a_member_cannot_open_the_admin_modal(bot: RunningBot, carol: SlackUser) -> None:
    carol.slash("/sync", "admin")

    reply = bot.slack.wait_for_response()
    assert "Only syncbot admins" in reply.body["text"]
    assert bot.slack.calls_to("views.open") == []


def test_the_allow_list_refuses_at_every_entry_point(
    bot: RunningBot, alice: SlackUser, carol: SlackUser
) -> None:
    wf = bot.workflow(carol.user_id)
    alice.slash("/sync", "help")  # alice is now a known admin
    restrict(bot, alice)

    command = carol.slash("/sync", "list")
    home = carol.open_home()
    bot.slack.wait_for_call("views.publish", after=home.calls_before)
    before = len(bot.slack.responses)

    assert "limited to some people" in command.json["text"]
    assert "Request access" in str(command.json["blocks"]) and alice.user_id in str(
        command.json["blocks"]
    )
    assert "Request access" in str(bot.slack.home_view(carol.user_id))
    assert bot.slack.responses[before:] == []  # the lazy /sync list never ran
    assert bot.services.list_workflows(admin_of(alice), everyone=True)[0].id == wf


def test_request_access_then_allow(bot: RunningBot, alice: SlackUser, carol: SlackUser) -> None:
    alice.slash("/sync", "help")
    restrict(bot, alice)
    carol.slash("/sync", "list")
    carol.open_home()
    bot.slack.wait_for_call("views.publish")

    carol.click(ActionId.REQUEST_ACCESS)
    ask = bot.slack.wait_for_call("chat.postMessage")
    allowed = alice.click(ActionId.ALLOW_ACCESS, value=carol.user_id)
    told = bot.slack.wait_for_call("chat.postMessage", after=allowed.calls_before)

    assert ask.response["channel"] == bot.slack.dm_channel(alice.user_id)
    assert told.response["channel"] == bot.slack.dm_channel(carol.user_id)
    assert "You may use syncbot now" in told.response["message"]["text"]
    assert bot.services.may_use(Actor(carol.team_id, carol.user_id))
    again = carol.slash("/sync", "list")
    assert again.status == 200 and again.body == ""
    # no button stays live: carol's tab says the request went, alice's DM says who allowed
    assert "Your request went to the syncbot admins" in str(bot.slack.home_view(carol.user_id))
    assert "Request access" not in str(bot.slack.home_view(carol.user_id))
    [request] = bot.slack.messages(bot.slack.dm_channel(alice.user_id))
    assert f"<@{alice.user_id}> allowed <@{carol.user_id}>'s request" in request["text"]


def test_request_access_then_deny(bot: RunningBot, alice: SlackUser, carol: SlackUser) -> None:
    alice.slash("/sync", "help")
    restrict(bot, alice)
    refused = carol.slash("/sync", "list")
    carol.open_home()
    bot.slack.wait_for_call("views.publish")
    carol.click(ActionId.REQUEST_ACCESS)
    ask = bot.slack.wait_for_call("chat.postMessage")
    denied = alice.click(ActionId.DENY_ACCESS, value=carol.user_id)
    told = bot.slack.wait_for_call("chat.postMessage", after=denied.calls_before)

    assert "Request access" in str(refused.json["blocks"])
    assert ask.response["channel"] == bot.slack.dm_channel(alice.user_id)
    assert told.response["channel"] == bot.slack.dm_channel(carol.user_id)
    assert "declined" in told.response["message"]["text"]
    assert not bot.services.may_use(Actor(carol.team_id, carol.user_id))
    [request] = bot.slack.messages(bot.slack.dm_channel(alice.user_id))
    assert "declined" in request["text"] and "Deny" not in str(request["blocks"])


def test_a_connect_link_of_a_refused_user_creates_nothing(
    bot: RunningBot, alice: SlackUser, carol: SlackUser
) -> None:
    link = bot.services.connect_urls(Actor(carol.team_id, carol.user_id)).smartsheet
    restrict(bot, alice)

    page = requests.get(link, allow_redirects=False, timeout=10)

    assert page.status_code == 400 and "limited to some people" in page.text


def test_api_use_is_asked_of_salesforce_once_for_several_opens(
    bot: RunningBot, alice: SlackUser
) -> None:
    bot.connect(alice.user_id)
    open_admin_modal(bot, alice)
    asked = bot.box.salesforce.control.count("describe.global")

    for _ in range(3):
        open_admin_modal(bot, alice)
    alice.open_home()
    bot.slack.wait_for_call("views.publish")

    assert asked >= 1  # the first open asked (the line is shown)
    assert bot.box.salesforce.control.count("describe.global") == asked


def test_the_api_share_shown_is_the_one_admins_set(bot: RunningBot, alice: SlackUser) -> None:
    bot.connect(alice.user_id)
    before = bot.services.api_usage_lines(admin_of(alice))
    view_id = open_admin_modal(bot, alice)

    alice.submit(view_id, {"mode": "everyone", "users": [], "seconds": "30", "share": "40%"})

    assert len(before) == 1 and "syncbot may use 25%" in before[0]
    (line,) = bot.services.api_usage_lines(admin_of(alice))
    assert "syncbot may use 40%" in line  # no restart needed


def test_admins_see_each_smartsheet_tokens_minute_and_work_spread_over_ticks(
    bot: RunningBot, alice: SlackUser
) -> None:
    _sf, ss = bot.connect(alice.user_id)
    smartsheet = bot.connectors.smartsheet(ss)
    smartsheet.list_sheets()
    smartsheet.list_sheets()

    calm = [line for line in bot.services.api_usage_lines(admin_of(alice)) if "Smartsheet" in line]
    bot.connectors.smartsheet_budget.limit = 2  # this token's minute is used up
    with pytest.raises(BudgetSpent):
        smartsheet.list_sheets()
    busy = [line for line in bot.services.api_usage_lines(admin_of(alice)) if "Smartsheet" in line]

    assert len(calm) == 1 and "2 of 300 calls this minute" in calm[0]
    assert "spread" not in calm[0]
    assert "2 of 2 calls this minute — at its limit: 1 call spread over later ticks" in busy[0]
