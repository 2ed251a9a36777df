"""`syncbot sandbox --env-file F` as a separate process, used by a script that knows only
the three SDKs and the env lines (the foundation issue's "done when")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import smartsheet
from simple_salesforce.api import Salesforce
from slack_sdk import WebClient

REQUIRED = [
    "SALESFORCE_LOGIN_URL",
    "SALESFORCE_CLIENT_ID",
    "SALESFORCE_CLIENT_SECRET",
    "SALESFORCE_CA_BUNDLE",
    "SMARTSHEET_API_URL",
    "SMARTSHEET_AUTHORIZE_URL",
    "SMARTSHEET_CLIENT_ID",
    "SMARTSHEET_CLIENT_SECRET",
    "SLACK_API_URL",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_SIGNING_SECRET",
    "SANDBOX_SALESFORCE_INSTANCE_URL",
    "SANDBOX_SALESFORCE_TOKEN",
    "SANDBOX_SALESFORCE_ORG_ID",
    "SANDBOX_SMARTSHEET_TOKEN",
    "SANDBOX_SLACK_BOT_TOKEN",
    "SANDBOX_CONTROL_URL",
    "SANDBOX_SALESFORCE_TOKEN_ADMIN",
    "SANDBOX_SALESFORCE_TOKEN_REP",
    "SANDBOX_SALESFORCE_TOKEN_LIMITED",
]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    env_file = tmp_path_factory.mktemp("sb") / "sb.env"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "sandbox", "--env-file", str(env_file), "--size", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(200):
            if env_file.exists() and env_file.read_text().count("\n") >= len(REQUIRED):
                break
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.1)
        lines = env_file.read_text().splitlines()
        yield dict(line.split("=", 1) for line in lines if "=" in line)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)


def test_the_env_file_names_every_documented_variable(env: dict[str, str]) -> None:
    assert [k for k in REQUIRED if not env.get(k)] == []
    assert Path(env["SALESFORCE_CA_BUNDLE"]).is_file()
    assert env["SMARTSHEET_API_URL"].endswith("/2.0")


def _salesforce(env: dict[str, str]) -> Salesforce:
    session = requests.Session()
    session.trust_env = False
    session.verify = env["SALESFORCE_CA_BUNDLE"]
    return Salesforce(
        instance_url=env["SANDBOX_SALESFORCE_INSTANCE_URL"],
        session_id=env["SANDBOX_SALESFORCE_TOKEN"],
        session=session,
    )


def test_a_script_drives_salesforce_with_only_the_sdk(env: dict[str, str]) -> None:
    sf = _salesforce(env)
    describe = sf.restful("sobjects/Opportunity/describe")
    assert "StageName" in {f["name"] for f in describe["fields"]}
    tag = f"done-when-{os.getpid()}"
    records = [
        {
            "attributes": {"type": "Opportunity"},
            "Name": f"{tag} {i}",
            "StageName": "Prospecting",
            "CloseDate": "2027-01-01",
        }
        for i in range(2100)
    ]
    for start in range(0, 2100, 200):
        results = sf.restful(
            "composite/sobjects",
            method="POST",
            json={"allOrNone": False, "records": records[start : start + 200]},
        )
        assert all(r["success"] for r in results)
    first = sf.query(f"SELECT Id, Name FROM Opportunity WHERE Name LIKE '{tag}%'")
    assert first["totalSize"] == 2100 and first["done"] is False
    assert first["nextRecordsUrl"].startswith("/services/data/")
    assert (
        sum(1 for _ in sf.query_all_iter(f"SELECT Id FROM Opportunity WHERE Name LIKE '{tag}%'"))
        == 2100
    )
    bad = sf.restful(
        "composite/sobjects",
        method="POST",
        json={
            "allOrNone": False,
            "records": [
                {"attributes": {"type": "Project__c"}, "Name": "ok", "Status__c": "Not A Status"}
            ],
        },
    )
    assert bad[0]["success"] is False
    assert bad[0]["errors"][0]["statusCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"


def test_a_script_drives_smartsheet_with_only_the_sdk(env: dict[str, str]) -> None:
    client = smartsheet.Smartsheet(
        access_token=env["SANDBOX_SMARTSHEET_TOKEN"],
        api_base=env["SMARTSHEET_API_URL"],
        user_agent="script",
    )
    client.errors_as_exceptions(True)
    # POST /sheets (the SDK's Home.create_sheet wrapper for it is marked deprecated)
    created = client.Passthrough.post(
        "/sheets",
        {
            "name": "done when",
            "columns": [
                {"title": "Name", "type": "TEXT_NUMBER", "primary": True},
                {"title": "Done", "type": "CHECKBOX"},
            ],
        },
    ).to_dict()["result"]
    sheet_id = created["id"]
    name_col, done_col = (c["id"] for c in created["columns"])
    rows = [
        smartsheet.models.Row(
            {"toBottom": True, "cells": [{"columnId": name_col, "value": f"row {i}"}]}
        )
        for i in range(500)
    ]
    assert len(client.Sheets.add_rows(sheet_id, rows).result) == 500
    mixed = [
        smartsheet.models.Row({"toBottom": True, "cells": [{"columnId": done_col, "value": value}]})
        for value in (True, "not a boolean")
    ]
    partial = client.Sheets.add_rows_with_partial_success(sheet_id, mixed)
    assert partial.message == "PARTIAL_SUCCESS"
    assert [f.index for f in partial.failed_items] == [1]
    since = client.Sheets.get_sheet(sheet_id, rows_modified_since="2000-01-01T00:00:00Z")
    assert len(since.rows) == 501


def test_a_script_drives_slack_with_only_the_sdk(env: dict[str, str]) -> None:
    client = WebClient(token=env["SANDBOX_SLACK_BOT_TOKEN"], base_url=env["SLACK_API_URL"])
    assert client.auth_test()["ok"] is True
    posted = client.chat_postMessage(channel="C0GENERAL1", text="hello from a script")
    assert posted["ok"] is True and posted["ts"]
