"""What the engine needs from the outside world. Connectors implement these; tests may
pass fakes that obey the same contract (tests/contract)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sync.model import Cell, CellWrite, SalesforceField, SheetColumn


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass(frozen=True)
class ObjectInfo:
    name: str
    label: str
    custom: bool
    queryable: bool
    createable: bool
    updateable: bool


@dataclass(frozen=True)
class ObjectDescribe:
    name: str
    label: str
    createable: bool
    updateable: bool
    fields: Mapping[str, SalesforceField]  # by API name

    def field_named(self, name: str) -> SalesforceField | None:
        """Case-insensitive lookup, as Salesforce treats identifiers."""
        found = self.fields.get(name)
        if found is not None:
            return found
        lowered = name.lower()
        return next((f for n, f in self.fields.items() if n.lower() == lowered), None)


@dataclass(frozen=True)
class WriteResult:
    """One record's outcome in a batch write (request order)."""

    success: bool
    id: str | None = None
    errors: tuple[WriteError, ...] = ()


@dataclass(frozen=True)
class WriteError:
    code: str  # Salesforce statusCode / Smartsheet errorCode
    message: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeletedRecord:
    id: str
    deleted_at: datetime


@dataclass(frozen=True)
class QueryPage:
    records: list[dict[str, Any]]
    total_size: int


class SalesforcePort(Protocol):
    """One Salesforce connection (an owner's tokens on one org)."""

    def describe_global(self) -> list[ObjectInfo]: ...

    def describe(self, object_name: str) -> ObjectDescribe: ...

    def query_pages(self, soql: str, *, include_deleted: bool = False) -> Iterator[QueryPage]: ...

    def create(
        self, object_name: str, records: Sequence[Mapping[str, Any]]
    ) -> list[WriteResult]: ...

    def update(
        self, object_name: str, records: Sequence[Mapping[str, Any]]
    ) -> list[WriteResult]: ...

    def deleted_since(
        self, object_name: str, start: datetime, end: datetime
    ) -> list[DeletedRecord]: ...


@dataclass(frozen=True)
class SheetInfo:
    id: int
    name: str
    version: int
    access_level: str
    columns: tuple[SheetColumn, ...]
    total_row_count: int = 0

    def column_titled(self, title: str) -> SheetColumn | None:
        return next((c for c in self.columns if c.title == title), None)

    @property
    def editable(self) -> bool:
        return self.access_level in ("OWNER", "ADMIN", "EDITOR", "EDITOR_SHARE")


@dataclass(frozen=True)
class SheetRow:
    id: int
    modified_at: datetime | None
    cells: Mapping[int, Cell]  # by column id
    modified_by: str | None = None  # e-mail of the last editor, when the API tells


@dataclass(frozen=True)
class RowsRead:
    rows: list[SheetRow]
    version: int
    total_row_count: int


@dataclass(frozen=True)
class NewRow:
    cells: Mapping[int, CellWrite]


@dataclass(frozen=True)
class EncodedRows:
    """New rows as the connector will send them (opaque to the engine), to be sent once:
    `prepaid` of its calls were already counted against the rate budget."""

    payloads: Sequence[Any]
    prepaid: int = 0


@dataclass(frozen=True)
class RowUpdate:
    row_id: int
    cells: Mapping[int, CellWrite]


@dataclass(frozen=True)
class RowWriteResult:
    """Per input row (request order): the row id on success, or the error."""

    row_id: int | None
    error: WriteError | None = None


@dataclass(frozen=True)
class BulkRowResult:
    results: list[RowWriteResult]
    version: int | None = None


@dataclass(frozen=True)
class NewColumn:
    title: str
    type: str = "TEXT_NUMBER"
    options: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    index: int | None = None  # where it goes; None = after the sheet's last column


class SmartsheetPort(Protocol):
    """One Smartsheet connection (an owner's token)."""

    def list_sheets(self) -> list[SheetInfo]: ...

    def sheet_info(self, sheet_id: int) -> SheetInfo: ...

    def sheet_version(self, sheet_id: int) -> int: ...

    def sheets_modified_since(self, since: datetime) -> dict[int, int]:
        """Version by sheet id of every sheet the token sees whose modifiedAt is at or
        after `since`: one listing (paged) tells a whole connection's changes."""
        ...

    def read_rows(
        self, sheet_id: int, column_ids: Sequence[int], modified_since: datetime | None = None
    ) -> RowsRead: ...

    def encode_rows(self, rows: Sequence[NewRow]) -> EncodedRows:
        """New rows in the API's form, made ahead of add_rows (no call; thread-safe), so a
        backfill encodes page n+1 while page n is being sent. The adds' calls are taken
        from the rate budget here (BudgetSpent when it is spent), not on the sending thread."""
        ...

    def add_rows(self, sheet_id: int, rows: Sequence[NewRow] | EncodedRows) -> BulkRowResult: ...

    def update_rows(self, sheet_id: int, rows: Sequence[RowUpdate]) -> BulkRowResult: ...

    def delete_rows(self, sheet_id: int, row_ids: Sequence[int]) -> None: ...

    def add_columns(self, sheet_id: int, columns: Sequence[NewColumn]) -> list[SheetColumn]: ...

    def create_sheet(self, name: str, columns: Sequence[NewColumn]) -> SheetInfo: ...


@dataclass(frozen=True)
class ErrorReport:
    """One problem as the owner should read it."""

    workflow_id: int
    workflow_name: str
    scope: str  # "row" | "workflow"
    key: str  # record id or row id; "" for workflow errors
    code: str
    message: str
    resolved: bool = False
    # e-mail of the person who last edited the row (Smartsheet modifiedBy), when known,
    # so the notifier can tell them about their own rows
    editor_email: str | None = None


class Notifier(Protocol):
    """Where grouped error reports go (bot/ wires this to Slack DMs)."""

    def notify(self, team_id: str, user_id: str, reports: Sequence[ErrorReport]) -> None: ...
