"""A workflow resolved against the org's describe and the sheet's columns, and the
conversion of raw records and rows into the planner's snapshots (pure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from sync.convert import (
    ConversionError,
    cell_writer,
    from_cell,
    narrow,
    narrows,
    salesforce_reader,
    to_salesforce,
)
from sync.filters import lookup, matches
from sync.ids import id_from_salesforce, normalise_id
from sync.model import Canon, Cell, CellWrite, SalesforceField, SheetColumn, Workflow
from sync.planner import FieldRule, RecordSeen, RowSeen
from sync.ports import SheetRow

# Fetched with the records, for the audit trail: who changed a record, by name when the
# User relationship is readable (no extra call: the group's one query carries it).
LAST_MODIFIED_BY = "LastModifiedById"
LAST_MODIFIED_BY_NAME = "LastModifiedBy.Name"
AUDIT_FIELDS = (LAST_MODIFIED_BY, LAST_MODIFIED_BY_NAME)


@dataclass(frozen=True)
class ResolvedMapping:
    field: SalesforceField
    column: SheetColumn
    rule: FieldRule


@dataclass(frozen=True)
class Layout:
    workflow: Workflow
    mappings: tuple[ResolvedMapping, ...]
    filter_fields: Mapping[str, SalesforceField]  # condition field name → describe entry
    id_column: SheetColumn
    status_column: SheetColumn
    audit_fields: tuple[str, ...] = ()  # who changed a record (AUDIT_FIELDS), if described

    @property
    def rules(self) -> tuple[FieldRule, ...]:
        return tuple(m.rule for m in self.mappings)

    @property
    def query_fields(self) -> list[str]:
        names = [m.field.name for m in self.mappings]
        names += [f.name for f in self.filter_fields.values()]
        names += self.audit_fields
        return list(dict.fromkeys(names))

    @property
    def column_ids(self) -> list[int]:
        ids = [self.id_column.id, self.status_column.id, *(m.column.id for m in self.mappings)]
        return list(dict.fromkeys(ids))

    def mapping(self, field: str) -> ResolvedMapping:
        return self._by_field[field]

    @cached_property
    def readers(self) -> tuple[tuple[str, Callable[[Mapping[str, Any]], Canon]], ...]:
        """Per mapped field, raw query record → the value as the sheet will hold it."""
        return tuple((m.field.name, _reader(m)) for m in self.mappings)

    @cached_property
    def cell_writers(self) -> dict[str, tuple[int, Callable[[Canon], CellWrite]]]:
        """Per mapped field, its column's id and canonical value → what to send there."""
        return {m.field.name: (m.column.id, cell_writer(m.field, m.column)) for m in self.mappings}

    @cached_property
    def _by_field(self) -> dict[str, ResolvedMapping]:
        # the executor asks once per value written: 200,000 times in a 20,000-row backfill
        return {m.field.name: m for m in self.mappings}


def record_seen(raw: Mapping[str, Any], layout: Layout) -> RecordSeen:
    values = {name: read(raw) for name, read in layout.readers}
    deleted = bool(raw.get("IsDeleted"))
    return RecordSeen(
        id=id_from_salesforce(raw["Id"]),
        values=values,
        modstamp=_modstamp(raw.get("SystemModstamp")),
        deleted=deleted,
        in_filter=matches(layout.workflow.filter, raw, layout.filter_fields),
        modified_by=_text(lookup(raw, LAST_MODIFIED_BY_NAME)) or _text(raw.get(LAST_MODIFIED_BY)),
    )


def _reader(m: ResolvedMapping) -> Callable[[Mapping[str, Any]], Canon]:
    convert, field, column = salesforce_reader(m.field), m.field, m.column
    name = field.name
    if narrows(field, column):
        return lambda raw: narrow(convert(lookup(raw, name)), field, column)
    if "." in name:  # a field one level up: record["Account"]["Name"]
        return lambda raw: convert(lookup(raw, name))
    return lambda raw: convert(raw.get(name))


def row_seen(row: SheetRow, layout: Layout) -> RowSeen:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for m in layout.mappings:
        cell = row.cells.get(m.column.id)
        try:
            # an absent cell is an empty one (a checkbox then reads False, as Salesforce has it)
            values[m.field.name] = from_cell(cell or Cell(), m.field, m.column)
        except ConversionError as exc:
            errors[m.field.name] = str(exc)
    id_cell = row.cells.get(layout.id_column.id)
    record_id = str(id_cell.value).strip() if id_cell and id_cell.value not in (None, "") else None
    return RowSeen(
        id=row.id,
        record_id=normalise_id(record_id) if record_id else None,
        values=values,
        errors=errors,
        modified_at=row.modified_at,
        in_filter=row_in_filter(values, layout),
        modified_by=row.modified_by,
    )


def row_in_filter(values: dict[str, Any], layout: Layout) -> bool | None:
    """Would a record made from these cells match the workflow's filter? None when the
    filter uses a field the sheet does not map (or a related one): it cannot be told."""
    flt = layout.workflow.filter
    if not flt.conditions:
        return True
    mapped = {m.field.name: m.field for m in layout.mappings if m.rule.to_salesforce}
    raw: dict[str, Any] = {}
    for field in layout.filter_fields.values():
        if field.name not in mapped or field.name not in values:
            return None
        raw[field.name] = to_salesforce(values[field.name], mapped[field.name])
    return matches(flt, raw, layout.filter_fields)


def status_text(row: SheetRow, layout: Layout) -> str:
    cell = row.cells.get(layout.status_column.id)
    return str(cell.value) if cell and cell.value not in (None, "") else ""


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _modstamp(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
