"""Reading a builder view's submitted state (pure): Slack's `view.state.values` → plain
values. Everything Any stops here."""

from __future__ import annotations

from typing import Any

from handlers.builder.ids import ActionId, BlockId
from sync.draft import MAX_CONDITIONS
from sync.model import (
    Condition,
    ConflictPolicy,
    Direction,
    Filter,
    OnRecordDeleted,
    SalesforceField,
    WorkflowOptions,
)

Values = dict[str, dict[str, Any]]


def values_of(body: dict[str, Any]) -> Values:
    values: Values = body.get("view", {}).get("state", {}).get("values", {})
    return values


def picked(values: Values, block: str, action: str) -> str:
    """The value of a select / radio choice, or the text typed; "" when empty."""
    entry = values.get(block, {}).get(action) or {}
    option = entry.get("selected_option")
    if isinstance(option, dict):
        return str(option.get("value", ""))
    return str(entry.get("value") or "").strip()


def checked(values: Values, block: str, action: str) -> list[str]:
    entry = values.get(block, {}).get(action) or {}
    return [str(o["value"]) for o in entry.get("selected_options") or []]


def conditions(values: Values) -> list[tuple[int, str, str, str]]:
    """(index, field, operator, value) of each condition row with a field picked."""
    rows = []
    for i in range(MAX_CONDITIONS):
        field = picked(values, f"filter_field_{i}", ActionId.FILTER_FIELD)
        if field:
            op = picked(values, f"filter_op_{i}", ActionId.FILTER_OP) or "="
            rows.append((i, field, op, picked(values, f"filter_value_{i}", ActionId.FILTER_VALUE)))
    return rows


def to_filter(rows: list[tuple[int, str, str, str]], match_all: bool) -> Filter:
    def value(op: str, text: str) -> object:
        if op in ("is empty", "is not empty"):
            return None
        if op in ("in", "not in"):
            return [p.strip() for p in text.split(",") if p.strip()]
        return text

    return Filter(tuple(Condition(f, op, value(op, v)) for _, f, op, v in rows), match_all)


def to_options(values: Values) -> WorkflowOptions:
    return WorkflowOptions(
        create_records_from_rows="yes"
        in checked(values, BlockId.CREATE_RECORDS, ActionId.CREATE_RECORDS),
        on_record_deleted=OnRecordDeleted(
            picked(values, BlockId.ON_DELETED, ActionId.ON_DELETED) or "mark"
        ),
        conflicts=ConflictPolicy(
            picked(values, BlockId.CONFLICTS, ActionId.CONFLICTS) or "salesforce_wins"
        ),
    )


def direction(values: Values) -> Direction:
    return Direction(picked(values, BlockId.DIRECTION, ActionId.DIRECTION) or "to_smartsheet")


def default_direction(field: SalesforceField) -> Direction:
    return Direction.BOTH if field.writable else Direction.TO_SMARTSHEET


def as_direction(value: str) -> Direction:
    return Direction(value)
