"""The emulator's state: users, sheets, columns, rows, cells, discussions."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

ACCESS_LEVELS = ("VIEWER", "COMMENTER", "EDITOR", "EDITOR_SHARE", "ADMIN", "OWNER")
MULTI_TYPES = {"MULTI_PICKLIST": 2, "MULTI_CONTACT_LIST": 1}  # type -> level that reveals it


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_second(moment: datetime) -> datetime:
    """The API shows timestamps to the second; store them that way so reads compare cleanly."""
    return moment.astimezone(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class IdSource:
    """Deterministic 16-digit ids, like the service's (e.g. 4583173393803140)."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._used: set[int] = set()

    def next(self) -> int:
        while True:
            candidate = self._rng.randrange(1_000_000_000_000_000, 9_000_000_000_000_000)
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate

    def token(self, length: int) -> str:
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(self._rng.choice(alphabet) for _ in range(length))


@dataclass
class SsUser:
    alias: str
    id: int
    email: str
    first_name: str
    last_name: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def contact(self) -> dict[str, str]:
        return {"email": self.email, "name": self.name}


@dataclass
class Column:
    id: int
    title: str
    type: str
    primary: bool = False
    options: list[str] | None = None
    contact_options: list[dict[str, str]] | None = None
    validation: bool = False
    width: int = 150
    hidden: bool = False
    locked: bool = False
    symbol: str | None = None
    system_column_type: str | None = None
    auto_number_format: dict[str, Any] | None = None
    description: str | None = None
    tags: list[str] | None = None
    formula: str | None = None  # a column formula: every cell computes it, none is editable


@dataclass
class Cell:
    """One stored cell. ``value`` is the primitive; ``items`` holds MULTI_* values.

    ``contact`` is set for CONTACT_LIST cells that hold a person ({email, name}).
    """

    value: Any = None
    items: list[Any] | None = None
    contact: dict[str, str] | None = None
    formula: str | None = None
    hyperlink: dict[str, Any] | None = None
    link_in: dict[str, Any] | None = None

    @property
    def is_empty(self) -> bool:
        return (
            self.value in (None, "")
            and not self.items
            and self.contact is None
            and self.formula is None
        )


@dataclass
class Row:
    id: int
    created_at: datetime
    modified_at: datetime
    created_by: str
    modified_by: str
    cells: dict[int, Cell] = field(default_factory=dict)
    parent_id: int | None = None
    expanded: bool = True
    locked: bool = False


@dataclass
class Comment:
    id: int
    text: str
    created_by: str
    created_at: datetime
    modified_at: datetime


@dataclass
class Discussion:
    id: int
    row_id: int | None
    title: str
    created_by: str
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Sheet:
    id: int
    name: str
    owner: str
    created_at: datetime
    modified_at: datetime
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    version: int = 1
    shares: dict[str, str] = field(default_factory=dict)
    discussions: list[Discussion] = field(default_factory=list)
    permalink_key: str = ""
    auto_number: int = 0

    def access_level(self, alias: str) -> str | None:
        if alias == self.owner:
            return "OWNER"
        return self.shares.get(alias)

    def column(self, column_id: int) -> Column | None:
        return next((c for c in self.columns if c.id == column_id), None)

    def column_titled(self, title: str) -> Column | None:
        return next((c for c in self.columns if c.title == title), None)

    def row(self, row_id: int) -> Row | None:
        return next((r for r in self.rows if r.id == row_id), None)

    def row_index(self, row_id: int) -> int:
        return next(i for i, r in enumerate(self.rows) if r.id == row_id)

    def touch(self, moment: datetime) -> None:
        self.version += 1
        self.modified_at = moment

    @property
    def permalink(self) -> str:
        return f"https://app.smartsheet.com/b/home?lx={self.permalink_key}"


def can_write(level: str | None) -> bool:
    return level in ("EDITOR", "EDITOR_SHARE", "ADMIN", "OWNER")


def can_comment(level: str | None) -> bool:
    return level in ("COMMENTER", "EDITOR", "EDITOR_SHARE", "ADMIN", "OWNER")


def can_admin(level: str | None) -> bool:
    return level in ("ADMIN", "OWNER")
