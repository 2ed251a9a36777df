"""Recorded Salesforce payloads (tests/fixtures/recorded/salesforce) and shape comparison."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parents[2] / "fixtures" / "recorded" / "salesforce"


def recorded(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def json_kind(value: Any) -> str:
    """The JSON type of a value; null is compatible with anything (fields are nillable)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else "string"


def kinds_differ(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Keys present in both whose JSON types disagree (null on either side is tolerated)."""
    differences = {}
    for key in ours.keys() & theirs.keys():
        a, b = json_kind(ours[key]), json_kind(theirs[key])
        if "null" not in (a, b) and a != b:
            differences[key] = (a, b)
    return differences


def all_field_keys(describe: dict[str, Any]) -> set[str]:
    return set().union(*(f.keys() for f in describe["fields"]))
