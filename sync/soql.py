"""Build SOQL from describe-validated identifiers and escaped values (pure).

Identifiers: only names returned by `sync.schema.resolve_field` (or the system fields
below). Values: only through simple-salesforce's `format_soql`, which quotes strings and
escapes quotes, backslashes and LIKE wildcards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from simple_salesforce.format import format_soql

from sync.errors import InvalidQuery
from sync.model import Condition, Filter, SalesforceField, SalesforceType

SYSTEM_FIELDS = ("Id", "SystemModstamp")
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$")

OPERATORS = {
    "=": "=",
    "!=": "!=",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
    "in": "IN",
    "not in": "NOT IN",
    "contains": "LIKE",
    "starts with": "LIKE",
    "is empty": "=",
    "is not empty": "!=",
}


def identifier(name: str) -> str:
    """Last line of defence: even describe-derived names must look like identifiers."""
    if not _IDENTIFIER.fullmatch(name):
        raise InvalidQuery(f"“{name}” is not a valid Salesforce field name.")
    return name


def field_list(fields: Iterable[str]) -> str:
    ordered: dict[str, None] = {}
    for name in (*SYSTEM_FIELDS, *fields):
        ordered.setdefault(identifier(name), None)
    return ", ".join(ordered)


def incremental_query(
    object_name: str, fields: Iterable[str], since: datetime | None, parents: Sequence[str] = ()
) -> str:
    """The one query per (connection, object) a tick makes: everything changed since the
    watermark (already minus the overlap), oldest first, ties broken by Id. `parents` are
    relationship paths whose own changes count too (a renamed Account shows on its deals)."""
    soql = f"SELECT {field_list(fields)} FROM {identifier(object_name)}"
    if since is not None:
        stamps = ["SystemModstamp", *(f"{identifier(p)}.SystemModstamp" for p in parents)]
        clauses = [format_soql(f"{stamp} >= {{}}", since) for stamp in stamps]
        where = clauses[0] if len(clauses) == 1 else "(" + " OR ".join(clauses) + ")"
        soql += f" WHERE {where}"
    return soql + " ORDER BY SystemModstamp ASC, Id ASC"


def backfill_query(object_name: str, fields: Iterable[str], where: str) -> str:
    soql = f"SELECT {field_list(fields)} FROM {identifier(object_name)}"
    if where:
        soql += f" WHERE {where}"
    return soql + " ORDER BY Id ASC"


def records_by_id_query(object_name: str, fields: Iterable[str], ids: Sequence[str]) -> str:
    soql = f"SELECT {field_list(fields)} FROM {identifier(object_name)}"
    return soql + format_soql(" WHERE Id IN {}", list(ids))


def id_after(record_id: str) -> str:
    """Resume a backfill after the last committed Id."""
    return format_soql("Id > {}", record_id)


def where_clause(flt: Filter, fields: dict[str, SalesforceField]) -> str:
    """Render a structured filter; `fields` maps each condition's field to its describe entry."""
    parts = [_condition(c, fields[c.field]) for c in flt.conditions]
    joiner = " AND " if flt.match_all else " OR "
    return joiner.join(f"({p})" if len(parts) > 1 else p for p in parts)


def _condition(condition: Condition, field: SalesforceField) -> str:
    op = condition.op.lower()
    if op not in OPERATORS:
        raise InvalidQuery(f"Unknown filter operator “{condition.op}”.")
    name = identifier(field.name)
    if op in ("is empty", "is not empty"):
        return f"{name} {OPERATORS[op]} null"
    if op == "contains":
        return format_soql(f"{name} LIKE '%{{:like}}%'", str(condition.value))
    if op == "starts with":
        return format_soql(f"{name} LIKE '{{:like}}%'", str(condition.value))
    if op in ("in", "not in"):
        values = condition.value if isinstance(condition.value, list | tuple) else [condition.value]
        return format_soql(f"{name} {OPERATORS[op]} {{}}", [soql_value(v, field) for v in values])
    return format_soql(f"{name} {OPERATORS[op]} {{}}", soql_value(condition.value, field))


def soql_value(value: object, field: SalesforceField) -> object:
    """Type a filter value for its field, so format_soql renders the right literal."""
    if value is None:
        return None
    kind = field.type
    try:
        if kind is SalesforceType.BOOLEAN:
            return _boolean(value)
        if kind in (SalesforceType.INT, SalesforceType.LONG):
            return int(str(value))
        if kind in (SalesforceType.DOUBLE, SalesforceType.CURRENCY, SalesforceType.PERCENT):
            number = Decimal(str(value))
            if not number.is_finite():
                raise ValueError("not a finite number")
            return int(number) if number == number.to_integral_value() else float(number)
        if kind is SalesforceType.DATE:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if kind is SalesforceType.DATETIME:
            return _datetime(value)
    except (ValueError, ArithmeticError) as exc:
        raise InvalidQuery(
            f"Filter value “{value}” does not fit {field.label} ({field.type.value})."
        ) from exc
    return str(value)


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise ValueError(text)


def _datetime(value: object) -> datetime:
    parsed = (
        value
        if isinstance(value, datetime)
        else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    )
    if parsed.tzinfo is None:
        raise ValueError("a datetime filter needs a time zone")
    return parsed
