"""The audit trail's value types, shared by the engine (sync.audit) and the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sync.model import Canon

DONE, PENDING, FAILED = "done", "pending", "failed"  # ChangeEntry.state
# `field` of the one line logged for a row or record syncbot created: its values go in
# `after` as "Column: value" texts (a 20,000-record backfill logs 20,000 lines, not
# 200,000), and there is nothing to revert (the row or record was not there before)
CREATED = "*"


@dataclass(frozen=True)
class ChangeEntry:
    """One value syncbot wrote to one side (or, while `state` is pending, a revert that
    the next tick will write). `before`/`after` are display text; None is an empty value."""

    id: int
    at: datetime
    workflow_id: int
    record_id: str | None
    row_id: int | None
    field: str
    column: str
    before: str | None
    after: str | None
    direction: str  # "to_smartsheet" | "to_salesforce": the side that was written
    caused_by: str | None  # Salesforce user's name (LastModifiedBy.Name, else the Id), the
    # sheet editor's e-mail, or for a revert the Slack user who asked for it
    revert_of: int | None
    state: str = DONE  # done | pending (a revert not yet written) | failed (see note)
    note: str = ""

    @property
    def created(self) -> bool:
        """A row or record syncbot created, with its values (not revertable)."""
        return self.field == CREATED


@dataclass(frozen=True)
class NewChange:
    """A change to log, with canonical values (so a revert can write them back exactly)."""

    workflow_id: int
    at: datetime
    record_id: str | None
    row_id: int | None
    field: str
    column: str
    before: Canon
    after: Canon
    direction: str
    caused_by: str | None
    revert_of: int | None = None
    state: str = DONE
    note: str = ""


def display(value: Canon) -> str | None:
    """A canonical value as a person reads it in a history line."""
    if type(value) is str:
        return value or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)
