"""Object and field definitions of the emulated org (the source of describe and validation).

Definitions are plain frozen dataclasses; `describe.py` renders them in the exact shape of
the describe resources, and the write path validates against them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Field types whose JSON value is a string.
TEXT_TYPES = frozenset(
    {
        "string",
        "textarea",
        "picklist",
        "multipicklist",
        "combobox",
        "email",
        "phone",
        "url",
        "encryptedstring",
    }
)
NUMBER_TYPES = frozenset({"double", "currency", "percent"})
ID_TYPES = frozenset({"id", "reference"})


@dataclass(frozen=True)
class FieldDef:
    """One field as describe reports it. Flags not listed here are derived from ``type``."""

    name: str
    label: str
    type: str
    length: int = 0
    precision: int = 0
    scale: int = 0
    digits: int = 0
    nillable: bool = True
    createable: bool = True
    updateable: bool = True
    calculated: bool = False
    formula: str | None = None
    defaulted_on_create: bool = False
    default_value: Any = None
    name_field: bool = False
    id_lookup: bool = False
    unique: bool = False
    external_id: bool = False
    auto_number: bool = False
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None
    polymorphic: bool = False
    picklist: tuple[str, ...] = ()
    picklist_default: str | None = None
    restricted: bool = False
    extra_type_info: str | None = None
    compound_field_name: str | None = None
    custom: bool = False
    system: bool = False  # set by the platform on every write (audit fields, Id, IsDeleted)

    @property
    def is_long_text(self) -> bool:
        return self.type == "textarea" and self.length > 255

    @property
    def writable(self) -> bool:
        return self.createable or self.updateable


@dataclass(frozen=True)
class ChildRelationship:
    child: str
    field: str
    name: str | None
    cascade_delete: bool = False


@dataclass(frozen=True)
class ObjectDef:
    name: str
    label: str
    label_plural: str
    key_prefix: str
    fields: tuple[FieldDef, ...]
    custom: bool = False
    createable: bool = True
    updateable: bool = True
    deletable: bool = True
    private_sharing: bool = False  # org-wide default Private: users see only what they own
    read_only_sharing: bool = False  # org-wide default Public Read Only: all see, owners edit
    feed_enabled: bool = True
    mergeable: bool = False
    children: tuple[ChildRelationship, ...] = ()
    _by_lower: dict[str, FieldDef] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_lower.update({f.name.lower(): f for f in self.fields})

    def field(self, name: str) -> FieldDef | None:
        """Case-insensitive lookup, as the API does it."""
        return self._by_lower.get(name.lower())

    @property
    def name_field(self) -> FieldDef:
        return next(f for f in self.fields if f.name_field)
