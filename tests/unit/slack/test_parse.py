"""`/sync` parsing, situation by situation (pure)."""

from __future__ import annotations

import pytest

from handlers.commands.parse import (
    Admin,
    BadArgument,
    Connect,
    CreateWorkflow,
    EditWorkflow,
    Help,
    ListWorkflows,
    Transfer,
    Unknown,
    WorkflowCommand,
    parse,
)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("", Help()),
        ("   ", Help()),
        ("help", Help()),
        ("HELP me please", Help()),
        ("connect", Connect()),
        ("create", CreateWorkflow()),
        ("admin", Admin()),
        ("list", ListWorkflows()),
        ("list all", ListWorkflows(everyone=True)),
        ("List ALL", ListWorkflows(everyone=True)),
        ("edit 7", EditWorkflow(7)),
        ("show 42", WorkflowCommand("show", 42)),
        ("run #42", WorkflowCommand("run", 42)),
        ("  pause   3 ", WorkflowCommand("pause", 3)),
        ("resume 3", WorkflowCommand("resume", 3)),
        ("delete 9", WorkflowCommand("delete", 9)),
        ("errors 9", WorkflowCommand("errors", 9)),
        ("history 9", WorkflowCommand("history", 9)),
    ],
)
def test_each_verb_parses_into_its_command(text: str, command: object) -> None:
    assert parse(text) == command


@pytest.mark.parametrize(
    ("text", "closest"),
    [("lsit", "list"), ("conect", "connect"), ("hist", "history"), ("xyzzy", None)],
)
def test_an_unknown_verb_names_the_closest_one(text: str, closest: str | None) -> None:
    assert parse(text) == Unknown(text, closest)


@pytest.mark.parametrize(
    "text",
    [
        "show",
        "show abc",
        "run 0",
        "run -3",
        "pause 1 2",
        "list mine",
        "connect now",
        "delete 1.5",
        "run 99999999999999999",
    ],
)
def test_a_known_verb_with_a_bad_argument_says_how_to_use_it(text: str) -> None:
    parsed = parse(text)

    assert isinstance(parsed, BadArgument)
    assert parsed.verb == text.split()[0]
    assert parsed.reason


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("transfer 4 <@U0CAROL003>", Transfer(4, "U0CAROL003")),
        ("transfer #4 <@U0CAROL003|carol>", Transfer(4, "U0CAROL003")),
        ("transfer 4 @carol", BadArgument("transfer", "use `/sync transfer ID @person`")),
        ("transfer <@U0CAROL003>", BadArgument("transfer", "use `/sync transfer ID @person`")),
    ],
)
def test_transfer_needs_an_id_and_a_mention(text: str, command: object) -> None:
    assert parse(text) == command
