"""What the SOQL engine needs from the emulator (Schema, RecordSource) and what it returns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class FieldInfo:
    """What the emulator tells the engine about one field the requesting user may see."""

    name: str  # canonical API name, e.g. "AccountId", "Status__c"
    type: str  # describe type: id, reference, string, picklist, multipicklist, boolean, ...
    relationship_name: str | None = None  # "Account" for AccountId, "Account__r" for Account__c
    reference_to: tuple[str, ...] = ()  # target object(s) of a lookup


class Schema(Protocol):
    """The org's schema as one user sees it (object permissions and field-level security).

    An implementation may also offer ``relationship(object_name, name) -> FieldInfo | None``
    (the lookup field whose relationship name is ``name``); without it the engine finds the
    lookup by Salesforce's naming convention (``Account`` → ``AccountId``,
    ``Foo__r`` → ``Foo__c``).
    """

    def object_name(self, name: str) -> str | None:
        """Canonical name of a queryable, visible object (case-insensitive), or None."""
        ...

    def field(self, object_name: str, name: str) -> FieldInfo | None:
        """Case-insensitive; None = no such field or no field-level access."""
        ...


class RecordSource(Protocol):
    def rows(self, object_name: str, include_deleted: bool) -> Iterable[Mapping[str, Any]]:
        """The records the user may see, in Salesforce JSON form; each has Id and IsDeleted."""
        ...

    def get(self, object_name: str, record_id: str) -> Mapping[str, Any] | None:
        """A parent record for relationship paths (None if empty or not visible)."""
        ...

    def attributes(self, object_name: str, record: Mapping[str, Any]) -> dict[str, Any]:
        """The "attributes" object to put on each output record."""
        ...


@dataclass
class QueryResult:
    records: list[dict[str, Any]]  # ALL matching records, shaped as Salesforce returns them
    total_size: int  # for COUNT() queries: the count, records == []
