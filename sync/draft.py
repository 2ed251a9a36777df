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

from sync.model import (
    Condition,
    ConflictPolicy,
    Direction,
    FieldMapping,
    Filter,
    OnRecordDeleted,
    WorkflowOptions,
)
from sync.workflow_file import WorkflowSpec

MAX_CONDITIONS = 5


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
        )


def with_preset(draft: Draft, preset: str) -> Draft:
    """Switch the preset; Service Cloud fixes the object to Case and proposes its fields."""
    if preset != Preset.SERVICE_CLOUD:
        return replace(draft, preset=Preset.SALESFORCE)
    mappings = tuple(FieldMapping(f, c, d) for f, c, d in SERVICE_CLOUD_FIELDS)
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
    }
    return json.dumps(data, separators=(",", ":"))


def from_json(text: str) -> Draft:
    data = json.loads(text)
    flt = data["filter"]
    create, deleted, conflicts = data["options"]
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
    )
