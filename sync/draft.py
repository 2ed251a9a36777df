"""A workflow being built in the Slack modal: plain, JSON-serialisable, no IO.

Slack's `private_metadata` holds at most 3,000 characters, far less than a workflow with
dozens of mappings needs, so the modal keeps only the draft's id there and the draft itself
lives in the database (sync.store.drafts). Saving turns a draft into the same WorkflowSpec
that `syncbot workflows import` reads, so both paths store identical workflows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from sync.draft_codec import field_from_json, field_to_json, sheet_from_json, sheet_to_json
from sync.model import (
    Condition,
    ConflictPolicy,
    Direction,
    FieldMapping,
    Filter,
    OnRecordDeleted,
    SalesforceField,
    SheetColumn,
    WorkflowOptions,
)
from sync.ports import ObjectInfo, SheetInfo
from sync.workflow_file import WorkflowSpec

MAX_CONDITIONS = 5
DEFAULT_ID_COLUMN = "Salesforce Id"
DEFAULT_STATUS_COLUMN = "Sync Status"


class Preset:
    SALESFORCE = "salesforce"
    SERVICE_CLOUD = "service_cloud"


# Issue #7: the Service Cloud preset maps Case with its usual fields.
SERVICE_CLOUD_FIELDS: tuple[tuple[str, str, Direction], ...] = (
    ("CaseNumber", "Case Number", Direction.TO_SMARTSHEET),
    ("Subject", "Subject", Direction.BOTH),
    ("Status", "Status", Direction.BOTH),
    ("Priority", "Priority", Direction.BOTH),
    ("Origin", "Origin", Direction.BOTH),
    ("Account.Name", "Account", Direction.TO_SMARTSHEET),
    ("Contact.Name", "Contact", Direction.TO_SMARTSHEET),
    ("Owner.Name", "Owner", Direction.TO_SMARTSHEET),
)


@dataclass(frozen=True)
class Draft:
    team: str
    owner: str
    salesforce_connection_id: int = 0
    org: str = ""
    object: str = ""
    sheet_id: int = 0  # 0 while no existing sheet is chosen
    new_sheet_name: str = ""  # set instead of sheet_id for "New sheet"
    name: str = ""
    preset: str = Preset.SALESFORCE
    fields: tuple[FieldMapping, ...] = ()
    filter: Filter = field(default_factory=Filter)
    options: WorkflowOptions = field(default_factory=WorkflowOptions)
    editing: int = 0  # the workflow id when editing, 0 when creating
    id_column: str = DEFAULT_ID_COLUMN
    status_column: str = DEFAULT_STATUS_COLUMN
    paused: bool = False  # an edited workflow stays paused if it was
    # What the services said, fetched after an ack so that type-ahead and validation read
    # the draft only (Slack's 3 seconds): the connection's objects, the caller's sheets,
    # the object's fields (with related ones) and the chosen sheet.
    objects: tuple[ObjectInfo, ...] | None = None
    sheets: tuple[SheetInfo, ...] | None = None  # listed: id, name and access level only
    catalog: tuple[SalesforceField, ...] | None = None
    catalog_key: str = ""  # "<connection>:<object>" the catalog was read for
    sheet: SheetInfo | None = None  # the chosen sheet with its columns
    case_access: str | None = None  # "" when Service Cloud may be offered, else why not
    case_hidden: tuple[str, ...] = ()  # preset fields the user's field-level security hides

    @property
    def catalog_ready(self) -> bool:
        return self.catalog is not None and self.catalog_key == self.wanted_catalog

    @property
    def wanted_catalog(self) -> str:
        return f"{self.salesforce_connection_id}:{self.object.lower()}"

    @property
    def sheet_ready(self) -> bool:
        if self.creates_sheet or not self.sheet_id:
            return True
        return self.sheet is not None and self.sheet.id == self.sheet_id

    def field_named(self, name: str) -> SalesforceField | None:
        lowered = name.lower()
        return next((f for f in self.catalog or () if f.name.lower() == lowered), None)

    def field_map(self) -> dict[str, SalesforceField | None]:
        return {m.field: self.field_named(m.field) for m in self.fields}

    @property
    def columns(self) -> tuple[SheetColumn, ...]:
        if self.creates_sheet or self.sheet is None or self.sheet.id != self.sheet_id:
            return ()
        return self.sheet.columns

    @property
    def creates_sheet(self) -> bool:
        return self.sheet_id == 0 and bool(self.new_sheet_name)

    def with_mapping(self, mapping: FieldMapping, replacing: int | None = None) -> Draft:
        fields = list(self.fields)
        if replacing is not None and 0 <= replacing < len(fields):
            fields[replacing] = mapping
        else:
            fields.append(mapping)
        return replace(self, fields=tuple(fields))

    def without_mapping(self, index: int) -> Draft:
        return replace(self, fields=tuple(m for i, m in enumerate(self.fields) if i != index))

    def with_direction(self, index: int, direction: Direction) -> Draft:
        mapping = replace(self.fields[index], direction=direction)
        return self.with_mapping(mapping, replacing=index)

    def to_spec(self, sheet_id: int | None = None) -> WorkflowSpec:
        """The spec `workflows import` would read for this draft (sheet id once known)."""
        return WorkflowSpec(
            name=self.name.strip(),
            team=self.team,
            owner=self.owner,
            org=self.org,
            object=self.object,
            sheet=sheet_id if sheet_id is not None else self.sheet_id,
            fields=self.fields,
            filter=self.filter,
            options=self.options,
            id_column=self.id_column.strip() or DEFAULT_ID_COLUMN,
            status_column=self.status_column.strip() or DEFAULT_STATUS_COLUMN,
            paused=self.paused,
        )


def with_preset(draft: Draft, preset: str) -> Draft:
    """Switch the preset; Service Cloud fixes the object to Case and proposes its fields."""
    if preset != Preset.SERVICE_CLOUD:
        return replace(draft, preset=Preset.SALESFORCE)
    hidden = {h.lower() for h in draft.case_hidden}
    mappings = tuple(
        FieldMapping(f, c, d) for f, c, d in SERVICE_CLOUD_FIELDS if f.lower() not in hidden
    )
    return replace(draft, preset=preset, object="Case", fields=mappings)


def from_spec(spec: WorkflowSpec, connection_id: int, workflow_id: int) -> Draft:
    """A draft prefilled from a stored workflow, for editing it."""
    return Draft(
        team=spec.team,
        owner=spec.owner,
        salesforce_connection_id=connection_id,
        org=spec.org,
        object=spec.object,
        sheet_id=spec.sheet,
        name=spec.name,
        fields=spec.fields,
        filter=spec.filter,
        options=spec.options,
        editing=workflow_id,
        id_column=spec.id_column,
        status_column=spec.status_column,
        paused=spec.paused,
    )


def to_json(draft: Draft) -> str:
    data: dict[str, Any] = {
        "team": draft.team,
        "owner": draft.owner,
        "salesforce_connection_id": draft.salesforce_connection_id,
        "org": draft.org,
        "object": draft.object,
        "sheet_id": draft.sheet_id,
        "new_sheet_name": draft.new_sheet_name,
        "name": draft.name,
        "preset": draft.preset,
        "fields": [[m.field, m.column, m.direction.value] for m in draft.fields],
        "filter": {
            "all": draft.filter.match_all,
            "conditions": [[c.field, c.op, c.value] for c in draft.filter.conditions],
        },
        "options": [
            draft.options.create_records_from_rows,
            draft.options.on_record_deleted.value,
            draft.options.conflicts.value,
        ],
        "editing": draft.editing,
        "columns": [draft.id_column, draft.status_column, draft.paused],
        "objects": None
        if draft.objects is None
        else [[o.name, o.label, o.custom, o.createable, o.updateable] for o in draft.objects],
        "sheets": None
        if draft.sheets is None
        else [[s.id, s.name, s.access_level] for s in draft.sheets],
        "catalog": None if draft.catalog is None else [field_to_json(f) for f in draft.catalog],
        "catalog_key": draft.catalog_key,
        "sheet": None if draft.sheet is None else sheet_to_json(draft.sheet),
        "case_access": draft.case_access,
        "case_hidden": list(draft.case_hidden),
    }
    return json.dumps(data, separators=(",", ":"))


def from_json(text: str) -> Draft:
    data = json.loads(text)
    flt = data["filter"]
    create, deleted, conflicts = data["options"]
    id_column, status_column, paused = data.get(
        "columns", [DEFAULT_ID_COLUMN, DEFAULT_STATUS_COLUMN, False]
    )
    return Draft(
        team=data["team"],
        owner=data["owner"],
        salesforce_connection_id=int(data["salesforce_connection_id"]),
        org=data["org"],
        object=data["object"],
        sheet_id=int(data["sheet_id"]),
        new_sheet_name=data["new_sheet_name"],
        name=data["name"],
        preset=data["preset"],
        fields=tuple(FieldMapping(f, c, Direction(d)) for f, c, d in data["fields"]),
        filter=Filter(
            tuple(Condition(f, op, v) for f, op, v in flt["conditions"]), match_all=flt["all"]
        ),
        options=WorkflowOptions(bool(create), OnRecordDeleted(deleted), ConflictPolicy(conflicts)),
        editing=int(data["editing"]),
        id_column=id_column,
        status_column=status_column,
        paused=bool(paused),
        objects=None
        if data.get("objects") is None
        else tuple(ObjectInfo(n, lb, c, True, cr, up) for n, lb, c, cr, up in data["objects"]),
        sheets=None
        if data.get("sheets") is None
        else tuple(SheetInfo(i, n, 0, a, ()) for i, n, a in data["sheets"]),
        catalog=None
        if data.get("catalog") is None
        else tuple(field_from_json(f) for f in data["catalog"]),
        catalog_key=data.get("catalog_key", ""),
        sheet=None if data.get("sheet") is None else sheet_from_json(data["sheet"]),
        case_access=data.get("case_access"),
        case_hidden=tuple(data.get("case_hidden", ())),
    )
