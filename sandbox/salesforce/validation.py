"""Save-time checks, in the order and wording Salesforce reports them.

These are per-record failures: a single-record call answers 400 with the error list,
sObject Collections put them in that record's result.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .errors import SfError, malformed_id
from .ids import is_id_shaped, to18
from .schema import NUMBER_TYPES, TEXT_TYPES, FieldDef, ObjectDef
from .store import RecordStore, round_half_up
from .users import SfUser

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_writable(
    obj: ObjectDef, values: Mapping[str, Any], user: SfUser, *, inserting: bool
) -> None:
    """Fields the profile cannot write in this operation (read-only, system, formula, or
    readable but not editable by field-level security)."""
    blocked = [
        name
        for name in values
        if (f := obj.field(name)) is None or not user.edits_field(obj.name, f, inserting=inserting)
    ]
    if blocked:
        raise SfError(
            400,
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            f"Unable to create/update fields: {', '.join(blocked)}. Please check the "
            "security settings of this field and verify that it is read/write for "
            "your profile or permission set.",
            blocked,
        )


def normalize(
    obj: ObjectDef, values: Mapping[str, Any], store: RecordStore, user: SfUser
) -> dict[str, Any]:
    """Check each value against its field and return the values as they will be stored."""
    stored: dict[str, Any] = {}
    for name, value in values.items():
        f = obj.field(name)
        assert f is not None
        stored[name] = (
            None
            if value in (None, "") and f.type != "boolean"
            else _check_value(f, value, store, user)
        )
    return stored


def _check_value(f: FieldDef, value: Any, store: RecordStore, user: SfUser) -> Any:
    if f.type in ("reference", "id"):
        return _check_reference(f, value, store, user)
    if f.type in TEXT_TYPES:
        _check_text(f, value)
        if f.type == "multipicklist":
            return ";".join(dict.fromkeys(v for v in value.split(";") if v))
        return value
    if f.type in NUMBER_TYPES:
        return _check_number(f, value)
    if f.type == "int" and len(str(abs(value))) > f.digits:
        raise _out_of_range(f, value)
    return value


def _check_text(f: FieldDef, value: str) -> None:
    if len(value) > f.length:
        raise SfError(
            400,
            "STRING_TOO_LONG",
            f"{f.label}: data value too large: {value} (max length={f.length})",
            [f.name],
        )
    if f.type == "email" and not _EMAIL.match(value):
        raise SfError(
            400, "INVALID_EMAIL_ADDRESS", f"{f.label}: invalid email address: {value}", [f.name]
        )
    if f.restricted and f.type in ("picklist", "multipicklist"):
        for item in value.split(";") if f.type == "multipicklist" else [value]:
            if item not in f.picklist:
                raise SfError(
                    400,
                    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    f"{f.label}: bad value for restricted picklist field: {item}",
                    [f.name],
                )


def _check_number(f: FieldDef, value: float) -> float:
    rounded = round_half_up(value, f.scale)
    integer_digits = len(str(int(abs(Decimal(str(rounded))))))
    if integer_digits > f.precision - f.scale:
        raise _out_of_range(f, value)
    return rounded


def _out_of_range(f: FieldDef, value: float) -> SfError:
    return SfError(
        400,
        "NUMBER_OUTSIDE_VALID_RANGE",
        f"{f.label}: value outside of valid range on numeric field: {value}",
        [f.name],
    )


def _check_reference(f: FieldDef, value: str, store: RecordStore, user: SfUser) -> str:
    if not is_id_shaped(value):
        raise malformed_id(f.label, value, f.name)
    target = store.object_of_id(value)
    if target is None or target not in f.reference_to:
        raise SfError(
            400,
            "FIELD_INTEGRITY_EXCEPTION",
            f"{f.label}: id value of incorrect type: {value}",
            [f.name],
        )
    record = store.find(target, value)
    if record is None:
        raise SfError(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", [])
    if record.get("IsDeleted"):
        raise SfError(400, "ENTITY_IS_DELETED", "entity is deleted", [])
    if not user.sees_record(store.catalog[target], record):
        raise SfError(
            400,
            "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
            "insufficient access rights on cross-reference id",
            [],
        )
    return to18(value)


def check_required(obj: ObjectDef, merged: Mapping[str, Any]) -> None:
    missing = [
        f.name
        for f in obj.fields
        if not f.nillable
        and f.writable
        and not f.defaulted_on_create
        and f.type != "boolean"
        and merged.get(f.name) in (None, "")
    ]
    if missing:
        raise SfError(
            400,
            "REQUIRED_FIELD_MISSING",
            f"Required fields are missing: [{', '.join(missing)}]",
            missing,
        )


def check_rules(obj: ObjectDef, merged: Mapping[str, Any]) -> None:
    """The org's validation rules (run after the system checks, as in Salesforce)."""
    amount = merged.get("Amount")
    if obj.name == "Opportunity" and amount is not None and amount < 0:
        raise SfError(
            400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Amount cannot be negative", ["Amount"]
        )


def validate_save(
    obj: ObjectDef,
    values: Mapping[str, Any],
    current: Mapping[str, Any] | None,
    store: RecordStore,
    user: SfUser,
) -> dict[str, Any]:
    """Run every save-time check; returns the values to store or raises the first SfError."""
    check_writable(obj, values, user, inserting=current is None)
    stored = normalize(obj, values, store, user)
    merged = {**(current or {}), **stored}
    check_required(obj, merged)
    check_rules(obj, merged)
    return stored
