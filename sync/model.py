"""The engine's vocabulary: plain frozen dataclasses and enums, no IO, no SDK types.

Everything the planner, the converter and the store exchange is defined here, so the
pure parts can be tested without a database, an SDK or a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple, TypeAlias

# A value as it is stored in the "last synced" table and compared by the planner:
# JSON-serialisable, normalised so that equal meanings compare equal (see sync.convert).
Canon: TypeAlias = str | int | float | bool | tuple[str, ...] | None


class Direction(StrEnum):
    TO_SMARTSHEET = "to_smartsheet"
    TO_SALESFORCE = "to_salesforce"
    BOTH = "both"

    @property
    def to_sheet(self) -> bool:
        return self in (Direction.TO_SMARTSHEET, Direction.BOTH)

    @property
    def to_salesforce(self) -> bool:
        return self in (Direction.TO_SALESFORCE, Direction.BOTH)


class ConflictPolicy(StrEnum):
    SALESFORCE_WINS = "salesforce_wins"
    SMARTSHEET_WINS = "smartsheet_wins"
    NEWEST_WINS = "newest_wins"


class OnRecordDeleted(StrEnum):
    MARK = "mark"
    DELETE_ROW = "delete_row"
    KEEP = "keep"


class SalesforceType(StrEnum):
    """describe `type` values (Schema.DisplayType)."""

    ID = "id"
    REFERENCE = "reference"
    STRING = "string"
    TEXTAREA = "textarea"
    PICKLIST = "picklist"
    MULTIPICKLIST = "multipicklist"
    COMBOBOX = "combobox"
    BOOLEAN = "boolean"
    INT = "int"
    LONG = "long"
    DOUBLE = "double"
    CURRENCY = "currency"
    PERCENT = "percent"
    DATE = "date"
    DATETIME = "datetime"
    TIME = "time"
    URL = "url"
    EMAIL = "email"
    PHONE = "phone"
    ENCRYPTEDSTRING = "encryptedstring"
    BASE64 = "base64"
    ADDRESS = "address"
    LOCATION = "location"
    ANYTYPE = "anyType"
    COMPLEXVALUE = "complexvalue"
    JSON = "json"


class ColumnType(StrEnum):
    TEXT_NUMBER = "TEXT_NUMBER"
    DATE = "DATE"
    DATETIME = "DATETIME"
    ABSTRACT_DATETIME = "ABSTRACT_DATETIME"
    CHECKBOX = "CHECKBOX"
    PICKLIST = "PICKLIST"
    MULTI_PICKLIST = "MULTI_PICKLIST"
    CONTACT_LIST = "CONTACT_LIST"
    MULTI_CONTACT_LIST = "MULTI_CONTACT_LIST"
    DURATION = "DURATION"
    PREDECESSOR = "PREDECESSOR"


@dataclass(frozen=True)
class SalesforceField:
    """What the engine needs from one describe field (or a parent path like Account.Name)."""

    name: str  # API name, or a dotted path for related fields ("Account.Name")
    label: str
    type: SalesforceType
    length: int = 0
    precision: int = 0
    scale: int = 0
    nillable: bool = True
    createable: bool = False
    updateable: bool = False
    calculated: bool = False
    restricted_picklist: bool = False
    picklist_values: tuple[str, ...] = ()
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None

    @property
    def is_related(self) -> bool:
        return "." in self.name

    @property
    def writable(self) -> bool:
        return not self.is_related and not self.calculated and (self.updateable or self.createable)


@dataclass(frozen=True)
class SheetColumn:
    id: int
    title: str
    type: ColumnType
    primary: bool = False
    options: tuple[str, ...] = ()
    validation: bool = False  # PICKLIST restricted to its options
    locked_for_user: bool = False  # locked, and the caller (an Editor) may not unlock it
    formula: str | None = None  # a column formula: its cells cannot be written


@dataclass(frozen=True)
class Cell:
    """A cell as read from the Smartsheet API."""

    value: str | int | float | bool | None = None
    display_value: str | None = None
    object_value: dict[str, object] | None = None


class CellWrite(NamedTuple):
    """What to send for one cell: exactly one of value / object_value (None clears).
    A tuple, not a dataclass: a backfill makes one per value (200,000 for 20,000 rows)."""

    value: str | int | float | bool | None = None
    object_value: dict[str, object] | None = None
    strict: bool = True


@dataclass(frozen=True)
class FieldMapping:
    field: str  # Salesforce API name or dotted parent path
    column: str  # sheet column title
    direction: Direction = Direction.BOTH


@dataclass(frozen=True)
class Condition:
    field: str
    op: str  # one of sync.filters.OPERATORS
    value: object = None


@dataclass(frozen=True)
class Filter:
    """Structured record filter: all (AND) or any (OR) of the conditions; empty = everything."""

    conditions: tuple[Condition, ...] = ()
    match_all: bool = True


@dataclass(frozen=True)
class WorkflowOptions:
    create_records_from_rows: bool = False
    on_record_deleted: OnRecordDeleted = OnRecordDeleted.MARK
    conflicts: ConflictPolicy = ConflictPolicy.SALESFORCE_WINS


@dataclass(frozen=True)
class Workflow:
    id: int
    name: str
    team_id: str
    owner_id: str
    salesforce_connection_id: int
    smartsheet_connection_id: int
    object_name: str
    sheet_id: int
    fields: tuple[FieldMapping, ...]
    filter: Filter = field(default_factory=Filter)
    options: WorkflowOptions = field(default_factory=WorkflowOptions)
    id_column: str = "Salesforce Id"
    status_column: str = "Sync Status"
    active: bool = True
