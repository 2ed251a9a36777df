"""Every Block Kit builder, checked against the sandbox's copy of Slack's rules (the same
checks the emulator applies to chat.postMessage, views.open and views.publish)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from handlers.views import admin, connect, dm, help, history, home, workflows
from sandbox.slack.blockkit import check_blocks
from sandbox.slack.methods_chat import MAX_MESSAGE_BLOCKS
from sandbox.slack.view_rules import check_view
from sync.model import Direction, FieldMapping
from sync.services import (
    EVERYONE,
    AdminSettings,
    ChangeEntry,
    ConnectionInfo,
    ConnectUrls,
    HistoryPage,
    OpenError,
    RunResult,
    WorkflowDetail,
    WorkflowSummary,
)

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LONG = "x" * 5000


def summary(
    n: int = 1, *, status: str = "active", name: str = "Won deals", errors: int = 0
) -> WorkflowSummary:
    return WorkflowSummary(n, name, "U0ALICE001", "Opportunity", 100 + n, status, "", AT, errors)


def conn(n: int = 1, status: str = "active") -> ConnectionInfo:
    return ConnectionInfo(
        n,
        "T1",
        "U1",
        "salesforce",
        f"ana@acme.example (production) {n}",
        "00D",
        "ana@acme.example",
        "",
        "",
        status,
    )


def change(n: int, **extra: Any) -> ChangeEntry:
    fields: dict[str, Any] = {
        "id": n,
        "at": AT,
        "workflow_id": 1,
        "record_id": "006000000000001AAA",
        "row_id": 5,
        "field": "Amount",
        "column": "Amount",
        "before": "1000",
        "after": LONG,
        "direction": "to_smartsheet",
        "caused_by": "005x",
        "revert_of": None,
    }
    return ChangeEntry(**(fields | extra))


def message_ok(body: dict[str, Any]) -> None:
    assert check_blocks(body["blocks"], "/blocks", MAX_MESSAGE_BLOCKS) == []
    assert 0 < len(body["text"]) <= 150


URLS = ConnectUrls("http://b/s?t=1", "http://b/s?t=2", "http://b/m?t=3")
MESSAGES = {
    "help": help.help_message(),
    "unknown": help.unknown_verb("lsit", "list"),
    "empty list": workflows.workflow_list([]),
    "long list": workflows.workflow_list([summary(n, name=LONG) for n in range(1, 60)]),
    "list page 3": workflows.workflow_list([summary(n) for n in range(1, 60)], page=3),
    "detail": workflows.workflow_detail(
        WorkflowDetail(
            summary(status="paused"),
            tuple(FieldMapping(f"F{i}", f"C{i}", Direction.BOTH) for i in range(300)),
            conn(),
            None,
        )
    ),
    "errors": workflows.errors_view(
        summary(), [OpenError("row", str(i), "x", LONG, AT) for i in range(500)]
    ),
    "no errors": workflows.errors_view(summary(), []),
    "run": workflows.run_result(summary(), RunResult(1, 1, 2, 3, 4, 5, (), False)),
    "delete": workflows.delete_prompt(summary(name=LONG)),
    "connect": connect.connect_prompt([conn(n) for n in range(12)], URLS),
    "connect none": connect.connect_prompt([], URLS),
    "connected dm": connect.connected_dm("salesforce", LONG, "U1", 4),
    "dm 1000 rows": dm.incident_message(
        dm.IncidentView(1, LONG, "https://s", {str(i): ("conversion", LONG) for i in range(1000)})
    ),
    "dm many causes": dm.incident_message(
        dm.IncidentView(
            1,
            "wf",
            "https://s",
            {str(i): (f"c{i}", "m") for i in range(40)} | {"": ("auth_revoked", "gone")},
        )
    ),
    "dm resolved": dm.incident_message(dm.IncidentView(1, "wf", "https://s", {}, resolved=True)),
    "dm outcome": dm.incident_message(
        dm.IncidentView(1, "wf", "https://s", {"1": ("x", "y")}, "Paused by <@U1> 14:02")
    ),
    "history": history.history_view(
        summary(), HistoryPage(1, tuple(change(n) for n in range(20)), 20, 95)
    ),
    "history empty": history.history_view(summary(), HistoryPage(1, (), 0, 0)),
    "digest": dm.digest_message(
        "2026-11-02",
        [
            dm.DigestEntry(
                n,
                LONG,
                "https://s",
                tuple(
                    ({str(i): ("conversion", LONG), "": ("auth", LONG)}, n % 2 == 0)
                    for i in range(9)
                ),
            )
            for n in range(60)
        ],
    ),
    "refusal": admin.refusal(["U1", "U2"]),
    "access request": admin.access_request("U3"),
}


@pytest.mark.parametrize("name", MESSAGES)
def test_every_message_is_one_slack_accepts(name: str) -> None:
    message_ok(MESSAGES[name])


def test_the_home_tab_stays_within_slacks_limits_however_much_there_is() -> None:
    view = home.home_view(
        [summary(n, status="failing", errors=3) for n in range(200)],
        [conn(n, "revoked") for n in range(50)],
        usage=["org: 1 of 2"] * 100,
        dm_modes=dict.fromkeys(range(200), "digest"),
    )
    check_view(view, "home")
    assert "Needs attention" in str(view["blocks"][1])


def test_modals_are_ones_slack_opens() -> None:
    check_view(connect.domain_modal("https://hooks/x" * 400), "modal")
    check_view(admin.admin_modal(AdminSettings(EVERYONE, ("U1",), 30, 0.25), ["a"] * 50), "modal")


def test_a_new_row_line_shows_its_values_and_offers_no_revert() -> None:
    entries = (
        change(1),
        change(2, field="*", column="", before=None, after="Deal: Acme, Amount: 5"),
    )
    view = history.history_view(summary(), HistoryPage(1, entries, 2, 0))
    edit, made = view["blocks"][1], view["blocks"][2]
    assert edit["accessory"]["action_id"] == "change_revert"
    assert "accessory" not in made
    assert "New row for 006000000000001AAA" in made["text"]["text"]
    assert "`Deal: Acme, Amount: 5`" in made["text"]["text"]


def test_a_list_pages_ten_at_a_time_with_a_menu_of_five() -> None:
    body = workflows.workflow_list([summary(n) for n in range(1, 26)], page=1)
    menus = [
        b["accessory"] for b in body["blocks"] if b.get("accessory", {}).get("type") == "overflow"
    ]
    assert len(menus) == 10 and all(len(m["options"]) == workflows.OVERFLOW_LIMIT for m in menus)
    pager = [e["value"] for e in body["blocks"][-1]["elements"]]
    assert pager == ["mine:0", "mine:2"]


def test_a_paused_workflow_offers_resume_not_pause() -> None:
    values = [o["value"] for o in workflows.overflow(summary(7, status="paused"))["options"]]
    assert "resume:7" in values and "pause:7" not in values


def test_an_incident_names_five_rows_and_counts_the_rest() -> None:
    body = dm.incident_message(
        dm.IncidentView(3, "Deals", "https://s", {str(i): ("conversion", "bad") for i in range(42)})
    )
    text = str(body["blocks"])
    assert text.count("record ") == 5 and "and 37 more" in text
    assert body["text"] == "Deals: 42 row errors"


def test_a_used_button_becomes_its_outcome() -> None:
    body = dm.incident_message(
        dm.IncidentView(3, "Deals", "https://s", {"1": ("x", "y")}, "Paused by <@U1> 14:02")
    )
    assert "Paused by <@U1> 14:02" in str(body["blocks"])
    assert all(b["type"] != "actions" for b in body["blocks"])


def test_a_digest_counts_incidents_and_says_which_are_still_open() -> None:
    body = dm.digest_message(
        "2026-11-02",
        [
            dm.DigestEntry(
                1,
                "Won deals",
                "https://s",
                (({"1": ("conversion", "x"), "2": ("conversion", "y")}, True),),
            ),
            dm.DigestEntry(
                2, "Renewals", "https://s", (({"": ("auth_revoked", "Sign-in refused")}, False),)
            ),
        ],
    )

    text = str(body["blocks"])
    assert (
        body["text"] == "syncbot daily digest 2026-11-02: 2 incidents in 2 workflows, 1 still open"
    )
    assert "🔴 open: 2 rows could not be synced (conversion)" in text
    assert "✅ resolved: Sign-in refused (auth_revoked)" in text


def test_the_dm_mode_menu_starts_on_the_current_choice() -> None:
    menu = dm.dm_mode_menu(7, "mute")

    assert menu["initial_option"]["value"] == "mute:7"
    assert [o["value"] for o in menu["options"]] == ["all:7", "digest:7", "mute:7"]


def test_every_error_links_its_row_and_a_record_without_one_links_the_sheet() -> None:
    problems = {
        "row:501": ("conversion", "bad"),
        "006000000000001AAA": ("validation", "no"),
        "006000000000002AAA": ("validation", "no row yet"),
    }
    rows = {"006000000000001AAA": 502}
    view = dm.IncidentView(3, "Deals", "https://s/sheets/9", problems, rows=rows)
    text = str(dm.incident_message(view)["blocks"])
    assert "<https://s/sheets/9?rowId=501|row 501>" in text  # not "row row:501"
    assert "<https://s/sheets/9?rowId=502|row 502> (006000000000001AAA)" in text
    assert "<https://s/sheets/9|record 006000000000002AAA>" in text
