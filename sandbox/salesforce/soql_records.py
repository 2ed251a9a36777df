"""Reading values through relationship paths and shaping output records like Salesforce.

A selected parent path becomes a nested object under the relationship name, itself starting
with ``attributes``; an empty (or invisible) lookup becomes ``null``::

    {"attributes": {...}, "Name": "Acme", "Account": {"attributes": {...}, "Name": "Acme"}}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .soql_resolve import Hop, ResolvedPath
from .soql_types import RecordSource

Row = Mapping[str, Any]


class Fetcher:
    """Parent records for relationship paths, each fetched once per query."""

    def __init__(self, source: RecordSource) -> None:
        self.source = source
        self._cache: dict[tuple[str, str], Row | None] = {}

    def parent(self, hop: Hop, row: Row) -> tuple[str, Row] | None:
        ref = row.get(hop.lookup.name)
        if not ref:
            return None
        for target in hop.targets:
            key = (target, str(ref))
            if key not in self._cache:
                self._cache[key] = self.source.get(target, str(ref))
            found = self._cache[key]
            if found is not None:
                return target, found
        return None

    def value(self, path: ResolvedPath, row: Row) -> Any:
        current = row
        for hop in path.hops:
            found = self.parent(hop, current)
            if found is None:
                return None
            current = found[1]
        return current.get(path.field.name)


def shape(
    object_name: str, row: Row, paths: Sequence[ResolvedPath], fetcher: Fetcher
) -> dict[str, Any]:
    out: dict[str, Any] = {"attributes": fetcher.source.attributes(object_name, row)}
    for path in paths:
        _place(out, row, path.hops, path.field.name, fetcher)
    return out


def _place(out: dict[str, Any], row: Row, hops: Sequence[Hop], name: str, fetcher: Fetcher) -> None:
    if not hops:
        out[name] = row.get(name)
        return
    hop, rest = hops[0], hops[1:]
    found = fetcher.parent(hop, row)
    if hop.key not in out:
        out[hop.key] = None if found is None else {"attributes": fetcher.source.attributes(*found)}
    if found is not None:
        _place(out[hop.key], found[1], rest, name, fetcher)
