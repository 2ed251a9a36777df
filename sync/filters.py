"""Evaluate a workflow's filter on a fetched record, with SOQL's semantics (pure).

The incremental query of a group fetches every changed record of the object once for all
its workflows; each workflow then keeps the records its own filter accepts. The same
filter is rendered into SOQL (sync.soql.where_clause) for backfills, so both must agree:
string comparisons ignore case, null only equals null, LIKE wildcards are literal here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sync.model import Condition, Filter, SalesforceField, SalesforceType
from sync.soql import soql_value

_NUMERIC = {
    SalesforceType.INT,
    SalesforceType.LONG,
    SalesforceType.DOUBLE,
    SalesforceType.CURRENCY,
    SalesforceType.PERCENT,
}


def matches(flt: Filter, record: Mapping[str, Any], fields: Mapping[str, SalesforceField]) -> bool:
    if not flt.conditions:
        return True
    results = (
        _holds(c, lookup(record, fields[c.field].name), fields[c.field]) for c in flt.conditions
    )
    return all(results) if flt.match_all else any(results)


def lookup(record: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of a query record (`Account.Name` → record["Account"]["Name"])."""
    if "." not in path:  # most fields: one level (a query record is a plain dict)
        return record.get(path)
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _holds(condition: Condition, raw: Any, field: SalesforceField) -> bool:
    op = condition.op.lower()
    if op == "is empty":
        return raw is None or raw == ""
    if op == "is not empty":
        return not (raw is None or raw == "")
    if field.type is SalesforceType.BOOLEAN and condition.value is None and op in ("=", "!="):
        # SOQL: `Checkbox = null` means `= false` (a checkbox is never null)
        return (raw is False or raw is None) == (op == "=")
    if condition.value is None and op in ("=", "!="):
        return (raw is None) == (op == "=")
    if raw is None:
        return op in ("!=", "not in")
    actual = _typed(raw, field)
    if op in ("contains", "starts with"):
        text, needle = str(raw).casefold(), str(condition.value).casefold()
        return needle in text if op == "contains" else text.startswith(needle)
    if op in ("in", "not in"):
        values = condition.value if isinstance(condition.value, list | tuple) else [condition.value]
        found = any(_equal(actual, _expected(v, field)) for v in values)
        return found if op == "in" else not found
    expected = _expected(condition.value, field)
    if expected is None:
        return op == "!="
    if op == "=":
        return _equal(actual, expected)
    if op == "!=":
        return not _equal(actual, expected)
    return _ordered(actual, expected, op)


def _expected(value: object, field: SalesforceField) -> Any:
    return _typed(soql_value(value, field), field) if value is not None else None


def _typed(value: Any, field: SalesforceField) -> Any:
    if field.type in _NUMERIC:
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    if field.type is SalesforceType.DATE and isinstance(value, str):
        return date.fromisoformat(value[:10])
    if field.type is SalesforceType.DATETIME and isinstance(value, str):
        return _parse_datetime(value)
    if isinstance(value, str):
        return value.casefold()
    return value


def _parse_datetime(text: str) -> datetime:
    # Salesforce sends "+0000" without a colon; fromisoformat in 3.11 accepts it.
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _equal(left: Any, right: Any) -> bool:
    return bool(left == right)


def _ordered(left: Any, right: Any, op: str) -> bool:
    try:
        if op == "<":
            return bool(left < right)
        if op == "<=":
            return bool(left <= right)
        if op == ">":
            return bool(left > right)
        return bool(left >= right)
    except TypeError:
        return False
