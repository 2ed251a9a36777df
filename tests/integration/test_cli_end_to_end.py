"""The engine driven only through the CLI and the sandbox's env lines: connections add,
workflows import, sync-once (edits crossing both ways, a bad value in the status column),
and workflows export giving back an equivalent file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from sandbox.runner import Sandbox
from sync.workflow_file import parse

TEAM, OWNER = "T0SANDBOX1", "U0CLI00001"


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    sandbox = Sandbox(
        salesforce_size=30, smartsheet_size=5, workdir=tmp_path_factory.mktemp("cli-sandbox")
    ).start()
    yield sandbox
    sandbox.stop()


def run(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_cli_runs_a_workflow_end_to_end(box: Sandbox, tmp_path: Path) -> None:
    env = {**os.environ, **box.env(), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    sf, ss = box.salesforce, box.smartsheet
    added = run(
        env,
        "connections",
        "add",
        "salesforce",
        "--team",
        TEAM,
        "--owner",
        OWNER,
        "--instance-url",
        env["SANDBOX_SALESFORCE_INSTANCE_URL"],
        "--tokens-stdin",
        stdin=env["SANDBOX_SALESFORCE_TOKEN"] + "\n",
    )
    assert added.returncode == 0, added.stderr
    added = run(
        env,
        "connections",
        "add",
        "smartsheet",
        "--team",
        TEAM,
        "--owner",
        OWNER,
        "--access-token",
        env["SANDBOX_SMARTSHEET_TOKEN"],
    )
    assert added.returncode == 0, added.stderr
    listed = run(env, "connections", "list")
    assert "salesforce" in listed.stdout and "smartsheet" in listed.stdout
    assert env["SANDBOX_SALESFORCE_TOKEN"] not in listed.stdout + listed.stderr

    account = sf.insert("Account", {"Name": "CLI Corp"})
    record = sf.insert(
        "Opportunity",
        {
            "Name": "CLI deal",
            "StageName": "Prospecting",
            "CloseDate": "2027-02-01",
            "Amount": 10,
            "AccountId": account,
        },
    )
    sheet = ss.create_sheet(
        "CLI sheet",
        [
            {"title": "Deal", "type": "TEXT_NUMBER", "primary": True},
            {"title": "Amount", "type": "TEXT_NUMBER"},
            {"title": "Account", "type": "TEXT_NUMBER"},
        ],
    )
    spec = {
        "workflows": [
            {
                "name": "CLI deals",
                "team": TEAM,
                "owner": OWNER,
                "salesforce": {"org": env["SANDBOX_SALESFORCE_ORG_ID"], "object": "Opportunity"},
                "smartsheet": {"sheet": sheet},
                "filter": {"all": [{"field": "Name", "op": "starts with", "value": "CLI"}]},
                "fields": [
                    {"field": "Name", "column": "Deal", "direction": "both"},
                    {"field": "Amount", "column": "Amount", "direction": "both"},
                    {"field": "Account.Name", "column": "Account", "direction": "to_smartsheet"},
                ],
                "options": {
                    "create_records_from_rows": False,
                    "on_record_deleted": "mark",
                    "conflicts": "salesforce_wins",
                },
            }
        ]
    }
    (tmp_path / "wf.yml").write_text(yaml.safe_dump(spec))
    imported = run(env, "workflows", "import", str(tmp_path / "wf.yml"))
    assert imported.returncode == 0, imported.stderr

    synced = run(env, "sync-once")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    rows = ss.sheet_rows(sheet)
    assert len(rows) == 1
    titles = {c["id"]: c["title"] for c in ss.sheet(sheet)["columns"]}

    def row() -> dict[str, object]:
        return {titles[c["columnId"]]: c.get("value") for c in ss.sheet_rows(sheet)[0]["cells"]}

    assert row()["Deal"] == "CLI deal" and row()["Account"] == "CLI Corp"
    assert row()["Salesforce Id"] == record

    sf.update("Opportunity", record, {"Amount": 20})
    assert run(env, "sync-once").returncode == 0
    assert row()["Amount"] == 20

    ss.edit_cells(sheet, rows[0]["id"], {"Deal": "CLI deal renamed"})
    assert run(env, "sync-once").returncode == 0
    assert (sf.get_record("Opportunity", record) or {})["Name"] == "CLI deal renamed"

    ss.edit_cells(sheet, rows[0]["id"], {"Amount": "lots"})
    assert run(env, "sync-once").returncode == 0
    assert row()["Sync Status"] == '⚠ Amount: "lots" is not a number'

    listed = run(env, "workflows", "list")
    assert "active" in listed.stdout and "CLI deals" in listed.stdout
    assert run(env, "workflows", "pause", "1").returncode == 0
    assert "paused" in run(env, "workflows", "list").stdout
    resumed = run(env, "workflows", "resume", "1")
    assert "resumed (it was paused: paused from the command line)" in resumed.stdout
    missing = run(env, "workflows", "pause", "99")
    assert missing.returncode == 2 and "there is no workflow 99" in missing.stderr

    exported = run(env, "workflows", "export")
    assert exported.returncode == 0, exported.stderr
    assert parse(exported.stdout) == parse(yaml.safe_dump(spec))


def test_a_bad_workflow_file_is_refused_with_every_problem_listed(
    box: Sandbox, tmp_path: Path
) -> None:
    env = {**os.environ, **box.env(), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    (tmp_path / "bad.yml").write_text(
        "workflows:\n  - name: x\n    team: T1\n    owner: U1\n"
        "    salesforce: {org: 00D000000000001, object: Opportunity}\n"
        "    smartsheet: {sheet: 1}\n"
        "    fields: [{field: Name, column: Deal, direction: sideways}]\n"
        "    options: {conflicts: loudest_wins}\n"
    )
    result = run(env, "workflows", "import", str(tmp_path / "bad.yml"))
    assert result.returncode == 2
    assert "sideways" in result.stderr and "loudest_wins" in result.stderr
    (tmp_path / "unknown.yml").write_text(
        "workflows:\n  - name: x\n    team: T1\n    owner: U1\n"
        "    salesforce: {org: 00D000000000001, object: Opportunity}\n"
        "    smartsheet: {sheet: 1}\n    fields: [{field: Name, column: Deal}]\n"
    )
    result = run(env, "workflows", "import", str(tmp_path / "unknown.yml"))
    assert result.returncode == 2
    assert "has no Salesforce connection" in result.stderr


def test_a_token_without_its_org_prefix_still_connects(box: Sandbox, tmp_path: Path) -> None:
    """Tokens from other set-ups may not start with `00D…!`: the org comes from UserInfo."""
    import requests

    from sync.connectors.salesforce_oauth import discover_org_id

    env = box.env()
    session = requests.Session()
    session.trust_env, session.verify = False, env["SALESFORCE_CA_BUNDLE"]
    token = env["SANDBOX_SALESFORCE_TOKEN"]
    org = discover_org_id(session, env["SANDBOX_SALESFORCE_INSTANCE_URL"], "x" + token)
    assert org == ""  # an unknown token tells nothing
    userinfo = session.get(
        f"{env['SANDBOX_SALESFORCE_INSTANCE_URL']}/services/oauth2/userinfo",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    assert userinfo["organization_id"] == env["SANDBOX_SALESFORCE_ORG_ID"]
    assert userinfo["sub"].endswith(f"/id/{env['SANDBOX_SALESFORCE_ORG_ID']}/{userinfo['user_id']}")


def test_connections_add_checks_the_token_and_says_whose_account_it_is(
    box: Sandbox, tmp_path: Path
) -> None:
    """Issue #11: `connections add` accepted any token with exit 0."""
    env = {**os.environ, **box.env(), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    common = ["--team", TEAM, "--owner", OWNER]
    sf_args = ["connections", "add", "salesforce", *common, "--instance-url"]
    good = run(
        env,
        *sf_args,
        env["SANDBOX_SALESFORCE_INSTANCE_URL"],
        "--access-token",
        env["SANDBOX_SALESFORCE_TOKEN"],
    )
    assert good.returncode == 0, good.stderr
    assert "salesforce account " in good.stdout and "@" in good.stdout
    bad = run(
        env,
        *sf_args,
        env["SANDBOX_SALESFORCE_INSTANCE_URL"],
        "--access-token",
        "00D000000000001!not-a-token",
        "--org-id",
        env["SANDBOX_SALESFORCE_ORG_ID"],
    )
    assert bad.returncode == 2
    assert "refused this access token" in bad.stderr and "nothing was saved" in bad.stderr
    ss_good = run(
        env,
        "connections",
        "add",
        "smartsheet",
        *common,
        "--access-token",
        env["SANDBOX_SMARTSHEET_TOKEN"],
    )
    assert ss_good.returncode == 0, ss_good.stderr
    assert "smartsheet account " in ss_good.stdout and "@" in ss_good.stdout
    ss_bad = run(env, "connections", "add", "smartsheet", *common, "--access-token", "nope")
    assert ss_bad.returncode == 2
    assert "Smartsheet refused this access token" in ss_bad.stderr
    listed = run(env, "connections", "list")
    assert listed.stdout.count("\n") == 2  # only the two good tokens were saved
