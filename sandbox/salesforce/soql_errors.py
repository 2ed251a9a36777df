"""SOQL errors in Salesforce's own wording and layout.

A query error's message echoes a window of the offending row, a caret under the problem
column, ``ERROR at Row:R:Column:C`` and the sentence. The window was inferred from recorded
messages: it starts after the last whitespace at least 30 characters before the problem and
ends at the first whitespace at least 30 characters after it, so short queries show whole.
"""

from __future__ import annotations

_WINDOW = 30

NO_SUCH_COLUMN = (
    "No such column '{field}' on entity '{entity}'. If you are attempting to use a custom "
    "field, be sure to append the '__c' after the custom field name. Please reference your "
    "WSDL or the describe call for the appropriate names."
)
UNSUPPORTED_TYPE = (
    "sObject type '{name}' is not supported. If you are attempting to use a custom object, be "
    "sure to append the '__c' after the entity name. Please reference your WSDL or the "
    "describe call for the appropriate names."
)
BAD_RELATIONSHIP = (
    "Didn't understand relationship '{name}' in field path. If you are attempting to use a "
    "custom relationship, be sure to append the '__r' after the custom relationship name. "
    "Please reference your WSDL or the describe call for the appropriate names."
)
WRONG_LITERAL_TYPE = (
    "value of filter criterion for field '{field}' must be of type {type} and should{neg} be "
    "enclosed in quotes"
)


class SoqlError(Exception):
    """A query Salesforce would reject. error_code is MALFORMED_QUERY, INVALID_FIELD or
    INVALID_TYPE (also INVALID_QUERY_FILTER_OPERATOR and NUMBER_OUTSIDE_VALID_RANGE, which
    Salesforce uses for bad id literals and offsets); message is the full Salesforce message."""

    def __init__(self, error_code: str, message: str) -> None:
        super().__init__(message)
        self.error_code = error_code
        self.message = message


def row_and_column(text: str, pos: int) -> tuple[int, int, str]:
    """1-based row, 0-based column and the text of that row for an absolute position."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : len(text) if end < 0 else end]
    return text.count("\n", 0, pos) + 1, pos - start, line


def _window(line: str, col: int) -> tuple[int, int]:
    left = col - _WINDOW
    start = 0
    if left > 0:
        start = next((i + 1 for i in range(left, -1, -1) if line[i].isspace()), 0)
    right = col + _WINDOW
    end = len(line)
    if right < len(line):
        end = next((i for i in range(right, len(line)) if line[i].isspace()), len(line))
    return start, end


def located(error_code: str, text: str, pos: int, sentence: str) -> SoqlError:
    """An error pointing at ``pos`` in ``text``, formatted the way Salesforce does it."""
    row, col, line = row_and_column(text, max(pos, 0))
    start, end = _window(line, col)
    caret = " " * (col - start) + "^"
    message = f"\n{line[start:end]}\n{caret}\nERROR at Row:{row}:Column:{col + 1}\n{sentence}"
    return SoqlError(error_code, message)


def malformed(text: str, pos: int, sentence: str) -> SoqlError:
    return located("MALFORMED_QUERY", text, pos, sentence)


def unexpected(text: str, token_text: str, pos: int) -> SoqlError:
    return malformed(text, pos, f"unexpected token: '{token_text}'")


def invalid_field(text: str, pos: int, sentence: str) -> SoqlError:
    return located("INVALID_FIELD", text, pos, sentence)
