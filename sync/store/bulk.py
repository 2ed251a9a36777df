"""Many rows into one table as one executemany of plain tuples.

A backfill page stores thousands of links and history lines. Through a Core `insert()`
on SQLite, SQLAlchemy builds a parameter dict per row and runs every bind processor per
value (the same `now` is formatted as text 20,000 times in a 20,000-row backfill): a
third of the cost of storing a page. There the statement is compiled once per table, each
column's bind processor runs once per distinct value object, and sqlite3 gets the tuples.
PostgreSQL keeps Core's insert: psycopg adapts values itself, and insertmanyvalues sends
a page's rows in a few multi-row statements (an executemany of tuples was slower).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

Processor = Callable[[Any], Any]


def insert_rows(
    session: Session, table: Table, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    """INSERT each tuple (values in `columns` order) in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    if not connection.dialect.positional:
        # PostgreSQL: psycopg adapts the values itself (no per-value formatting to skip),
        # and Core's insertmanyvalues sends a page's rows in a few multi-row statements
        connection.execute(insert(table), _named(rows, columns))
        return
    statement = _compiled(connection.dialect, table, columns)
    if statement.processors:
        rows = _processed(rows, statement.processors)
    if statement.sources is not None:
        sources = statement.sources
        rows = [tuple(row[i] if i is not None else d for i, d in sources) for row in rows]
    connection.exec_driver_sql(statement.sql, list(rows))


@lru_cache(maxsize=64)
def _compiled(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> _Statement:
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    wanted = tuple(compiled.positiontup or ())
    processors = []
    for index, name in enumerate(columns):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors.append((index, _memoised(process)))
    if wanted == columns:
        return _Statement(str(compiled), tuple(processors), None)
    # the driver wants the table's order, and the columns' own defaults where not given
    sources = tuple(_source(table, columns, name, dialect) for name in wanted)
    return _Statement(str(compiled), tuple(processors), sources)


class _Statement(NamedTuple):
    sql: str
    processors: tuple[tuple[int, Processor], ...]
    sources: tuple[tuple[int | None, Any], ...] | None  # per parameter: index, or default


def _source(
    table: Table, columns: tuple[str, ...], name: str, dialect: Dialect
) -> tuple[int | None, Any]:
    if name in columns:
        return columns.index(name), None
    default = table.c[name].default
    if default is None and table.c[name].nullable:
        return None, None
    if default is None or not getattr(default, "is_scalar", False):
        raise ValueError(f"{table.name}.{name} has no constant default: pass its value")
    process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    value = default.arg  # type: ignore[attr-defined]
    return None, process(value) if process else value


def _memoised(process: Processor) -> Processor:
    """The last value's result kept: a page's rows share their timestamp object."""
    last: list[Any] = [object(), None]

    def run(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return run


def _processed(
    rows: Sequence[tuple[Any, ...]], processors: tuple[tuple[int, Processor], ...]
) -> list[tuple[Any, ...]]:
    out = []
    for row in rows:
        values = list(row)
        for index, process in processors:
            values[index] = process(values[index])
        out.append(tuple(values))
    return out


def _named(rows: Sequence[tuple[Any, ...]], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    return [dict(zip(columns, row, strict=True)) for row in rows]
