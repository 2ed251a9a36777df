"""The org's records: one table per object, soft deletes, system fields, derived fields.

Records are plain dicts holding only non-null values in Salesforce JSON form. A stored
dict is never mutated: every write stores a new dict (copy on write), so ``reset`` only
swaps the tables back to the seeded ones and query cursors may keep references safely.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .catalog import STAGES
from .ids import is_id_shaped, make_id, to18
from .schema import ObjectDef
from .timefmt import system_stamp

Record = dict[str, Any]
Table = dict[str, Record]


class RecordStore:
    def __init__(self, catalog: Mapping[str, ObjectDef], pod: str) -> None:
        self.catalog = catalog
        self.pod = pod
        self._by_prefix = {o.key_prefix: o.name for o in catalog.values()}
        self.tables: dict[str, Table] = {name: {} for name in catalog}
        self.deleted_on: dict[str, dict[str, str]] = {name: {} for name in catalog}
        self.purged: dict[str, Table] = {name: {} for name in catalog}  # physically deleted
        self.last_purge: dict[str, str] = {}  # per object: when something was last purged
        self.counters: dict[str, int] = dict.fromkeys(catalog, 0)
        self.case_number = 1000
        self._default_values = {name: self._defaults(obj) for name, obj in catalog.items()}
        self._owned = {name for name, obj in catalog.items() if obj.field("OwnerId") is not None}

    # -- state snapshots (seed / reset) ------------------------------------------------
    def freeze(self) -> tuple[dict[str, Table], dict[str, dict[str, str]], dict[str, int], int]:
        return (
            {k: dict(v) for k, v in self.tables.items()},
            {k: dict(v) for k, v in self.deleted_on.items()},
            dict(self.counters),
            self.case_number,
        )

    def restore(
        self, frozen: tuple[dict[str, Table], dict[str, dict[str, str]], dict[str, int], int]
    ) -> None:
        tables, deleted, counters, case_number = frozen
        self.tables = {k: dict(v) for k, v in tables.items()}
        self.deleted_on = {k: dict(v) for k, v in deleted.items()}
        self.counters = dict(counters)
        self.case_number = case_number
        self.purged = {k: {} for k in self.tables}
        self.last_purge = {}

    # -- lookups -------------------------------------------------------------------------
    def new_id(self, object_name: str) -> str:
        self.counters[object_name] += 1
        return make_id(
            self.catalog[object_name].key_prefix, self.pod, self.counters[object_name] + 7_000_000
        )

    def object_of_id(self, record_id: str) -> str | None:
        if not is_id_shaped(record_id):
            return None
        return self._by_prefix.get(record_id[:3])

    def find(self, object_name: str, record_id: str) -> Record | None:
        if not is_id_shaped(record_id):
            return None
        return self.tables[object_name].get(to18(record_id))

    def find_any(self, record_id: str) -> tuple[str, Record] | None:
        object_name = self.object_of_id(record_id)
        if object_name is None:
            return None
        record = self.find(object_name, record_id)
        return None if record is None else (object_name, record)

    def rows(self, object_name: str, *, include_deleted: bool = False) -> Iterator[Record]:
        for record in self.tables[object_name].values():
            if include_deleted or not record.get("IsDeleted"):
                yield record

    # -- writes (callers validated the values) ----------------------------------------------
    def insert(
        self, object_name: str, values: Mapping[str, Any], user_id: str, now: datetime
    ) -> Record:
        stamp = system_stamp(now)
        return self.seed(object_name, values, user_id, user_id, stamp, stamp)

    def seed(
        self,
        object_name: str,
        values: Mapping[str, Any],
        owner_id: str,
        creator_id: str,
        created: str,
        modified: str,
    ) -> Record:
        """Store a new record with explicit audit values (the seeder backdates them)."""
        record: Record = {"Id": self.new_id(object_name), "IsDeleted": False}
        record.update(self._default_values[object_name])
        record.update(values)
        if object_name in self._owned:
            record.setdefault("OwnerId", owner_id)
        record.update(
            {
                "CreatedDate": created,
                "CreatedById": creator_id,
                "LastModifiedDate": modified,
                "LastModifiedById": creator_id,
                "SystemModstamp": modified,
            }
        )
        if object_name == "Case":
            self.case_number += 1
            record["CaseNumber"] = f"{self.case_number:08d}"
        self._derive(object_name, record, values, inserting=True)
        stored = _compact(record)
        self.tables[object_name][stored["Id"]] = stored
        return stored

    def update(
        self,
        object_name: str,
        record_id: str,
        values: Mapping[str, Any],
        user_id: str,
        now: datetime,
    ) -> Record:
        stamp = system_stamp(now)
        record = dict(self.tables[object_name][record_id])
        record.update(values)
        record.update(
            {"LastModifiedDate": stamp, "LastModifiedById": user_id, "SystemModstamp": stamp}
        )
        self._derive(object_name, record, values, inserting=False)
        self.tables[object_name][record_id] = _compact(record)
        return self.tables[object_name][record_id]

    def soft_delete(self, object_name: str, record_id: str, user_id: str, now: datetime) -> None:
        stamp = system_stamp(now)
        record = dict(self.tables[object_name][record_id])
        record.update(
            {
                "IsDeleted": True,
                "LastModifiedDate": stamp,
                "LastModifiedById": user_id,
                "SystemModstamp": stamp,
            }
        )
        self.tables[object_name][record_id] = record
        self.deleted_on[object_name][record_id] = stamp
        self._after_delete(object_name, record_id, user_id, now)

    # -- the recycle bin ----------------------------------------------------------------
    def purge(self, object_name: str, record_id: str, now: datetime) -> None:
        """Physically delete a record in the recycle bin (15 days passed, the bin was
        emptied, or a hard delete): it leaves queryAll; Get Deleted keeps its tombstone."""
        record = self.tables[object_name].pop(record_id)
        self.purged[object_name][record_id] = record
        self.last_purge[object_name] = system_stamp(now)

    def purge_expired(self, now: datetime, days: int) -> None:
        """The platform empties recycle-bin entries older than ``days``."""
        limit = system_stamp(now - timedelta(days=days))
        for object_name, deleted in self.deleted_on.items():
            for record_id, stamp in list(deleted.items()):
                if stamp < limit and record_id in self.tables[object_name]:
                    self.purge(object_name, record_id, now)

    def undelete(self, object_name: str, record_id: str, user_id: str, now: datetime) -> Record:
        """Bring a record back from the recycle bin, with a new SystemModstamp."""
        stamp = system_stamp(now)
        record = dict(self.tables[object_name][record_id])
        record.update(
            {
                "IsDeleted": False,
                "LastModifiedDate": stamp,
                "LastModifiedById": user_id,
                "SystemModstamp": stamp,
            }
        )
        self.tables[object_name][record_id] = record
        del self.deleted_on[object_name][record_id]
        return record

    def _after_delete(self, object_name: str, record_id: str, user_id: str, now: datetime) -> None:
        """Children that cascade go to the recycle bin; other lookups to the record are cleared.

        Clearing is done by the platform, so it moves SystemModstamp but not LastModifiedDate.
        """
        parent = self.catalog[object_name]
        for rel in parent.children:
            for child in list(self.rows(rel.child)):
                if child.get(rel.field) != record_id:
                    continue
                if rel.cascade_delete:
                    self.soft_delete(rel.child, child["Id"], user_id, now)
                else:
                    cleared = {k: v for k, v in child.items() if k != rel.field}
                    cleared["SystemModstamp"] = system_stamp(now)
                    self.tables[rel.child][child["Id"]] = cleared

    # -- platform-maintained values ---------------------------------------------------------
    @staticmethod
    def _defaults(obj: ObjectDef) -> Record:
        defaults: Record = {}
        for f in obj.fields:
            if f.picklist_default is not None:
                defaults[f.name] = f.picklist_default
            elif f.type == "boolean" and f.default_value is not None:
                defaults[f.name] = f.default_value
        return defaults

    def _derive(
        self, object_name: str, record: Record, changed: Mapping[str, Any], *, inserting: bool
    ) -> None:
        deriver = _DERIVERS.get(object_name)
        if deriver is not None:
            deriver(record, changed, inserting)


def _compact(record: Record) -> Record:
    return {k: v for k, v in record.items() if v is not None}


def _person(record: Record, changed: Mapping[str, Any], inserting: bool) -> None:
    record["Name"] = " ".join(p for p in (record.get("FirstName"), record.get("LastName")) if p)


def _opportunity(record: Record, changed: Mapping[str, Any], inserting: bool) -> None:
    stage = STAGES.get(record.get("StageName") or "")
    if stage is not None:
        probability, forecast, closed, won = stage
        if "StageName" in changed and "Probability" not in changed:
            record["Probability"] = float(probability)
        if "StageName" in changed and "ForecastCategoryName" not in changed:
            record["ForecastCategoryName"] = forecast
        record["IsClosed"], record["IsWon"] = closed, won
    amount, probability_now = record.get("Amount"), record.get("Probability")
    record["ExpectedRevenue"] = (
        None
        if amount is None or probability_now is None
        else round_half_up(amount * probability_now / 100, 2)
    )


def _case(record: Record, changed: Mapping[str, Any], inserting: bool) -> None:
    closed = record.get("Status") == "Closed"
    if closed and not record.get("IsClosed"):
        record["ClosedDate"] = record["SystemModstamp"]
    if not closed:
        record["ClosedDate"] = None
    record["IsClosed"] = closed


def _project(record: Record, changed: Mapping[str, Any], inserting: bool) -> None:
    budget, completion = record.get("Budget__c"), record.get("Completion__c")
    record["Score__c"] = (
        None
        if budget is None or completion is None
        else round_half_up(budget * completion / 100, 2)
    )


def round_half_up(value: float, scale: int) -> float:
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-scale), ROUND_HALF_UP))


_DERIVERS = {
    "Contact": _person,
    "Lead": _person,
    "Opportunity": _opportunity,
    "Case": _case,
    "Project__c": _project,
}
