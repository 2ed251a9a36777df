"""ORDER BY: several keys, ASC/DESC, NULLS FIRST/LAST; ties keep the source order.

Salesforce puts nulls first by default when ascending and last when descending, sorts text
case-insensitively, and refuses to sort multi-select picklists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .soql_errors import invalid_field
from .soql_parser import OrderItem
from .soql_records import Fetcher, Row
from .soql_resolve import ResolvedPath, Resolver
from .soql_values import MULTI, from_record, kind_of


@dataclass(frozen=True)
class SortKey:
    path: ResolvedPath
    kind: str
    descending: bool
    nulls_first: bool


def sort_keys(text: str, resolver: Resolver, items: Sequence[OrderItem]) -> list[SortKey]:
    keys = []
    for item in items:
        path = resolver.resolve(item.path)
        kind = kind_of(path.field.type)
        if kind == MULTI:
            sentence = f"field '{item.path.text}' can not be sorted in a query call"
            raise invalid_field(text, item.path.pos, sentence)
        keys.append(SortKey(path, kind, item.descending, item.nulls_first))
    return keys


def sort_rows(rows: list[Row], keys: Sequence[SortKey], fetcher: Fetcher) -> list[Row]:
    order = list(range(len(rows)))
    # Stable passes from the last key to the first give the multi-key order.
    for key in reversed(keys):
        values = [from_record(key.kind, fetcher.value(key.path, row)) for row in rows]
        order = _sorted_by(order, values, key)
    return [rows[index] for index in order]


def _sorted_by(order: list[int], values: list[Any], key: SortKey) -> list[int]:
    nulls = [index for index in order if values[index] is None]
    present = [index for index in order if values[index] is not None]
    present.sort(key=values.__getitem__, reverse=key.descending)
    return nulls + present if key.nulls_first else present + nulls
