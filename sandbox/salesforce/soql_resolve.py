"""Field paths (``Name``, ``Account.Owner.Email``) resolved against the user's schema.

Each segment but the last is a relationship: the lookup field whose relationship name it is,
leading to the lookup's target object(s). The last segment is a field of the object reached.
A polymorphic lookup (several targets, e.g. Owner → User or Group) reaches all of them;
Salesforce then speaks of the entity 'Name'.
"""

from __future__ import annotations

from dataclasses import dataclass

from .soql_errors import (
    BAD_RELATIONSHIP,
    NO_SUCH_COLUMN,
    UNSUPPORTED_TYPE,
    SoqlError,
    invalid_field,
    located,
)
from .soql_parser import Path
from .soql_types import FieldInfo, Schema


@dataclass(frozen=True)
class Hop:
    lookup: FieldInfo  # e.g. AccountId, whose relationship_name is the output key
    targets: tuple[str, ...]  # canonical names of the objects it may point to

    @property
    def key(self) -> str:
        return self.lookup.relationship_name or self.lookup.name


@dataclass(frozen=True)
class ResolvedPath:
    hops: tuple[Hop, ...]
    field: FieldInfo
    written: Path

    @property
    def key(self) -> str:
        """Canonical dotted name, e.g. ``Account.Name``."""
        return ".".join([hop.key for hop in self.hops] + [self.field.name])


def resolve_object(text: str, schema: Schema, name: Path) -> str:
    canonical = schema.object_name(name.text)
    if canonical is None:
        sentence = UNSUPPORTED_TYPE.format(name=name.text)
        raise located("INVALID_TYPE", text, name.pos, sentence)
    return canonical


class Resolver:
    def __init__(self, text: str, schema: Schema, root: str) -> None:
        self.text = text
        self.schema = schema
        self.root = root

    def resolve(self, path: Path) -> ResolvedPath:
        *relationships, last = path.text.split(".")
        objects: tuple[str, ...] = (self.root,)
        hops = []
        for name in relationships:
            hop = self._hop(objects, name, path)
            hops.append(hop)
            objects = hop.targets
        field = self._first(objects, last)
        if field is None:
            entity = objects[0] if len(objects) == 1 else "Name"
            raise invalid_field(
                self.text, path.pos, NO_SUCH_COLUMN.format(field=last, entity=entity)
            )
        return ResolvedPath(tuple(hops), field, path)

    def _first(self, objects: tuple[str, ...], name: str) -> FieldInfo | None:
        found = (self.schema.field(obj, name) for obj in objects)
        return next((info for info in found if info is not None), None)

    def _hop(self, objects: tuple[str, ...], name: str, path: Path) -> Hop:
        for obj in objects:
            lookup = self._lookup(obj, name)
            targets = self._targets(lookup)
            if lookup is not None and targets:
                return Hop(lookup, targets)
        raise self._bad_relationship(name, path)

    def _lookup(self, obj: str, name: str) -> FieldInfo | None:
        finder = getattr(self.schema, "relationship", None)
        if callable(finder):
            found = finder(obj, name)
            return found if isinstance(found, FieldInfo) else None
        lookup = self.schema.field(obj, _conventional_lookup(name))
        matches = lookup is not None and (lookup.relationship_name or "").lower() == name.lower()
        return lookup if matches else None

    def _targets(self, lookup: FieldInfo | None) -> tuple[str, ...]:
        if lookup is None:
            return ()
        visible = (self.schema.object_name(target) for target in lookup.reference_to)
        return tuple(name for name in visible if name is not None)

    def _bad_relationship(self, name: str, path: Path) -> SoqlError:
        return invalid_field(self.text, path.pos, BAD_RELATIONSHIP.format(name=name))


def _conventional_lookup(relationship: str) -> str:
    if relationship.lower().endswith("__r"):
        return relationship[:-3] + "__c"
    return relationship + "Id"
