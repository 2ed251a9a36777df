"""Resolve a workflow into a Layout: describe-validated fields, the sheet's columns, and the
Id and status columns (created when absent). Describes and columns are cached between
ticks, so an idle tick costs no describe or column calls."""

from __future__ import annotations

import time
from collections.abc import Callable

from sync.convert import Compat, compatibility
from sync.errors import AccessDenied, ConfigurationError, NotFoundError
from sync.layout import LAST_MODIFIED_BY, Layout, ResolvedMapping
from sync.model import Direction, SalesforceField, SheetColumn, Workflow
from sync.planner import FieldRule
from sync.ports import NewColumn, ObjectDescribe, SalesforcePort, SheetInfo, SmartsheetPort
from sync.schema import resolve_field

DESCRIBE_TTL = 600.0  # seconds; field-level security changes show up within this time


class LayoutBuilder:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._describes: dict[tuple[int, str], tuple[float, ObjectDescribe]] = {}
        self._columns: dict[tuple[int, int], tuple[SheetColumn, ...]] = {}
        self._monotonic = monotonic

    def forget_sheet(self, connection_id: int, sheet_id: int) -> None:
        self._columns.pop((connection_id, sheet_id), None)

    def forget_connection(self, connection_id: int) -> None:
        """Drop the cached describes of one Salesforce connection."""
        for key in [k for k in self._describes if k[0] == connection_id]:
            del self._describes[key]

    def build(self, wf: Workflow, sf: SalesforcePort, ss: SmartsheetPort) -> Layout:
        describe = self._describer(wf.salesforce_connection_id, sf)
        columns = self._sheet_columns(wf, ss)
        mappings = tuple(
            self._resolve(wf, describe, columns, m.field, m.column, m.direction) for m in wf.fields
        )
        filter_fields = {
            c.field: resolve_field(describe, wf.object_name, c.field) for c in wf.filter.conditions
        }
        id_column = _by_title(columns, wf.id_column)
        status_column = _by_title(columns, wf.status_column)
        if id_column is None or status_column is None:
            raise ConfigurationError(
                f"The sheet lost its “{wf.id_column}” or “{wf.status_column}” "
                "column; syncbot will recreate it."
            )
        audit = (
            (LAST_MODIFIED_BY,) if describe(wf.object_name).field_named(LAST_MODIFIED_BY) else ()
        )
        return Layout(wf, mappings, filter_fields, id_column, status_column, audit)

    def _resolve(
        self,
        wf: Workflow,
        describe: Callable[[str], ObjectDescribe],
        columns: tuple[SheetColumn, ...],
        field_name: str,
        title: str,
        direction: Direction,
    ) -> ResolvedMapping:
        field = resolve_field(describe, wf.object_name, field_name)
        column = _by_title(columns, title)
        if column is None:
            raise NotFoundError(
                f"The sheet has no column “{title}” any more (mapped to "
                f"{field.label}). Rename it back or edit the workflow."
            )
        verdict = compatibility(field, column, direction)
        if verdict.level is Compat.NO:
            raise ConfigurationError(f"{field.label} ↔ “{title}”: {verdict.reason}")
        rule = FieldRule(
            field.name, direction.to_sheet, direction.to_salesforce and _writable(field)
        )
        return ResolvedMapping(field, column, rule)

    def _describer(self, connection_id: int, sf: SalesforcePort) -> Callable[[str], ObjectDescribe]:
        def describe(object_name: str) -> ObjectDescribe:
            key = (connection_id, object_name.lower())
            cached = self._describes.get(key)
            if cached and self._monotonic() - cached[0] < DESCRIBE_TTL:
                return cached[1]
            fresh = sf.describe(object_name)
            self._describes[key] = (self._monotonic(), fresh)
            return fresh

        return describe

    def _sheet_columns(self, wf: Workflow, ss: SmartsheetPort) -> tuple[SheetColumn, ...]:
        key = (wf.smartsheet_connection_id, wf.sheet_id)
        cached = self._columns.get(key)
        wanted = {m.column for m in wf.fields} | {wf.id_column, wf.status_column}
        if cached and wanted <= {c.title for c in cached}:
            return cached
        info = ss.sheet_info(wf.sheet_id)
        _check_editable(info)
        columns = info.columns + tuple(self._add_own_columns(wf, ss, info))
        self._columns[key] = columns
        return columns

    def _add_own_columns(
        self, wf: Workflow, ss: SmartsheetPort, info: SheetInfo
    ) -> list[SheetColumn]:
        titles = {c.title for c in info.columns}
        missing = [NewColumn(t) for t in (wf.id_column, wf.status_column) if t not in titles]
        return ss.add_columns(wf.sheet_id, missing) if missing else []


def _check_editable(info: SheetInfo) -> None:
    if not info.editable:
        raise AccessDenied(
            f"You can only view the sheet “{info.name}” ({info.access_level}); "
            "syncing needs Editor access. Ask its owner to share it with you "
            "as Editor."
        )


def _by_title(columns: tuple[SheetColumn, ...], title: str) -> SheetColumn | None:
    return next((c for c in columns if c.title == title), None)


def _writable(field: SalesforceField) -> bool:
    return field.writable
