"""Small builders for field definitions, so the catalog reads like a data dictionary."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .schema import FieldDef


def id_field(object_label: str) -> FieldDef:
    return FieldDef(
        "Id",
        f"{object_label} ID",
        "id",
        length=18,
        nillable=False,
        createable=False,
        updateable=False,
        defaulted_on_create=True,
        id_lookup=True,
        system=True,
    )


def is_deleted() -> FieldDef:
    return FieldDef(
        "IsDeleted",
        "Deleted",
        "boolean",
        nillable=False,
        createable=False,
        updateable=False,
        defaulted_on_create=True,
        default_value=False,
        system=True,
    )


def audit_fields() -> tuple[FieldDef, ...]:
    """Created/LastModified/SystemModstamp: read-only, maintained by the platform."""

    def stamp(name: str, label: str) -> FieldDef:
        return FieldDef(
            name,
            label,
            "datetime",
            nillable=False,
            createable=False,
            updateable=False,
            defaulted_on_create=True,
            system=True,
        )

    def by(name: str, label: str, rel: str) -> FieldDef:
        return FieldDef(
            name,
            label,
            "reference",
            length=18,
            nillable=False,
            createable=False,
            updateable=False,
            defaulted_on_create=True,
            reference_to=("User",),
            relationship_name=rel,
            system=True,
        )

    return (
        stamp("CreatedDate", "Created Date"),
        by("CreatedById", "Created By ID", "CreatedBy"),
        stamp("LastModifiedDate", "Last Modified Date"),
        by("LastModifiedById", "Last Modified By ID", "LastModifiedBy"),
        stamp("SystemModstamp", "System Modstamp"),
    )


def owner(targets: tuple[str, ...] = ("User",)) -> FieldDef:
    return FieldDef(
        "OwnerId",
        "Owner ID",
        "reference",
        length=18,
        nillable=False,
        defaulted_on_create=True,
        reference_to=targets,
        relationship_name="Owner",
        polymorphic=len(targets) > 1,
    )


def text(name: str, label: str, length: int, **kw: Any) -> FieldDef:
    return FieldDef(name, label, "string", length=length, **kw)


def typed(name: str, label: str, type_: str, length: int, **kw: Any) -> FieldDef:
    """email, phone, url: string-valued with their own type name."""
    return FieldDef(name, label, type_, length=length, **kw)


def textarea(name: str, label: str, length: int = 32000, **kw: Any) -> FieldDef:
    return FieldDef(name, label, "textarea", length=length, extra_type_info="plaintextarea", **kw)


def picklist(name: str, label: str, values: tuple[str, ...], **kw: Any) -> FieldDef:
    return FieldDef(
        name, label, "picklist", length=40 if not kw.get("custom") else 255, picklist=values, **kw
    )


def multipicklist(name: str, label: str, values: tuple[str, ...], **kw: Any) -> FieldDef:
    return FieldDef(name, label, "multipicklist", length=4099, picklist=values, **kw)


def ref(name: str, label: str, target: str, rel: str, **kw: Any) -> FieldDef:
    return FieldDef(
        name, label, "reference", length=18, reference_to=(target,), relationship_name=rel, **kw
    )


def currency(name: str, label: str, precision: int = 18, scale: int = 2, **kw: Any) -> FieldDef:
    return FieldDef(name, label, "currency", precision=precision, scale=scale, **kw)


def double(name: str, label: str, precision: int = 18, scale: int = 2, **kw: Any) -> FieldDef:
    return FieldDef(name, label, "double", precision=precision, scale=scale, **kw)


def percent(name: str, label: str, precision: int = 3, scale: int = 0, **kw: Any) -> FieldDef:
    return FieldDef(name, label, "percent", precision=precision, scale=scale, **kw)


def integer(name: str, label: str, digits: int = 8, **kw: Any) -> FieldDef:
    return FieldDef(name, label, "int", digits=digits, **kw)


def boolean(name: str, label: str, default: bool = False, **kw: Any) -> FieldDef:
    return FieldDef(
        name,
        label,
        "boolean",
        nillable=False,
        defaulted_on_create=True,
        default_value=default,
        **kw,
    )


def date(name: str, label: str, **kw: Any) -> FieldDef:
    return FieldDef(name, label, "date", **kw)


def datetime_(name: str, label: str, **kw: Any) -> FieldDef:
    return FieldDef(name, label, "datetime", **kw)


def read_only(f: FieldDef) -> FieldDef:
    return replace(f, createable=False, updateable=False)


def address(prefix: str, label: str) -> tuple[FieldDef, ...]:
    """Street/City/State/PostalCode/Country parts of a compound address (compound itself omitted)."""
    compound = f"{prefix}Address"
    return (
        textarea(f"{prefix}Street", f"{label} Street", 255, compound_field_name=compound),
        text(f"{prefix}City", f"{label} City", 40, compound_field_name=compound),
        text(f"{prefix}State", f"{label} State/Province", 80, compound_field_name=compound),
        text(f"{prefix}PostalCode", f"{label} Zip/Postal Code", 20, compound_field_name=compound),
        text(f"{prefix}Country", f"{label} Country", 80, compound_field_name=compound),
    )
