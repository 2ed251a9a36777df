"""The SOQL engine of the Salesforce emulator: query text in, Salesforce-shaped records out.

Supports ``SELECT <fields> | COUNT() FROM <object> [WHERE] [ORDER BY] [LIMIT] [OFFSET]``
with parent relationship paths of any depth, the comparison operators, LIKE, IN, NOT IN,
INCLUDES/EXCLUDES, and date/datetime/relative-date literals. Rejections carry Salesforce's
error codes and messages (see ``soql_errors``). Paging is the caller's job: ``run_query``
returns every matching record.

The steps, each in its own module: ``soql_lexer`` → ``soql_parser`` (syntax) →
``soql_resolve`` (names against the user's schema) → ``soql_filter`` / ``soql_order`` →
``soql_records`` (output shape).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .soql_errors import SoqlError, malformed
from .soql_filter import FilterCompiler, Predicate
from .soql_order import sort_keys, sort_rows
from .soql_parser import Query, parse
from .soql_records import Fetcher, Row, shape
from .soql_resolve import ResolvedPath, Resolver, resolve_object
from .soql_types import FieldInfo, QueryResult, RecordSource, Schema

__all__ = ["FieldInfo", "QueryResult", "RecordSource", "Schema", "SoqlError", "run_query"]

MAX_OFFSET = 2000


def run_query(
    text: str,
    schema: Schema,
    source: RecordSource,
    *,
    include_deleted: bool = False,
    now: dt.datetime | None = None,
) -> QueryResult:
    """Run one SOQL query as the user ``schema`` and ``source`` stand for.

    ``include_deleted`` is queryAll (soft-deleted rows too); ``now`` anchors TODAY and the
    other relative date literals (its time zone is the user's; default: current UTC time).
    """
    query = parse(text)
    root = resolve_object(text, schema, query.object_name)
    resolver = Resolver(text, schema, root)
    fetcher = Fetcher(source)
    selected = _selection(query, resolver)
    where = _where(query, text, resolver, fetcher, now or dt.datetime.now(dt.UTC))
    keys = sort_keys(text, resolver, query.order)
    _check_window(query, text)
    rows = [
        row
        for row in source.rows(root, include_deleted)
        if (include_deleted or not row.get("IsDeleted")) and (where is None or where(row))
    ]
    rows = _window(sort_rows(rows, keys, fetcher), query)
    if query.count_only:
        return QueryResult([], len(rows))
    return QueryResult([shape(root, row, selected, fetcher) for row in rows], len(rows))


def _selection(query: Query, resolver: Resolver) -> list[ResolvedPath]:
    selected: list[ResolvedPath] = []
    seen: set[str] = set()
    for path in query.fields:
        resolved = resolver.resolve(path)
        if resolved.key.lower() in seen:
            # Documented answer (SOQL guide, FIELDS()): INVALID_FIELD, no position.
            raise SoqlError("INVALID_FIELD", f"duplicate field selected: {resolved.key}")
        seen.add(resolved.key.lower())
        selected.append(resolved)
    return selected


def _where(
    query: Query, text: str, resolver: Resolver, fetcher: Fetcher, now: dt.datetime
) -> Predicate | None:
    if query.where is None:
        return None
    return FilterCompiler(text, resolver, fetcher, now).compile(query.where)


def _check_window(query: Query, text: str) -> None:
    if query.count_only and query.order:
        # The SOQL guide: "You can't use COUNT() with an ORDER BY clause."
        written = text[query.order_pos : query.order_pos + len("ORDER")]
        raise malformed(text, query.order_pos, f"unexpected token: '{written}'")
    if query.offset is not None and query.offset > MAX_OFFSET:
        raise SoqlError(
            "NUMBER_OUTSIDE_VALID_RANGE", f"Maximum SOQL offset allowed is {MAX_OFFSET}"
        )


def _window(rows: Sequence[Row], query: Query) -> list[Row]:
    start = query.offset or 0
    stop = None if query.limit is None else start + query.limit
    return list(rows[start:stop])
