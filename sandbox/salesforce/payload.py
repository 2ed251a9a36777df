"""Reading a JSON write payload the way Salesforce's deserializer does.

These failures reject the whole request (400), even inside sObject Collections:
an unknown (or FLS-hidden) field is INVALID_FIELD, and a value that cannot become the
field's type is JSON_PARSER_ERROR with the parser's line and column.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

from .errors import SfError, json_parser_error, no_such_column
from .schema import NUMBER_TYPES, TEXT_TYPES, FieldDef, ObjectDef
from .timefmt import normalize_datetime, parse_date
from .users import SfUser

Locator = Callable[[str], tuple[int, int]]

_JSON_TYPE_NAMES = {
    "int": "int",
    "double": "double",
    "currency": "double",
    "percent": "double",
    "boolean": "boolean",
    "date": "date",
    "datetime": "datetime",
}


def parse_body(raw: str) -> Any:
    """Parse a request body, failing like Salesforce on malformed JSON."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise json_parser_error(
            f"Unexpected character ('{raw[exc.pos : exc.pos + 1] or 'EOF'}' (code "
            f"{ord(raw[exc.pos]) if exc.pos < len(raw) else -1})): {exc.msg.lower()} "
            f"at [line:{exc.lineno}, column:{exc.colno}]"
        ) from None


def token_locator(raw: str) -> Callable[[str, int], tuple[int, int]]:
    """Map (key, occurrence) to the line/column just past that key's value in ``raw``."""

    def locate(key: str, occurrence: int) -> tuple[int, int]:
        pattern = re.compile(r'"' + re.escape(key) + r'"\s*:\s*')
        matches = list(pattern.finditer(raw))
        if not matches:
            return 1, 1
        match = matches[min(occurrence, len(matches) - 1)]
        end = _value_end(raw, match.end())
        line = raw.count("\n", 0, end) + 1
        return line, end - (raw.rfind("\n", 0, end) + 1) + 1

    return locate


def _value_end(raw: str, start: int) -> int:
    try:
        _, end = json.JSONDecoder().raw_decode(raw, start)
    except json.JSONDecodeError:
        return start
    return end


def read_fields(
    obj: ObjectDef, payload: dict[str, Any], user: SfUser, locate: Locator
) -> dict[str, Any]:
    """Canonical field name -> typed value; raises SfError for the whole request."""
    values: dict[str, Any] = {}
    for key, raw_value in payload.items():
        if key == "attributes":
            continue
        f = user.visible_field(obj, key)
        if f is None:
            raise no_such_column(key, obj.name)
        values[f.name] = coerce(f, raw_value, functools.partial(locate, key))
    return values


def coerce(f: FieldDef, value: Any, where: Callable[[], tuple[int, int]]) -> Any:
    """The stored form of ``value`` for field ``f`` (Jackson's lenient scalar coercions)."""
    if value is None:
        return None
    if isinstance(value, dict | list):
        raise _cannot(
            f,
            "START_OBJECT" if isinstance(value, dict) else "START_ARRAY",
            "{" if isinstance(value, dict) else "[",
            where,
        )
    converted = _CONVERTERS.get(f.type, _to_text)(value)
    if converted is _INVALID:
        raise _cannot(f, _token(value), _text(value), where)
    return converted


class _Invalid:
    pass


_INVALID: Any = _Invalid()


def _token(value: Any) -> str:
    if isinstance(value, bool):
        return "VALUE_TRUE" if value else "VALUE_FALSE"
    if isinstance(value, int):
        return "VALUE_NUMBER_INT"
    if isinstance(value, float):
        return "VALUE_NUMBER_FLOAT"
    return "VALUE_STRING"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cannot(f: FieldDef, token: str, shown: str, where: Callable[[], tuple[int, int]]) -> SfError:
    line, column = where()
    type_name = _JSON_TYPE_NAMES.get(f.type, "string")
    return json_parser_error(
        f"Cannot deserialize instance of {type_name} from {token} value {shown} or request "
        f"may be missing a required field at [line:{line}, column:{column}]"
    )


def _to_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _to_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return _INVALID


def _to_int(value: Any) -> Any:
    if isinstance(value, bool):
        return _INVALID
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value)
    return _INVALID


def _to_number(value: Any) -> Any:
    if isinstance(value, bool):
        return _INVALID
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and re.fullmatch(
        r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", value.strip()
    ):
        return float(value)
    return _INVALID


def _to_date(value: Any) -> Any:
    if isinstance(value, str) and parse_date(value) is not None:
        return value
    return _INVALID


def _to_datetime(value: Any) -> Any:
    normalized = normalize_datetime(value) if isinstance(value, str) else None
    return _INVALID if normalized is None else normalized


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "boolean": _to_bool,
    "int": _to_int,
    "date": _to_date,
    "datetime": _to_datetime,
    **dict.fromkeys(NUMBER_TYPES, _to_number),
    **dict.fromkeys(TEXT_TYPES | {"id", "reference"}, _to_text),
}


def is_json_object(value: Any) -> bool:
    return isinstance(value, dict)


__all__ = ["SfError", "coerce", "parse_body", "read_fields", "token_locator"]
