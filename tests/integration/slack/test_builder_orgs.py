"""Switching the Salesforce connection while editing: a person with two orgs moves a
workflow to the other one, sees what that does, confirms, and the workflow is on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from handlers.builder.ids import ActionId, CallbackId
from sandbox.salesforce import SalesforceEmulator
from sandbox.server import BackgroundServer
from sandbox.slack import SlackUser
from sync.ids import to_18
from sync.store import repo
from sync.store.repo import ConnectionKind
from sync.workflows import export_specs
from tests.integration.slack.builder_support import (
    open_builder,
    saved,
    submit,
    texts,
    view,
    wait_view,
)
from tests.integration.slack.conftest import ACME, RunningBot


@pytest.fixture
def second_org(builder: RunningBot) -> Iterator[SalesforceEmulator]:
    """Another Salesforce org (its own id and records) on its own login and instance hosts,
    trusted like the sandbox's (same local CA)."""
    org = SalesforceEmulator(seed_size=0, seed=8)
    tls = builder.box.tls
    servers = [BackgroundServer(org, ssl_context=tls.server_context()).start() for _ in "li"]
    org.login_url, org.base_url = servers[0].url, servers[1].url
    yield org
    for server in servers:
        server.stop()


def connect_second_org(bot: RunningBot, org: SalesforceEmulator, owner: str) -> int:
    with bot.store.unit() as session:
        return repo.add_connection(
            session,
            bot.store.cipher,
            team_id=ACME,
            owner_id=owner,
            kind=ConnectionKind.SALESFORCE,
            access_token=org.token_for("admin"),
            refresh_token=None,
            now=datetime.now(UTC),
            org_id=to_18(org.org_id),
            external_user_id="admin",
            instance_url=org.base_url,
            login_url=org.login_url,
            label="Globex org",
        )


def test_switching_the_org_while_editing_asks_first_then_moves_the_workflow(
    builder: RunningBot, alice: SlackUser, second_org: SalesforceEmulator
) -> None:
    workflow = builder.workflow(alice.user_id, name="Deals")
    globex = connect_second_org(builder, second_org, alice.user_id)
    for n in range(3):
        second_org.insert(
            "Opportunity",
            {"Name": f"Globex {n}", "StageName": "Prospecting", "CloseDate": "2027-01-31"},
        )
    modal = open_builder(builder, alice, f"edit {workflow}")
    connection = view(builder, modal)["blocks"][0]["element"]
    assert [o["text"]["text"] for o in connection["options"]] == [
        "Sandbox org (admin)",
        "Globex org",
    ]

    picked = alice.click(ActionId.CONNECTION, view_id=modal, selected=str(globex))
    builder.slack.wait_for_call("views.update", after=picked.calls_before)
    submit(alice, modal, {})
    confirm = view(builder, modal)
    assert confirm["callback_id"] == CallbackId.CONFIRM
    said = texts(confirm)
    assert "The Salesforce connection changes from Sandbox org (admin) to Globex org." in said
    assert "Links between records and rows are dropped" in said

    submit(alice, modal, {})  # confirm
    summary = wait_view(builder, modal, CallbackId.MAPPINGS)
    assert "Amount ⇄ Amount" in texts(summary)  # the mappings carry over
    submit(alice, modal, {})
    submit(alice, modal, {})
    preview = texts(wait_view(builder, modal, CallbackId.PREVIEW))
    assert "*3* Opportunity records match." in preview  # counted in the new org
    assert "is saved" in saved(builder, alice, modal)
    (spec,) = export_specs(builder.store, alice.team_id)
    assert spec.org == to_18(second_org.org_id) != to_18(builder.box.salesforce.org_id)
