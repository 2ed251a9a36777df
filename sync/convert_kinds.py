"""How syncbot groups Salesforce field types: one conversion rule per kind, not per type."""

from __future__ import annotations

from enum import Enum
from types import MappingProxyType

from sync.model import SalesforceField, SalesforceType


class Kind(Enum):
    TEXT = "text"
    EMAIL = "email"
    ID = "id"  # the record's own Id: read-only
    REFERENCE = "reference"  # a lookup holding another record's Id
    PICKLIST = "picklist"
    MULTIPICKLIST = "multipicklist"
    BOOLEAN = "boolean"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"
    DATE = "date"
    DATETIME = "datetime"
    TIME = "time"
    UNSUPPORTED = "unsupported"


# Every SalesforceType must appear here: a test fails when a new type arrives without a decision.
KIND_OF = MappingProxyType(
    {
        SalesforceType.ID: Kind.ID,
        SalesforceType.REFERENCE: Kind.REFERENCE,
        SalesforceType.STRING: Kind.TEXT,
        SalesforceType.TEXTAREA: Kind.TEXT,
        SalesforceType.PICKLIST: Kind.PICKLIST,
        SalesforceType.MULTIPICKLIST: Kind.MULTIPICKLIST,
        # A combobox is a picklist that also accepts free text, so it converts like text.
        SalesforceType.COMBOBOX: Kind.TEXT,
        SalesforceType.BOOLEAN: Kind.BOOLEAN,
        SalesforceType.INT: Kind.INTEGER,
        SalesforceType.LONG: Kind.INTEGER,
        SalesforceType.DOUBLE: Kind.DECIMAL,
        SalesforceType.CURRENCY: Kind.DECIMAL,
        SalesforceType.PERCENT: Kind.PERCENT,
        SalesforceType.DATE: Kind.DATE,
        SalesforceType.DATETIME: Kind.DATETIME,
        SalesforceType.TIME: Kind.TIME,
        SalesforceType.URL: Kind.TEXT,
        SalesforceType.EMAIL: Kind.EMAIL,
        SalesforceType.PHONE: Kind.TEXT,
        SalesforceType.ENCRYPTEDSTRING: Kind.TEXT,
        SalesforceType.BASE64: Kind.UNSUPPORTED,
        SalesforceType.ADDRESS: Kind.UNSUPPORTED,
        SalesforceType.LOCATION: Kind.UNSUPPORTED,
        SalesforceType.ANYTYPE: Kind.UNSUPPORTED,
        SalesforceType.COMPLEXVALUE: Kind.UNSUPPORTED,
        SalesforceType.JSON: Kind.UNSUPPORTED,
    }
)

# Why each unsupported type cannot be synced, in words for the mapping modal.
UNSUPPORTED_REASONS = MappingProxyType(
    {
        SalesforceType.BASE64: "holds file contents, which cannot be copied into a sheet cell",
        SalesforceType.ADDRESS: (
            "is a compound address; map its parts (street, city, postal code...) instead"
        ),
        SalesforceType.LOCATION: (
            "is a compound geolocation; map its latitude and longitude parts instead"
        ),
        SalesforceType.ANYTYPE: "can hold values of any type, which a column cannot follow",
        SalesforceType.COMPLEXVALUE: "holds a structured value that a column cannot hold",
        SalesforceType.JSON: "holds a structured value that a column cannot hold",
    }
)


def kind_of(field: SalesforceField) -> Kind:
    return KIND_OF[field.type]


def unsupported_reason(field: SalesforceField) -> str:
    why = UNSUPPORTED_REASONS.get(field.type, "has a type syncbot cannot convert")
    return f"{field.label} {why}."
