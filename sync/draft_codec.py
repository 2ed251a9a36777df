"""JSON for what a draft keeps of the services (the object's fields, the chosen sheet's
columns), so the builder validates a step from the draft alone, without a remote call."""

from __future__ import annotations

from typing import Any

from sync.model import ColumnType, SalesforceField, SalesforceType, SheetColumn
from sync.ports import SheetInfo


def field_to_json(f: SalesforceField) -> list[Any]:
    return [
        f.name,
        f.label,
        f.type.value,
        f.length,
        f.precision,
        f.scale,
        f.nillable,
        f.createable,
        f.updateable,
        f.calculated,
        f.restricted_picklist,
        list(f.picklist_values),
        list(f.reference_to),
        f.relationship_name,
    ]


def field_from_json(data: list[Any]) -> SalesforceField:
    name, label, kind, length, precision, scale, nillable, create, update, calc, restricted = data[
        :11
    ]
    picklist, reference_to, relationship = data[11:14]
    return SalesforceField(
        name,
        label,
        SalesforceType(kind),
        length,
        precision,
        scale,
        nillable,
        create,
        update,
        calc,
        restricted,
        tuple(picklist),
        tuple(reference_to),
        relationship,
    )


def sheet_to_json(sheet: SheetInfo) -> dict[str, Any]:
    return {
        "id": sheet.id,
        "name": sheet.name,
        "version": sheet.version,
        "access": sheet.access_level,
        "rows": sheet.total_row_count,
        "columns": [
            [
                c.id,
                c.title,
                c.type.value,
                c.primary,
                list(c.options),
                c.validation,
                c.locked_for_user,
                c.formula,
            ]
            for c in sheet.columns
        ],
    }


def sheet_from_json(data: dict[str, Any]) -> SheetInfo:
    columns = tuple(
        SheetColumn(cid, title, ColumnType(kind), primary, tuple(options), valid, locked, formula)
        for cid, title, kind, primary, options, valid, locked, formula in data["columns"]
    )
    return SheetInfo(
        data["id"], data["name"], data["version"], data["access"], columns, data["rows"]
    )
