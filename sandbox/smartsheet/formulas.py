"""A very small formula evaluator, enough for cells that sum or scale other cells.

Supported: numbers, "text", ``[Column Name]@row``, ``[Column Name]<row number>``,
``Name@row``, ``+ - * /``, ``&`` (text join), parentheses and ``SUM(...)``. Anything else
evaluates to ``#UNPARSEABLE``, which is what the web app shows for formulas it cannot
read, so a sync engine sees the same kind of value either way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

UNPARSEABLE = "#UNPARSEABLE"
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<num>\d+(?:\.\d+)?)
  | "(?P<str>[^"]*)"
  | \[(?P<col>[^\]]+)\](?P<at>@row|\d+)
  | (?P<bare>[A-Za-z_][A-Za-z0-9_ ]*?)@row
  | (?P<fn>[A-Za-z]+)\(
  | (?P<op>[-+*/&(),])
)""",
    re.VERBOSE,
)

Lookup = Callable[[str, int | None], Any]  # (column title, row number or None=this row)


class _Unparseable(Exception):
    pass


def evaluate(formula: str, lookup: Lookup) -> Any:
    try:
        tokens = _tokenize(formula[1:])
        parser = _Parser(tokens, lookup)
        value = parser.expression()
        if parser.position != len(tokens):
            raise _Unparseable
    except (_Unparseable, ZeroDivisionError, KeyError, IndexError, TypeError, ValueError):
        return UNPARSEABLE
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _tokenize(text: str) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _Unparseable
        position = match.end()
        kind = match.lastgroup if match.lastgroup != "at" else "col"
        if match.group("col") is not None:
            at = match.group("at")
            tokens.append(("ref", (match.group("col"), None if at == "@row" else int(at))))
        elif match.group("bare") is not None:
            tokens.append(("ref", (match.group("bare").strip(), None)))
        else:
            tokens.append((str(kind), match.group(str(kind))))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, Any]], lookup: Lookup) -> None:
        self.tokens = tokens
        self.position = 0
        self.lookup = lookup

    def _peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> tuple[str, Any]:
        token = self._peek()
        if token is None:
            raise _Unparseable
        self.position += 1
        return token

    def expression(self) -> Any:
        value = self._term()
        while (token := self._peek()) and token[0] == "op" and token[1] in "+-&":
            self.position += 1
            right = self._term()
            value = (
                f"{_text(value)}{_text(right)}"
                if token[1] == "&"
                else _arith(token[1], value, right)
            )
        return value

    def _term(self) -> Any:
        value = self._factor()
        while (token := self._peek()) and token[0] == "op" and token[1] in "*/":
            self.position += 1
            value = _arith(token[1], value, self._factor())
        return value

    def _factor(self) -> Any:
        kind, text = self._take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text
        if kind == "ref":
            return self.lookup(*text)
        if kind == "op" and text == "-":
            return -_number(self._factor())
        if kind == "op" and text == "(":
            value = self.expression()
            self._expect(")")
            return value
        if kind == "fn" and text.upper() == "SUM":
            return self._sum()
        raise _Unparseable

    def _sum(self) -> float:
        total = 0.0
        while True:
            value = self.expression()
            total += 0.0 if value in (None, "") else _number(value)
            separator = self._take()
            if separator == ("op", ")"):
                return total
            if separator != ("op", ","):
                raise _Unparseable

    def _expect(self, symbol: str) -> None:
        if self._take() != ("op", symbol):
            raise _Unparseable


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Unparseable
    return float(value)


def _arith(op: str, left: Any, right: Any) -> float:
    a, b = _number(left or 0), _number(right or 0)
    return {"+": a + b, "-": a - b, "*": a * b}[op] if op != "/" else a / b


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
