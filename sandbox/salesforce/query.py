"""Running SOQL for one user: the schema and record views the engine needs, and paging.

A query's whole result is computed once; the cursor keeps that snapshot, and
``nextRecordsUrl`` (``/services/data/vXX.X/query/01g...-<offset>``) pages through it, the
way Salesforce serves query locators.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import SfError
from .schema import ObjectDef
from .soql import FieldInfo
from .store import RecordStore
from .users import SfUser

DEFAULT_BATCH = 2000
MIN_BATCH, MAX_BATCH = 200, 2000
CURSORS_PER_USER = 10  # opening one more drops the oldest, as Salesforce does


class UserSchema:
    """The catalog as ``user`` sees it: field-level security applied."""

    def __init__(self, catalog: Mapping[str, ObjectDef], user: SfUser) -> None:
        self.catalog = catalog
        self.user = user
        self._names = {name.lower(): name for name in catalog}

    def object_name(self, name: str) -> str | None:
        return self._names.get(name.lower())

    def field(self, object_name: str, name: str) -> FieldInfo | None:
        found = self.user.visible_field(self.catalog[object_name], name)
        if found is None:
            return None
        targets = tuple(t for t in found.reference_to if t in self.catalog)
        return FieldInfo(found.name, found.type, found.relationship_name, targets)

    def relationship(self, object_name: str, name: str) -> FieldInfo | None:
        for f in self.catalog[object_name].fields:
            if f.relationship_name and f.relationship_name.lower() == name.lower():
                return self.field(object_name, f.name)
        return None


class UserSource:
    """The records ``user`` may see (sharing applied), with REST ``attributes``."""

    def __init__(self, store: RecordStore, user: SfUser, version: str) -> None:
        self.store = store
        self.user = user
        self.version = version

    def rows(self, object_name: str, include_deleted: bool) -> Iterator[Mapping[str, Any]]:
        obj = self.store.catalog[object_name]
        for record in self.store.rows(object_name, include_deleted=include_deleted):
            if self.user.sees_record(obj, record):
                yield record

    def get(self, object_name: str, record_id: str) -> Mapping[str, Any] | None:
        if object_name not in self.store.catalog:
            return None
        record = self.store.find(object_name, record_id)
        if record is None or record.get("IsDeleted"):
            return None
        return record if self.user.sees_record(self.store.catalog[object_name], record) else None

    def attributes(self, object_name: str, record: Mapping[str, Any]) -> dict[str, Any]:
        return record_attributes(object_name, str(record["Id"]), self.version)


def record_attributes(object_name: str, record_id: str, version: str) -> dict[str, Any]:
    return {
        "type": object_name,
        "url": f"/services/data/v{version}/sobjects/{object_name}/{record_id}",
    }


def batch_size(header: str | None) -> int:
    """``Sforce-Query-Options: batchSize=N``: 200..2000 (clamped), default 2000."""
    for option in (header or "").split(","):
        key, _, value = option.strip().partition("=")
        if key.strip().lower() == "batchsize" and value.strip().isdigit():
            return max(MIN_BATCH, min(MAX_BATCH, int(value)))
    return DEFAULT_BATCH


@dataclass
class Cursor:
    owner: str
    records: list[dict[str, Any]]
    batch: int


class Cursors:
    """Open query locators: snapshot of the result, per-user cap, dropped when fully read."""

    def __init__(self) -> None:
        self._open: OrderedDict[str, Cursor] = OrderedDict()

    def clear(self) -> None:
        self._open.clear()

    def first_page(
        self, records: list[dict[str, Any]], total: int, owner: str, batch: int, version: str
    ) -> dict[str, Any]:
        if len(records) <= batch:
            return page(total, records, None)
        locator = "01g" + secrets.token_hex(8)[:12] + "AAA"
        self._open[locator] = Cursor(owner, records, batch)
        self._evict(owner)
        return page(total, records[:batch], _next_url(version, locator, batch))

    def next_page(
        self, locator_text: str, owner: str, version: str, batch: int | None
    ) -> dict[str, Any]:
        locator, _, offset_text = locator_text.partition("-")
        cursor = self._open.get(locator)
        if cursor is None or cursor.owner != owner or not offset_text.isdigit():
            raise SfError(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        offset, size = int(offset_text), batch or cursor.batch
        chunk = cursor.records[offset : offset + size]
        if offset + size >= len(cursor.records):
            del self._open[locator]
            return page(len(cursor.records), chunk, None)
        return page(len(cursor.records), chunk, _next_url(version, locator, offset + size))

    def _evict(self, owner: str) -> None:
        mine = [key for key, cursor in self._open.items() if cursor.owner == owner]
        for key in mine[:-CURSORS_PER_USER]:
            del self._open[key]


def _next_url(version: str, locator: str, offset: int) -> str:
    return f"/services/data/v{version}/query/{locator}-{offset}"


def page(total: int, records: list[dict[str, Any]], next_url: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"totalSize": total, "done": next_url is None}
    if next_url is not None:
        body["nextRecordsUrl"] = next_url
    body["records"] = records
    return body
