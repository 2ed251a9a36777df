"""The workflow menu where it appears: in App Home (no response_url there, so answers
come as a DM from the app) and in `/sync list`; its Edit opens the builder."""

from __future__ import annotations

from handlers.ids import ActionId
from sandbox.slack import SlackUser
from tests.integration.slack.conftest import RunningBot, home_text, wait_until


def dms(bot: RunningBot, user: SlackUser) -> list[dict]:
    return bot.slack.messages(bot.slack.dm_channel(user.user_id))


def test_pause_from_app_home_updates_the_tab_and_says_so_in_a_dm(
    bot: RunningBot, carol: SlackUser
) -> None:
    wf = bot.workflow(carol.user_id, name="Carol's deals")
    carol.open_home()
    bot.slack.wait_for_call("views.publish")

    carol.click(ActionId.WORKFLOW_MENU, selected=f"pause:{wf}")
    wait_until(lambda: len(dms(bot, carol)) == 1, "the answer")

    assert "paused" in home_text(bot, carol)
    assert f"Workflow {wf} (Carol's deals) is paused" in dms(bot, carol)[0]["text"]


def test_errors_and_delete_from_app_home_answer_in_the_dm(
    bot: RunningBot, carol: SlackUser
) -> None:
    wf = bot.workflow(carol.user_id, name="Carol's deals")
    carol.open_home()
    bot.slack.wait_for_call("views.publish")

    carol.click(ActionId.WORKFLOW_MENU, selected=f"errors:{wf}")
    wait_until(lambda: len(dms(bot, carol)) == 1, "the errors")
    errors = dms(bot, carol)[0]["text"]
    carol.click(ActionId.WORKFLOW_MENU, selected=f"delete:{wf}")
    wait_until(lambda: len(dms(bot, carol)) == 2, "the delete prompt")
    carol.click(ActionId.DELETE, value=str(wf))  # the button in that DM
    wait_until(lambda: "is deleted" in str(dms(bot, carol)), "the deletion")

    assert errors == f"Workflow {wf} has no open errors."
    assert "Carol's deals" not in home_text(bot, carol)
    assert not any(  # the used Delete button is gone: the prompt became its outcome
        e.get("action_id") == ActionId.DELETE
        for m in dms(bot, carol)
        for b in m.get("blocks", [])
        for e in b.get("elements", [])
    )


def test_edit_from_the_menu_opens_the_builder_on_that_workflow(
    bot: RunningBot, carol: SlackUser
) -> None:
    wf = bot.workflow(carol.user_id, name="Carol's deals")
    carol.open_home()
    bot.slack.wait_for_call("views.publish")

    carol.click(ActionId.WORKFLOW_MENU, selected=f"edit:{wf}")
    bot.slack.wait_for_call("views.open")

    def modal_names_it() -> bool:
        stack = bot.slack.modal_stack(carol.user_id)
        return bool(stack) and "Carol's deals" in str(bot.slack.views()[stack[-1]])

    wait_until(modal_names_it, "the builder filled with the workflow")
    assert dms(bot, carol) == []  # no "use /sync edit" detour


def test_each_connection_in_app_home_has_reconnect_which_dms_fresh_links(
    bot: RunningBot, carol: SlackUser
) -> None:
    sf_id, ss_id = bot.connect(carol.user_id)
    carol.open_home()
    bot.slack.wait_for_call("views.publish")
    home = bot.slack.home_view(carol.user_id)
    reconnects = [
        b["accessory"]["value"]
        for b in home["blocks"]
        if b.get("accessory", {}).get("action_id") == ActionId.RECONNECT
    ]

    carol.click(ActionId.RECONNECT, value=f"conn:{ss_id}")
    wait_until(lambda: len(dms(bot, carol)) == 1, "the connect prompt")
    [prompt] = dms(bot, carol)
    urls = [
        e["url"]
        for b in prompt["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if "url" in e
    ]

    assert sorted(reconnects) == sorted([f"conn:{sf_id}", f"conn:{ss_id}"])
    assert urls and all(f"{bot.url}/connect/" in url for url in urls)  # links to start again
    assert "Smartsheet" in str(prompt["blocks"]) and "Salesforce" in str(prompt["blocks"])
