"""SOQL text → tokens, with Salesforce's string escapes and literal shapes.

Dotted field paths (``Account.Owner.Email``) are one ``ident`` token. String tokens keep
their raw text between the quotes; ``decode`` and ``like_regex`` interpret the escapes,
because ``\\%`` and ``\\_`` mean something only to LIKE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .soql_errors import SoqlError, malformed, row_and_column

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?![\dT])")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_OPERATORS = ("<=", ">=", "!=", "<>", "=", "<", ">")
_PUNCTUATION = ",():"
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")

# \b is decoded as backspace, the character simple-salesforce's format_soql escapes that way
# (the SOQL guide's table calls it "bell", which no client produces).
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_LIKE_ONLY = "%_"


@dataclass(frozen=True)
class Token:
    kind: str  # ident, string, number, date, datetime, op, punct, eof
    text: str
    pos: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "ident" and self.text.upper() in words

    def is_punct(self, char: str) -> bool:
        return self.kind == "punct" and self.text == char

    @property
    def shown(self) -> str:
        """The token as Salesforce quotes it in 'unexpected token' messages."""
        return "<EOF>" if self.kind == "eof" else self.text


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        token = _next_token(text, pos)
        tokens.append(token)
        pos += len(token.text)
    tokens.append(Token("eof", "", len(text)))
    return tokens


def _next_token(text: str, pos: int) -> Token:
    char = text[pos]
    if char == "'":
        return Token("string", text[pos : _string_end(text, pos)], pos)
    for kind, pattern in (("datetime", _DATETIME), ("date", _DATE), ("number", _NUMBER)):
        match = pattern.match(text, pos)
        if match:
            return Token(kind, match.group(), pos)
    match = _IDENT.match(text, pos)
    if match:
        return Token("ident", match.group(), pos)
    operator = next((op for op in _OPERATORS if text.startswith(op, pos)), None)
    if operator:
        return Token("op", operator, pos)
    if char in _PUNCTUATION:
        return Token("punct", char, pos)
    raise _no_viable_alternative(text, pos)


def _no_viable_alternative(text: str, pos: int) -> SoqlError:
    # Salesforce reports lexer errors with the 0-based column of the character, which its
    # caret and "Column" then read as 1-based: the caret lands one character early.
    row, col, _ = row_and_column(text, pos)
    sentence = f"line {row}:{col} no viable alternative at character '{text[pos]}'"
    return malformed(text, pos - 1, sentence)


def _string_end(text: str, start: int) -> int:
    """Index just past the closing quote of the string literal opening at ``start``."""
    pos = start + 1
    while pos < len(text):
        char = text[pos]
        if char == "'":
            return pos + 1
        if char == "\\":
            pos += _escape_length(text, start, pos)
            continue
        pos += 1
    row, col, _ = row_and_column(text, len(text))
    sentence = f"line {row}:{col} mismatched character '<EOF>' expecting '''"
    raise malformed(text, len(text) - 1, sentence)


def _escape_length(text: str, start: int, pos: int) -> int:
    follower = text[pos + 1 : pos + 2]
    if follower and (follower.lower() in _ESCAPES or follower in _LIKE_ONLY):
        return 2
    if follower == "u" and _HEX4.fullmatch(text, pos + 2, pos + 6):
        return 6
    literal = text[start : _loose_end(text, pos)]
    sentence = (
        f"Invalid string literal {literal}. Illegal character sequence "
        f"'{text[pos : pos + 2]}' in string literal."
    )
    raise malformed(text, start, sentence)


def _loose_end(text: str, pos: int) -> int:
    end = text.find("'", pos + 1)
    return len(text) if end < 0 else end + 1


def _walk(raw: str) -> list[tuple[str, str]]:
    """The characters of a string token's body, each with how it was written:
    ``plain``, ``escape`` (backslash + letter) or ``unicode`` (backslash-u + 4 hex digits)."""
    body = raw[1:-1]
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(body):
        char = body[pos]
        if char != "\\":
            out.append((char, "plain"))
            pos += 1
            continue
        follower = body[pos + 1]
        if follower == "u" and _HEX4.fullmatch(body, pos + 2, pos + 6):
            out.append((chr(int(body[pos + 2 : pos + 6], 16)), "unicode"))
            pos += 6
            continue
        out.append((_ESCAPES.get(follower.lower(), follower), "escape"))
        pos += 2
    return out


def decode(raw: str) -> str:
    """The value of a string literal outside LIKE, where ``\\%`` and ``\\_`` stay as written."""
    parts = []
    for char, how in _walk(raw):
        parts.append("\\" + char if how == "escape" and char in _LIKE_ONLY else char)
    return "".join(parts)


def like_regex(raw: str) -> re.Pattern[str]:
    """A LIKE pattern as a case-insensitive regular expression matching the whole value."""
    parts = []
    for char, how in _walk(raw):
        if how == "plain" and char == "%":
            parts.append(".*")
        elif how == "plain" and char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)
