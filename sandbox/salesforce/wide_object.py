"""A custom object with 500 fields, as real orgs have (Opportunity often carries several
hundred): the builder's size tests pick fields from it by type-ahead, since no Slack list
can hold them all. No records are seeded; tests create what they need."""

from __future__ import annotations

from collections.abc import Callable

from .fieldkit import (
    audit_fields,
    boolean,
    date,
    double,
    id_field,
    is_deleted,
    owner,
    picklist,
    text,
)
from .schema import FieldDef, ObjectDef

WIDE_OBJECT = "Wide_Record__c"
WIDE_FIELDS = 500
_CHOICES = ("Red", "Green", "Blue")
_KINDS: tuple[Callable[[str, str], FieldDef], ...] = (
    lambda name, label: text(name, label, 255, custom=True),
    lambda name, label: double(name, label, 18, 2, custom=True),
    lambda name, label: date(name, label, custom=True),
    lambda name, label: picklist(name, label, _CHOICES, custom=True),
    lambda name, label: boolean(name, label, custom=True),
)


def wide_object() -> ObjectDef:
    custom = tuple(
        _KINDS[i % len(_KINDS)](f"Field_{i:03d}__c", f"Field {i:03d}") for i in range(WIDE_FIELDS)
    )
    fields = (
        id_field("Record"),
        is_deleted(),
        owner(("User",)),
        text("Name", "Wide Record Name", 80, nillable=False, name_field=True),
        *audit_fields(),
        *custom,
    )
    return ObjectDef(WIDE_OBJECT, "Wide Record", "Wide Records", "a0W", fields, custom=True)
