"""WHERE conditions compiled into predicates over records.

Null semantics follow SOQL rather than SQL: ``= null`` / ``!= null`` test for null, a null
value differs from every literal (so ``!=`` and ``NOT IN`` keep nulls) and fails every
ordering comparison and LIKE; a boolean field is never null (null reads as false). A parent
field behind an empty lookup is null. An empty string literal means null, as Salesforce
stores no empty strings.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any

from .soql_errors import WRONG_LITERAL_TYPE, SoqlError, invalid_field, located
from .soql_lexer import like_regex
from .soql_parser import Comparison, Condition, Junction, Literal, Not
from .soql_records import Fetcher, Row
from .soql_resolve import ResolvedPath, Resolver
from .soql_values import (
    BOOLEAN,
    DATE,
    DATETIME,
    ID,
    MULTI,
    NUMBER,
    TEXT,
    Range,
    fold,
    from_record,
    id15,
    kind_of,
    multi_values,
    quoted,
    relative_range,
    soap_type,
)

Predicate = Callable[[Row], bool]

_ORDERING = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
# Which literal kinds each kind of field accepts (null is accepted everywhere).
_ACCEPTED = {
    TEXT: {"string"}, ID: {"string"}, MULTI: {"string"}, NUMBER: {"number"},
    BOOLEAN: {"boolean"}, DATE: {"date", "relative"}, DATETIME: {"datetime", "relative"},
}  # fmt: skip
_MULTI_OPERATORS = frozenset({"=", "!=", "INCLUDES", "EXCLUDES"})


def matches(op: str, value: Any, operand: Any) -> bool:
    """One comparison of a record value with one literal, both in comparable form."""
    if operand is None:
        return op in ("=", "!=") and (value is None) == (op == "=")
    if value is None:
        return op == "!="
    if isinstance(operand, Range):
        return _in_range(op, value, operand)
    if op == "=":
        return bool(value == operand)
    if op == "!=":
        return bool(value != operand)
    return bool(_ORDERING[op](value, operand))


def _in_range(op: str, value: Any, span: Range) -> bool:
    # A relative date literal is a span: "=" means inside it, "<" before its start, ...
    inside = span.start <= value < span.end
    checks = {
        "=": inside,
        "!=": not inside,
        "<": value < span.start,
        "<=": value < span.end,
        ">": value >= span.end,
        ">=": value >= span.start,
    }
    return bool(checks[op])


class FilterCompiler:
    def __init__(self, text: str, resolver: Resolver, fetcher: Fetcher, now: dt.datetime) -> None:
        self.text = text
        self.resolver = resolver
        self.fetcher = fetcher
        self.now = now

    def compile(self, condition: Condition) -> Predicate:
        if isinstance(condition, Not):
            inner = self.compile(condition.operand)
            return lambda row: not inner(row)
        if isinstance(condition, Junction):
            parts = [self.compile(part) for part in condition.operands]
            combine = all if condition.operator == "AND" else any
            return lambda row: combine(part(row) for part in parts)
        return self.comparison(condition)

    def comparison(self, comparison: Comparison) -> Predicate:
        path = self.resolver.resolve(comparison.path)
        kind = kind_of(path.field.type)
        self._check_operator(comparison, kind)
        if comparison.operator == "LIKE":
            return self._like(comparison, path, kind)
        if comparison.operator in ("INCLUDES", "EXCLUDES"):
            return self._includes(comparison, path, kind)
        operands = [self._operand(literal, comparison, kind) for literal in comparison.operands]
        test = self._test(comparison.operator, operands)
        fetcher = self.fetcher
        return lambda row: test(from_record(kind, fetcher.value(path, row)))

    @staticmethod
    def _test(op: str, operands: list[Any]) -> Callable[[Any], bool]:
        if op == "IN":
            return lambda value: any(matches("=", value, item) for item in operands)
        if op == "NOT IN":
            return lambda value: not any(matches("=", value, item) for item in operands)
        return lambda value: matches(op, value, operands[0])

    def _like(self, comparison: Comparison, path: ResolvedPath, kind: str) -> Predicate:
        literal = comparison.operands[0]
        if kind not in (TEXT, ID) or literal.kind != "string":
            raise self._wrong_type(comparison, kind)
        pattern = like_regex(literal.value)
        fetcher = self.fetcher

        def like(row: Row) -> bool:
            value = fetcher.value(path, row)
            return value not in (None, "") and pattern.fullmatch(str(value)) is not None

        return like

    def _includes(self, comparison: Comparison, path: ResolvedPath, kind: str) -> Predicate:
        wanted = [self._operand(literal, comparison, kind) for literal in comparison.operands]
        sets = [item for item in wanted if item is not None]
        excluding = comparison.operator == "EXCLUDES"
        fetcher = self.fetcher

        def includes(row: Row) -> bool:
            value = from_record(MULTI, fetcher.value(path, row))
            found = value is not None and any(subset <= value for subset in sets)
            return found != excluding

        return includes

    def _check_operator(self, comparison: Comparison, kind: str) -> None:
        op = comparison.operator
        if kind == MULTI and op not in _MULTI_OPERATORS:
            raise self._bad_operator(comparison, "invalid operator on multipicklist field")
        if kind != MULTI and op in ("INCLUDES", "EXCLUDES"):
            sentence = "includes or excludes operator only valid on multipicklist field"
            raise self._bad_operator(comparison, sentence)

    def _operand(self, literal: Literal, comparison: Comparison, kind: str) -> Any:
        if literal.kind == "null":
            return False if kind == BOOLEAN else None  # "Flag__c = null" means false
        if literal.kind not in _ACCEPTED[kind]:
            raise self._wrong_type(comparison, kind)
        if literal.kind == "relative":
            name, amount = literal.value
            return relative_range(name, amount, self.now, kind)
        if literal.kind == "string":
            return self._string_operand(literal, comparison, kind)
        return literal.value

    def _string_operand(self, literal: Literal, comparison: Comparison, kind: str) -> Any:
        text = literal.text
        if text == "":
            return None
        if kind == MULTI:
            return multi_values(text)
        if kind == ID:
            canonical = id15(text)
            if canonical is None:
                raise self._bad_operator(comparison, f"invalid ID field: {text}")
            return canonical
        return fold(text)

    def _wrong_type(self, comparison: Comparison, kind: str) -> SoqlError:
        field_type = self.resolver.resolve(comparison.path).field.type
        sentence = WRONG_LITERAL_TYPE.format(
            field=comparison.path.text,
            type=soap_type(field_type),
            neg="" if quoted(kind) else " not",
        )
        return invalid_field(self.text, comparison.path.pos, sentence)

    def _bad_operator(self, comparison: Comparison, sentence: str) -> SoqlError:
        return located("INVALID_QUERY_FILTER_OPERATOR", self.text, comparison.path.pos, sentence)
