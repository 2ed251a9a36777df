"""Salesforce describe JSON → the engine's SalesforceField / ObjectDescribe (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sync.model import SalesforceField, SalesforceType
from sync.ports import ObjectDescribe, ObjectInfo


def to_object_info(entry: Mapping[str, Any]) -> ObjectInfo:
    return ObjectInfo(
        name=entry["name"],
        label=entry.get("label", entry["name"]),
        custom=bool(entry.get("custom")),
        queryable=bool(entry.get("queryable")),
        createable=bool(entry.get("createable")),
        updateable=bool(entry.get("updateable")),
    )


def to_object_describe(body: Mapping[str, Any]) -> ObjectDescribe:
    fields = {f["name"]: to_field(f) for f in body.get("fields", [])}
    return ObjectDescribe(
        name=body["name"],
        label=body.get("label", body["name"]),
        createable=bool(body.get("createable")),
        updateable=bool(body.get("updateable")),
        fields=fields,
    )


def to_field(entry: Mapping[str, Any]) -> SalesforceField:
    try:
        kind = SalesforceType(entry.get("type", "anyType"))
    except ValueError:
        kind = SalesforceType.ANYTYPE  # a type this version of syncbot does not map
    return SalesforceField(
        name=entry["name"],
        label=entry.get("label") or entry["name"],
        type=kind,
        length=int(entry.get("length") or 0),
        precision=int(entry.get("precision") or 0),
        scale=int(entry.get("scale") or 0),
        nillable=bool(entry.get("nillable", True)),
        createable=bool(entry.get("createable")),
        updateable=bool(entry.get("updateable")),
        calculated=bool(entry.get("calculated")) or bool(entry.get("autoNumber")),
        restricted_picklist=bool(entry.get("restrictedPicklist")),
        picklist_values=tuple(
            p["value"] for p in entry.get("picklistValues") or () if p.get("active", True)
        ),
        reference_to=tuple(entry.get("referenceTo") or ()),
        relationship_name=entry.get("relationshipName"),
    )
