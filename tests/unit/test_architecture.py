"""The arrows of DESIGN.md / STYLE.md 2.1, enforced: `sync/` never imports Slack, `handlers` or
`bot`; only `sync/connectors/` imports the Salesforce and Smartsheet SDKs, except that
`sync/soql.py` may use simple-salesforce's `format_soql` (simple_salesforce.format) alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SYNC = ROOT / "sync"
CONNECTORS = SYNC / "connectors"
NEVER_IN_SYNC = ("slack_bolt", "slack_sdk", "handlers", "bot")
SDKS = ("simple_salesforce", "smartsheet")
ALLOWED_OUTSIDE_CONNECTORS = {(SYNC / "soql.py", "simple_salesforce.format")}


def imports_in(source: str, package: tuple[str, ...]) -> list[str]:
    """Every module `source` imports, made absolute as if it lived in `package`, including
    imports inside functions and `from . import x` (which imports the submodule x)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join(p for p in (*base, node.module or "") if p)
            if node.module:
                found.append(module)
            else:
                found += [".".join(p for p in (module, a.name) if p) for a in node.names]
    return found


def imports_of(path: Path) -> list[str]:
    return imports_in(path.read_text(), path.relative_to(ROOT).parts[:-1])


def top(module: str) -> str:
    return module.split(".")[0]


def sync_files() -> list[Path]:
    return sorted(SYNC.rglob("*.py"))


def test_there_is_an_engine_to_check() -> None:
    assert len(sync_files()) > 10


@pytest.mark.parametrize("path", sync_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_sync_never_imports_slack_handlers_or_bot(path: Path) -> None:
    bad = [m for m in imports_of(path) if top(m) in NEVER_IN_SYNC]

    assert bad == []


@pytest.mark.parametrize("path", sync_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_connectors_import_the_sdks(path: Path) -> None:
    if CONNECTORS in path.parents:
        return
    bad = [
        m
        for m in imports_of(path)
        if top(m) in SDKS and (path, m) not in ALLOWED_OUTSIDE_CONNECTORS
    ]

    assert bad == []


# -- the checker itself ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import slack_sdk.web", ["slack_sdk.web"]),
        ("import os, slack_bolt as bolt", ["os", "slack_bolt"]),
        ("from slack_bolt import App", ["slack_bolt"]),
        ("def f():\n    import handlers.views\n", ["handlers.views"]),
        ("from ..bot import cli", ["bot"]),
        ("from .. import bot", ["bot"]),
        ("from . import planner, soql", ["sync.planner", "sync.soql"]),
        ("from .store import repo", ["sync.store"]),
        ("from simple_salesforce.format import format_soql", ["simple_salesforce.format"]),
    ],
)
def test_the_checker_sees_every_form_of_import(source: str, found: list[str]) -> None:
    assert imports_in(source, ("sync",)) == found


# -- handlers/ stays thin: no store, no SQLAlchemy, no SDKs (Bolt's App is its framework) ----
HANDLERS = ROOT / "handlers"
NEVER_IN_HANDLERS = ("sqlalchemy", "slack_sdk", "simple_salesforce", "smartsheet", "requests")


def handler_files() -> list[Path]:
    return sorted(HANDLERS.rglob("*.py"))


def test_there_are_handlers_to_check() -> None:
    assert len(handler_files()) > 5


@pytest.mark.parametrize("path", handler_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_handlers_import_neither_the_store_sqlalchemy_nor_sdks(path: Path) -> None:
    bad = [
        m
        for m in imports_of(path)
        if top(m) in NEVER_IN_HANDLERS or m == "sync.store" or m.startswith("sync.store.")
    ]

    assert bad == []


# -- the store hands out domain types: ORM rows never leave sync/store/ -------------------
STORE = SYNC / "store"
TABLE_MODULES = ("sync.store.tables", "sync.store.app_tables", "sync.store.slack_tables")


def product_files_outside_the_store() -> list[Path]:
    files = [*sync_files(), *sorted((ROOT / "bot").rglob("*.py")), *handler_files()]
    return [p for p in files if STORE not in p.parents]


def row_functions() -> dict[str, set[str]]:
    """Public functions of each sync.store module that take or return an ORM row: the
    store's own plumbing, for tests to set up state, never for product code."""
    import importlib
    import inspect
    import pkgutil

    import sync.store
    from sync.store.tables import Base

    rows = {mapper.class_.__name__ for mapper in Base.registry.mappers}
    found: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(sync.store.__path__):
        module = importlib.import_module(f"sync.store.{info.name}")
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if fn.__module__ != module.__name__:
                continue
            words = " ".join(map(str, fn.__annotations__.values()))
            for ch in "[]|,":
                words = words.replace(ch, " ")
            if rows & set(words.split()):
                found.setdefault(f"sync.store.{info.name}", set()).add(name)
    return found


def row_calls_in(
    source: str, package: tuple[str, ...], forbidden: dict[str, set[str]]
) -> list[str]:
    """`module.function` uses (or `from module import function`) of row-handling store
    functions, through whatever alias the file imported the module under."""
    tree = ast.parse(source)
    aliases: dict[str, str] = {}
    bad: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join(p for p in (*base, node.module or "") if p)
            for alias in node.names:
                if f"{module}.{alias.name}" in forbidden:
                    aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
                elif alias.name in forbidden.get(module, set()):
                    bad.append(f"{module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in forbidden and alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = aliases.get(node.value.id)
            if module and node.attr in forbidden[module]:
                bad.append(f"{module}.{node.attr}")
    return bad


def test_the_store_has_row_functions_to_guard() -> None:
    assert "workflow_row" in row_functions()["sync.store.repo"]


@pytest.mark.parametrize(
    "path", product_files_outside_the_store(), ids=lambda p: str(p.relative_to(ROOT))
)
def test_orm_rows_stay_inside_the_store(path: Path) -> None:
    imports = imports_of(path)
    tables = [m for m in imports if m in TABLE_MODULES or m.startswith("sync.store.tables.")]
    # sync/ may name SQLAlchemy's Session as the unit-of-work handle, and nothing else of it
    orm = [
        m
        for m in imports
        if SYNC in path.parents and top(m) == "sqlalchemy" and m != "sqlalchemy.orm"
    ]
    calls = row_calls_in(path.read_text(), path.relative_to(ROOT).parts[:-1], row_functions())

    assert (tables, orm, calls) == ([], [], [])


def test_the_row_checker_sees_aliases_and_direct_imports() -> None:
    forbidden = {"sync.store.repo": {"workflow_row"}}
    source = (
        "from sync.store import repo\n"
        "from sync.store.repo import workflow_row\n"
        "repo.workflow_row(s, 1)\n"
        "repo.workflows(s)\n"
    )
    found = row_calls_in(source, ("sync",), forbidden)

    assert sorted(found) == ["sync.store.repo.workflow_row", "sync.store.repo.workflow_row"]
