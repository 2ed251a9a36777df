"""Every CLI failure a person can cause is one sentence on stderr with a non-zero exit code,
never a traceback: files that are not there, broken YAML, unknown ids, a database that does
not answer or a URL that is not one, a port already taken."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

SERVE_SETTINGS = dict.fromkeys(
    (
        "SLACK_SIGNING_SECRET",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "SALESFORCE_CLIENT_ID",
        "SALESFORCE_CLIENT_SECRET",
        "SMARTSHEET_CLIENT_ID",
        "SMARTSHEET_CLIENT_SECRET",
    ),
    "x",
)


def syncbot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SALESFORCE_"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "SYNCBOT_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    }


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def one_sentence(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("syncbot: ")
    return line


def test_a_missing_workflow_file_is_named(env: dict[str, str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.yml"
    line = one_sentence(syncbot(env, "workflows", "import", str(missing)))
    assert line == f"syncbot: cannot open {missing}: No such file or directory"


def test_an_export_to_a_folder_that_is_not_there_is_named(
    env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "no-such-dir" / "out.yml"
    line = one_sentence(syncbot(env, "workflows", "export", "-o", str(target)))
    assert line == f"syncbot: cannot open {target}: No such file or directory"


def test_broken_yaml_says_where_in_one_line(env: dict[str, str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("workflows: [\n")
    done = syncbot(env, "workflows", "import", str(broken))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "not valid YAML at line 2, column 1: " in done.stderr
    assert "^" not in done.stderr  # no caret drawing from PyYAML


def test_an_unknown_workflow_is_refused_before_a_tick(env: dict[str, str]) -> None:
    line = one_sentence(syncbot(env, "sync-once", "--workflow", "5"))
    assert line == "syncbot: there is no workflow 5 (`syncbot workflows list`)"


def test_a_database_that_does_not_answer(env: dict[str, str]) -> None:
    env["DATABASE_URL"] = "postgresql://syncbot@127.0.0.1:1/syncbot"
    line = one_sentence(syncbot(env, "workflows", "list"))
    assert line.startswith("syncbot: the database could not be reached: ")
    assert "Connection refused" in line


def test_a_database_url_of_an_unknown_kind(env: dict[str, str]) -> None:
    env["DATABASE_URL"] = "mongodb://127.0.0.1/x"
    line = one_sentence(syncbot(env, "workflows", "list"))
    assert "DATABASE_URL is not a database URL syncbot knows" in line


def test_serve_on_a_port_already_taken(env: dict[str, str], taken_port: int) -> None:
    done = syncbot(
        {**env, **SERVE_SETTINGS}, "serve", "--host", "127.0.0.1", "--port", str(taken_port)
    )
    line = one_sentence(done)
    assert line == f"syncbot: cannot listen on 127.0.0.1:{taken_port}: Address already in use"


def test_a_command_without_its_action_shows_that_commands_help(env: dict[str, str]) -> None:
    done = syncbot(env, "workflows")
    assert done.returncode == 2
    assert "{export,import,list,pause,resume}" in done.stderr
    assert "keygen" not in done.stderr  # not the top-level list
