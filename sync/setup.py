"""Resolve a workflow into a Layout: describe-validated fields, the sheet's columns, and the
Id and status columns (created when absent). Describes and columns are cached between
ticks, so an idle tick costs no describe or column calls."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from sync.convert import Compat, compatibility
from sync.errors import AccessDenied, ConfigurationError, NotFoundError
from sync.layout import LAST_MODIFIED_BY, LAST_MODIFIED_BY_NAME, Layout, ResolvedMapping
from sync.model import Direction, SalesforceField, SheetColumn, Workflow
from sync.planner import FieldRule
from sync.ports import NewColumn, ObjectDescribe, SalesforcePort, SheetInfo, SmartsheetPort
from sync.schema import resolve_field
from sync.soql import where_clause

DESCRIBE_TTL = 600.0  # seconds; field-level security changes show up within this time


class LayoutBuilder:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._describes: dict[tuple[int, str], tuple[float, ObjectDescribe]] = {}
        self._columns: dict[tuple[int, int], tuple[SheetColumn, ...]] = {}
        self._just_read: dict[tuple[int, int], SheetInfo] = {}
        self._monotonic = monotonic

    def forget_sheet(self, connection_id: int, sheet_id: int) -> None:
        self._columns.pop((connection_id, sheet_id), None)

    def forget_connection(self, connection_id: int) -> None:
        """Drop the cached describes of one Salesforce connection."""
        for key in [k for k in self._describes if k[0] == connection_id]:
            del self._describes[key]

    def build(
        self, wf: Workflow, sf: SalesforcePort, ss: SmartsheetPort, *, running: bool = False
    ) -> Layout:
        """Check the workflow, then add its own Id and status columns if the sheet lacks
        them: a workflow refused leaves the sheet as it was. Set-up (the default) refuses
        every mapping that cannot work; a `running` workflow whose owner lost edit access
        to a field keeps it: Salesforce refuses each write with the field's name, which
        shows in that row, instead of the workflow pausing."""
        mappings, filter_fields, columns = self._check(wf, sf, ss, running=running)
        columns = self._with_own_columns(wf, ss, columns)
        id_column = _by_title(columns, wf.id_column)
        status_column = _by_title(columns, wf.status_column)
        if id_column is None or status_column is None:
            raise ConfigurationError(
                f"The sheet lost its “{wf.id_column}” or “{wf.status_column}” "
                "column; syncbot will recreate it."
            )
        for own in (id_column, status_column):
            _check_writable(own, "syncbot's own bookkeeping")
        describe = self._describer(wf.salesforce_connection_id, sf)
        audit = _audit_fields(describe(wf.object_name).field_named(LAST_MODIFIED_BY))
        return Layout(wf, mappings, filter_fields, id_column, status_column, audit)

    def check(self, wf: Workflow, sf: SalesforcePort, ss: SmartsheetPort) -> None:
        """Everything `build` refuses, with no side effect on either service."""
        self._check(wf, sf, ss)

    def _check(
        self, wf: Workflow, sf: SalesforcePort, ss: SmartsheetPort, *, running: bool = False
    ) -> tuple[tuple[ResolvedMapping, ...], dict[str, SalesforceField], tuple[SheetColumn, ...]]:
        describe = self._describer(wf.salesforce_connection_id, sf)
        columns = self._sheet_columns(wf, ss)
        mappings = tuple(
            self._resolve(wf, describe, columns, m.field, m.column, m.direction, running)
            for m in wf.fields
        )
        filter_fields = {
            c.field: resolve_field(describe, wf.object_name, c.field) for c in wf.filter.conditions
        }
        if wf.filter.conditions:
            where_clause(wf.filter, filter_fields)  # a value that does not fit is refused now
        return mappings, filter_fields, columns

    def _resolve(
        self,
        wf: Workflow,
        describe: Callable[[str], ObjectDescribe],
        columns: tuple[SheetColumn, ...],
        field_name: str,
        title: str,
        direction: Direction,
        running: bool = False,
    ) -> ResolvedMapping:
        field = resolve_field(describe, wf.object_name, field_name)
        column = _by_title(columns, title)
        if column is None:
            raise NotFoundError(
                f"The sheet has no column “{title}” any more (mapped to "
                f"{field.label}). Rename it back or edit the workflow."
            )
        if direction.to_sheet:
            _check_writable(column, field.label)
        lost_edit = running and direction.to_salesforce and _lost_edit_access(field)
        checked = replace(field, createable=True, updateable=True) if lost_edit else field
        verdict = compatibility(checked, column, direction)
        if verdict.level is Compat.NO:
            raise ConfigurationError(f"{field.label} ↔ “{title}”: {verdict.reason}")
        rule = FieldRule(
            field.name, direction.to_sheet, direction.to_salesforce and _writable(checked)
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
        if cached and {m.column for m in wf.fields} <= {c.title for c in cached}:
            return cached
        info = _sheet_info(wf, ss)
        _check_editable(info)
        _check_own_columns_addable(wf, info)
        self._columns[key] = info.columns
        self._just_read[key] = info
        return info.columns

    def _with_own_columns(
        self, wf: Workflow, ss: SmartsheetPort, columns: tuple[SheetColumn, ...]
    ) -> tuple[SheetColumn, ...]:
        key = (wf.smartsheet_connection_id, wf.sheet_id)
        just_read = self._just_read.pop(key, None)
        own = (wf.id_column, wf.status_column)
        if all(_by_title(columns, t) for t in own):
            return columns
        # fresh (another run may have added them), unless this build just read the sheet
        info = just_read or _sheet_info(wf, ss)
        columns = info.columns
        absent = [t for t in own if _by_title(columns, t) is None]
        # at the end of the sheet as just read: spares add_columns a second read
        missing = [NewColumn(t, index=len(columns) + i) for i, t in enumerate(absent)]
        if missing:
            columns = columns + tuple(self._add_own_columns(wf, ss, info, missing))
        self._columns[(wf.smartsheet_connection_id, wf.sheet_id)] = columns
        return columns

    def _add_own_columns(
        self, wf: Workflow, ss: SmartsheetPort, info: SheetInfo, missing: list[NewColumn]
    ) -> list[SheetColumn]:
        try:
            return ss.add_columns(wf.sheet_id, missing)
        except AccessDenied as exc:
            if info.access_level not in EDITOR_LEVELS:
                raise
            raise _editor_cannot_add(info, [c.title for c in missing], exc.code) from exc


EDITOR_LEVELS = ("EDITOR", "EDITOR_SHARE")


def _check_own_columns_addable(wf: Workflow, info: SheetInfo) -> None:
    """Set-up has no side effect, so it cannot try adding syncbot's columns: an Editor,
    who may not add columns, is told now rather than on the first sync."""
    titles = {c.title for c in info.columns}
    absent = [t for t in (wf.id_column, wf.status_column) if t not in titles]
    if absent and info.access_level in EDITOR_LEVELS:
        raise _editor_cannot_add(info, absent, "1004")


def _editor_cannot_add(info: SheetInfo, titles: list[str], code: str) -> AccessDenied:
    names = " and ".join(f"“{t}”" for t in titles)
    return AccessDenied(
        f"The sheet “{info.name}” needs the column(s) {names} for syncbot, and only "
        "its owner or an admin may add columns. Ask them to add them (Text/Number), "
        "or to share the sheet with you as Admin.",
        code=code,
        service="smartsheet",
    )


def _sheet_info(wf: Workflow, ss: SmartsheetPort) -> SheetInfo:
    try:
        return ss.sheet_info(wf.sheet_id)
    except NotFoundError as exc:
        raise NotFoundError(
            f"The sheet of this workflow (id {wf.sheet_id}) is gone: it was deleted, or is "
            "no longer shared with you. Restore it from Smartsheet's Deleted Items (or ask "
            "its owner to share it again), or point the workflow at another sheet.",
            code=exc.code,
            service="smartsheet",
        ) from exc


def _check_writable(column: SheetColumn, what: str) -> None:
    """A column syncbot writes must not be computed by a column formula, nor locked for
    the owner (only the sheet's Owner and Admins can write a locked column)."""
    if column.formula:
        raise ConfigurationError(
            f"The column “{column.title}” is computed by a column formula "
            f"({column.formula}), so syncbot cannot write {what} there. Map it "
            "“to Salesforce” only, or pick another column.",
            code="column_formula",
            service="smartsheet",
        )
    if column.locked_for_user:
        raise ConfigurationError(
            f"The column “{column.title}” is locked on the sheet and only its owner or an "
            f"admin may edit it, so syncbot cannot write {what} there. Ask the sheet's owner "
            "to unlock it or to share the sheet with you as Admin, or map it "
            "“to Salesforce” only.",
            code="column_locked",
            service="smartsheet",
        )


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


def _lost_edit_access(field: SalesforceField) -> bool:
    """Readable but not editable for this user (field-level security), as opposed to
    fields nobody can write (formulas, related records)."""
    return not field.is_related and not field.calculated and not field.writable


def _audit_fields(by: SalesforceField | None) -> tuple[str, ...]:
    """LastModifiedById, and the editor's name through its User relationship when the
    describe offers it (asking a path it lacks would fail the group's whole query)."""
    if by is None:
        return ()
    if by.relationship_name == LAST_MODIFIED_BY_NAME.split(".")[0]:
        return (LAST_MODIFIED_BY, LAST_MODIFIED_BY_NAME)
    return (LAST_MODIFIED_BY,)
