"""Slack waits 3 seconds for every answer. With Salesforce's describes and Smartsheet's sheet
reads each taking 3.5 s, every step of `/sync create` is still answered in time (the remote
reads happen after the ack) and the modal still ends up filled."""

from __future__ import annotations

from handlers.builder.ids import ActionId, CallbackId
from sandbox.slack import SlackUser
from sandbox.slack.driver import Interaction
from tests.integration.slack.builder_support import open_builder, saved, submit, texts, view
from tests.integration.slack.conftest import RunningBot

SLOW = 3.5  # seconds: past Slack's 3-second deadline


def answered(sent: Interaction) -> Interaction:
    assert not sent.timed_out, "Slack gave up waiting for the ack"
    assert sent.status == 200, sent.body
    return sent


def slow_services(bot: RunningBot, times: int = 2) -> None:
    bot.box.salesforce.control.slow("describe*", SLOW, times=times)
    bot.box.smartsheet.control.slow("sheets.*", SLOW, times=times)


def test_every_step_of_create_is_answered_in_time_when_the_services_are_slow(
    builder: RunningBot, alice: SlackUser
) -> None:
    bot = builder
    bot.connect(alice.user_id)
    sheet = bot.box.smartsheet.create_sheet(
        "Slow board",
        [
            {"title": "Deal", "type": "TEXT_NUMBER", "primary": True},
            {"title": "Amount", "type": "TEXT_NUMBER"},
        ],
        owner="owner",
    )
    slow_services(bot)
    modal = open_builder(bot, alice)  # the placeholder in time, then filled
    assert view(bot, modal)["callback_id"] == CallbackId.WHAT

    slow_services(bot)  # type-ahead answers from what the open read: no remote call
    before = bot.box.salesforce.control.count("describe*")
    objects = answered(alice.suggest(ActionId.OBJECT, "opp", view_id=modal)).json
    assert [o["value"] for g in objects["option_groups"] for o in g["options"]] == ["Opportunity"]
    sheets = answered(alice.suggest(ActionId.SHEET, "slow", view_id=modal)).json
    assert [o["value"] for o in sheets["options"]] == ["new", str(sheet)]
    assert bot.box.salesforce.control.count("describe*") == before
    answered(alice.click(ActionId.OBJECT, view_id=modal, selected="Opportunity"))

    slow_services(bot)
    submit(
        alice,
        modal,
        {"builder_object": "Opportunity", "builder_sheet": str(sheet), "builder_name": "Slow"},
    )
    assert view(bot, modal)["callback_id"] == CallbackId.MAPPINGS

    slow_services(bot)
    pushed = answered(alice.click(ActionId.ADD_MAPPING, view_id=modal))
    bot.slack.wait_for_call("views.push", after=pushed.calls_before)
    adding = bot.slack.modal_stack(alice.user_id)[-1]
    fields = answered(alice.suggest(ActionId.FIELD, "name", view_id=adding)).json
    assert "Name" in [o["value"] for o in fields["options"]]
    chosen = answered(alice.click(ActionId.FIELD, view_id=adding, selected="Name"))
    bot.slack.wait_for_call("views.update", after=chosen.calls_before)
    after = len(bot.slack.calls)
    assert submit(alice, adding, {"builder_column": "Deal", "builder_direction": "both"}) == {}
    bot.slack.wait_for_call("views.update", after=after)
    assert "Name ⇄ Deal" in texts(view(bot, modal))

    slow_services(bot)
    submit(alice, modal, {"builder_auto_map": ["auto"]})
    assert view(bot, modal)["callback_id"] == CallbackId.FILTER
    slow_services(bot)
    submit(alice, modal, {})
    assert "Opportunity records match" in texts(view(bot, modal))
    slow_services(bot, times=4)  # saving checks the workflow against both services
    assert "“Slow” is saved" in saved(bot, alice, modal)
