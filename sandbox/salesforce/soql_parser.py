"""SOQL tokens → a syntax tree (the subset the sandbox supports), MALFORMED_QUERY otherwise.

Grammar::

    query      := SELECT (COUNT '(' ')' | path (',' path)*) FROM ident
                  [WHERE condition] [ORDER BY order (',' order)*] [LIMIT int] [OFFSET int]
    condition  := term (AND term)* | term (OR term)*      -- mixing needs parentheses
    term       := NOT term | '(' condition ')' | path operator operand
    order      := path [ASC | DESC] [NULLS (FIRST | LAST)]

Keywords and identifiers are case-insensitive; names are resolved later against the schema.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .soql_errors import SoqlError, malformed, unexpected
from .soql_lexer import Token, decode, tokenize
from .soql_values import parse_datetime

# Words that cannot stand for a single-segment field name.
_RESERVED = frozenset({
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "INCLUDES", "EXCLUDES",
    "ORDER", "BY", "LIMIT", "OFFSET", "ASC", "DESC", "NULLS", "NULL", "TRUE", "FALSE",
    "GROUP", "HAVING", "WITH", "USING", "FOR",
})  # fmt: skip
# Relative date literals: name -> whether it takes ":n".
DATE_LITERALS = {
    "TODAY": False, "YESTERDAY": False, "TOMORROW": False,
    "THIS_WEEK": False, "LAST_WEEK": False, "NEXT_WEEK": False,
    "THIS_MONTH": False, "LAST_MONTH": False, "NEXT_MONTH": False,
    "THIS_YEAR": False, "LAST_YEAR": False, "NEXT_YEAR": False,
    "LAST_90_DAYS": False, "NEXT_90_DAYS": False,
    "LAST_N_DAYS": True, "NEXT_N_DAYS": True, "N_DAYS_AGO": True,
}  # fmt: skip
_LIST_OPERATORS = ("IN", "INCLUDES", "EXCLUDES")


@dataclass(frozen=True)
class Path:
    text: str  # as written, e.g. "account.Name"
    pos: int


@dataclass(frozen=True)
class Literal:
    kind: str  # string, number, boolean, null, date, datetime, relative
    value: Any  # raw text of a string token; Decimal; bool; None; date; datetime; (name, n)
    pos: int

    @property
    def text(self) -> str:
        """The decoded value of a string literal (outside LIKE)."""
        return decode(self.value) if self.kind == "string" else str(self.value)


@dataclass(frozen=True)
class Comparison:
    path: Path
    operator: str  # = != < <= > >= LIKE IN NOT IN INCLUDES EXCLUDES
    operands: tuple[Literal, ...]


@dataclass(frozen=True)
class Not:
    operand: Condition


@dataclass(frozen=True)
class Junction:
    operator: str  # AND or OR
    operands: tuple[Condition, ...]


Condition = Comparison | Not | Junction


@dataclass(frozen=True)
class OrderItem:
    path: Path
    descending: bool
    nulls_first: bool


@dataclass(frozen=True)
class Query:
    count_only: bool
    fields: tuple[Path, ...]
    object_name: Path
    where: Condition | None
    order: tuple[OrderItem, ...]
    order_pos: int
    limit: int | None
    offset: int | None


def parse(text: str) -> Query:
    return _Parser(text).query()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    # -- cursor ------------------------------------------------------------------------
    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.token
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def fail(self) -> SoqlError:
        return unexpected(self.text, self.token.shown, self.token.pos)

    def accept_word(self, *words: str) -> Token | None:
        return self.advance() if self.token.is_word(*words) else None

    def expect_word(self, word: str) -> Token:
        if not self.token.is_word(word):
            raise self.fail()
        return self.advance()

    def expect_punct(self, char: str) -> Token:
        if not self.token.is_punct(char):
            raise self.fail()
        return self.advance()

    # -- clauses -----------------------------------------------------------------------
    def query(self) -> Query:
        self.expect_word("SELECT")
        count_only = self.count()
        fields = () if count_only else self.field_list()
        self.expect_word("FROM")
        object_name = self.identifier(allow_reserved=True)
        where = self.condition() if self.accept_word("WHERE") else None
        order_pos = self.token.pos
        order = self.order_by() if self.accept_word("ORDER") else ()
        limit = self.integer() if self.accept_word("LIMIT") else None
        offset = self.integer() if self.accept_word("OFFSET") else None
        if self.token.kind != "eof":
            raise self.fail()
        return Query(count_only, fields, object_name, where, order, order_pos, limit, offset)

    def count(self) -> bool:
        following = self.tokens[min(self.index + 1, len(self.tokens) - 1)]
        if not (self.token.is_word("COUNT") and following.is_punct("(")):
            return False
        self.advance()
        self.advance()
        self.expect_punct(")")
        return True

    def field_list(self) -> tuple[Path, ...]:
        fields = [self.identifier()]
        while self.token.is_punct(","):
            self.advance()
            fields.append(self.identifier())
        return tuple(fields)

    def identifier(self, *, allow_reserved: bool = False) -> Path:
        token = self.token
        if token.kind != "ident" or (not allow_reserved and token.text.upper() in _RESERVED):
            raise self.fail()
        self.advance()
        return Path(token.text, token.pos)

    def order_by(self) -> tuple[OrderItem, ...]:
        self.expect_word("BY")
        items = [self.order_item()]
        while self.token.is_punct(","):
            self.advance()
            items.append(self.order_item())
        return tuple(items)

    def order_item(self) -> OrderItem:
        path = self.identifier()
        direction = self.accept_word("ASC", "DESC")
        descending = direction is not None and direction.is_word("DESC")
        nulls_first = not descending  # Salesforce's default: nulls first ascending
        if self.accept_word("NULLS"):
            nulls_first = self.expect_one_of("FIRST", "LAST") == "FIRST"
        return OrderItem(path, descending, nulls_first)

    def expect_one_of(self, *words: str) -> str:
        if not self.token.is_word(*words):
            raise self.fail()
        return self.advance().text.upper()

    def integer(self) -> int:
        token = self.token
        if token.kind != "number" or not token.text.isdigit():
            raise self.fail()
        self.advance()
        return int(token.text)

    # -- WHERE -------------------------------------------------------------------------
    def condition(self) -> Condition:
        first = self.term()
        operands = [first]
        junction: str | None = None
        while self.token.is_word("AND", "OR"):
            word = self.token.text.upper()
            if junction not in (None, word):
                raise self.fail()  # AND and OR at one level need parentheses
            junction = word
            self.advance()
            operands.append(self.term())
        return first if junction is None else Junction(junction, tuple(operands))

    def term(self) -> Condition:
        if self.accept_word("NOT"):
            return Not(self.term())
        if self.token.is_punct("("):
            self.advance()
            inner = self.condition()
            self.expect_punct(")")
            return inner
        return self.comparison()

    def comparison(self) -> Comparison:
        path = self.identifier()
        token = self.token
        if token.kind == "op":
            self.advance()
            operator = "!=" if token.text == "<>" else token.text
            return Comparison(path, operator, (self.operand(),))
        if self.accept_word("LIKE"):
            return Comparison(path, "LIKE", (self.operand(),))
        if self.accept_word("NOT"):
            self.expect_word("IN")
            return Comparison(path, "NOT IN", self.operand_list())
        if token.is_word(*_LIST_OPERATORS):
            self.advance()
            return Comparison(path, token.text.upper(), self.operand_list())
        raise self.fail()

    def operand_list(self) -> tuple[Literal, ...]:
        self.expect_punct("(")
        operands = [self.operand()]
        while self.token.is_punct(","):
            self.advance()
            operands.append(self.operand())
        self.expect_punct(")")
        return tuple(operands)

    def operand(self) -> Literal:
        token = self.token
        if token.kind in ("string", "number", "date", "datetime"):
            self.advance()
            return Literal(token.kind, self.literal_value(token), token.pos)
        if token.is_word("TRUE", "FALSE"):
            self.advance()
            return Literal("boolean", token.text.upper() == "TRUE", token.pos)
        if token.is_word("NULL"):
            self.advance()
            return Literal("null", None, token.pos)
        if token.is_word(*DATE_LITERALS):
            return self.relative_date()
        raise self.fail()

    def relative_date(self) -> Literal:
        token = self.advance()
        name = token.text.upper()
        amount = None
        if DATE_LITERALS[name]:
            self.expect_punct(":")
            amount = self.integer()
        return Literal("relative", (name, amount), token.pos)

    def literal_value(self, token: Token) -> Any:
        if token.kind == "number":
            return Decimal(token.text)
        if token.kind == "date":
            return self.checked(token, lambda: dt.date.fromisoformat(token.text))
        if token.kind == "datetime":
            return self.checked(token, lambda: parse_datetime(token.text))
        return token.text

    def checked(self, token: Token, build: Any) -> Any:
        try:
            return build()
        except ValueError:
            raise malformed(self.text, token.pos, f"Invalid date: {token.text}") from None
