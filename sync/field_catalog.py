"""What the builder offers to pick from: queryable objects, and the fields of an object with
those of its related records one level up (`Account.Name`, read-only), plus a short-lived
describe cache so type-ahead answers stay fast (pure apart from the injected ports)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from sync.model import SalesforceField, SalesforceType
from sync.ports import ObjectDescribe, ObjectInfo, SalesforcePort

TYPE_AHEAD_TTL = 120.0  # seconds: long enough for one modal session, short for new fields


class DescribeCache:
    """describeGlobal and describe per connection, kept for TYPE_AHEAD_TTL seconds."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._globals: dict[int, tuple[float, list[ObjectInfo]]] = {}
        self._describes: dict[tuple[int, str], tuple[float, ObjectDescribe]] = {}

    def objects(self, connection_id: int, sf: SalesforcePort) -> list[ObjectInfo]:
        cached = self._globals.get(connection_id)
        if cached and self._fresh(cached[0]):
            return cached[1]
        found = [o for o in sf.describe_global() if o.queryable]
        self._globals[connection_id] = (self._monotonic(), found)
        return found

    def describe(self, connection_id: int, sf: SalesforcePort, name: str) -> ObjectDescribe:
        key = (connection_id, name.lower())
        cached = self._describes.get(key)
        if cached and self._fresh(cached[0]):
            return cached[1]
        fresh = sf.describe(name)
        self._describes[key] = (self._monotonic(), fresh)
        return fresh

    def _fresh(self, at: float) -> bool:
        return self._monotonic() - at < TYPE_AHEAD_TTL


def matching_objects(objects: Sequence[ObjectInfo], query: str) -> list[ObjectInfo]:
    q = query.strip().lower()
    found = [o for o in objects if q in o.label.lower() or q in o.name.lower()]
    return sorted(found, key=lambda o: (not o.label.lower().startswith(q), o.label.lower()))


def selectable_fields(
    describe: ObjectDescribe, parent: Callable[[str], ObjectDescribe | None]
) -> list[SalesforceField]:
    """The object's own fields, then each lookup's parent fields as `Rel.Field` (read-only).

    `parent` returns None for an object the user cannot describe; its fields are left out."""
    own = [f for f in describe.fields.values() if f.type is not SalesforceType.ADDRESS]
    related: list[SalesforceField] = []
    for lookup in own:
        if lookup.type is not SalesforceType.REFERENCE or not lookup.relationship_name:
            continue
        # polymorphic lookups (Case.Owner: Group or User): the first describable target
        targets = (parent(name) for name in lookup.reference_to)
        target = next((t for t in targets if t is not None), None)
        if target is None:
            continue
        related += [_related(lookup.relationship_name, f) for f in target.fields.values()]
    return own + related


def matching_fields(fields: Sequence[SalesforceField], query: str) -> list[SalesforceField]:
    """Type-ahead: label or API name contains the query; own fields before related ones."""
    q = query.strip().lower()
    found = [f for f in fields if q in f.label.lower() or q in f.name.lower()]
    return sorted(found, key=lambda f: (f.is_related, not f.label.lower().startswith(q)))


RELATED_SEPARATOR = " \u203a "  # a single right angle quote, as sync.schema labels it


def related_label(relationship: str, label: str) -> str:
    """A parent's field as the picker shows it: joined with a mark, since labels often
    repeat the relationship ("Account" + "Account Name")."""
    return f"{relationship}{RELATED_SEPARATOR}{label}"


def _related(relationship: str, field: SalesforceField) -> SalesforceField:
    return replace(
        field,
        name=f"{relationship}.{field.name}",
        label=related_label(relationship, field.label),
        createable=False,
        updateable=False,
    )
