"""Issue #11, the messages a person reads: retried Smartsheet errors leave one INFO line
each and no SDK ERROR line; no made-up error code; engine messages name no front end."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest

from sync.connectors.smartsheet import classify

from .conftest import World
from .test_basic_flow import deals, pipeline


def test_a_retried_rate_limit_logs_one_info_line_and_no_sdk_error(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    prefix, _ = deals(world, 2)
    sheet, _ = pipeline(world, prefix)
    world.tick()
    world.ss.edit_cells(sheet, world.rows(sheet)[0]["_id"], {"Amount": 5})
    world.ss.control.inject(  # the edited sheet is read: that read meets the 429
        "sheets.get",
        429,
        {"errorCode": 4003, "message": "Rate limit exceeded.", "refId": "r1"},
        headers={"Retry-After": "0"},
    )
    with caplog.at_level(logging.DEBUG):
        report = world.tick()
    assert report.failures == []
    sdk_errors = [r for r in caplog.records if r.name.startswith("smartsheet") and r.levelno >= 30]
    assert sdk_errors == []
    retries = [r for r in caplog.records if "retrying in" in r.getMessage()]
    assert len(retries) == 1 and retries[0].levelno == logging.INFO
    assert "HTTP 429" in retries[0].getMessage()


def test_an_error_without_a_code_invents_none() -> None:
    error = classify(0, 0, "upstream reset")
    assert str(error) == "Smartsheet is busy or unavailable (upstream reset)."
    assert "0:" not in str(error)


FRONT_END = re.compile(r"/sync \w|`?syncbot (workflows|connections|serve|demo)\b")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes (they may talk about the front end: no one reads them)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def test_engine_messages_name_no_front_end() -> None:
    """Every string the engine can show (not its docstrings) leaves the next step's
    wording to the front end: no `/sync …` verb, no CLI command."""
    root = Path(__file__).resolve().parents[3] / "sync"
    offenders = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        offenders += [
            f"{path.relative_to(root)}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and FRONT_END.search(node.value)
        ]
    assert offenders == []
