"""SQLAlchemy 2 models of syncbot's own state. The engine never sees these classes:
repositories convert them to the dataclasses of `sync.model`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic autogenerate and both databases agree.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Connection(Base):
    """One person's authorised account on Salesforce (one org) or Smartsheet."""

    __tablename__ = "connections"
    __table_args__ = (
        UniqueConstraint("team_id", "owner_id", "kind", "org_id", "external_user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    owner_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # ConnectionKind
    label: Mapped[str] = mapped_column(String(255), default="")
    org_id: Mapped[str] = mapped_column(String(32), default="")  # Salesforce org; "" for Smartsheet
    external_user_id: Mapped[str] = mapped_column(String(64), default="")
    username: Mapped[str] = mapped_column(String(255), default="")
    instance_url: Mapped[str] = mapped_column(String(512), default="")
    login_url: Mapped[str] = mapped_column(String(512), default="")
    access_token: Mapped[bytes] = mapped_column(LargeBinary)  # Fernet ciphertext
    refresh_token: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | revoked
    status_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WorkflowRow(Base):
    __tablename__ = "workflows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    owner_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(255))
    salesforce_connection_id: Mapped[int] = mapped_column(ForeignKey("connections.id"))
    smartsheet_connection_id: Mapped[int] = mapped_column(ForeignKey("connections.id"))
    object_name: Mapped[str] = mapped_column(String(255))
    sheet_id: Mapped[int] = mapped_column(BigInteger)
    filter_json: Mapped[str] = mapped_column(Text, default="{}")
    create_records_from_rows: Mapped[bool] = mapped_column(Boolean, default=False)
    on_record_deleted: Mapped[str] = mapped_column(String(16), default="mark")
    conflicts: Mapped[str] = mapped_column(String(32), default="salesforce_wins")
    id_column: Mapped[str] = mapped_column(String(255), default="Salesforce Id")
    status_column: Mapped[str] = mapped_column(String(255), default="Sync Status")
    state: Mapped[str] = mapped_column(String(16), default="active")  # active | paused
    paused_reason: Mapped[str] = mapped_column(Text, default="")
    backfilled: Mapped[bool] = mapped_column(Boolean, default=False)
    backfill_cursor: Mapped[str] = mapped_column(String(18), default="")
    watermark: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    allow_big_changes_once: Mapped[bool] = mapped_column(Boolean, default=False)
    sheet_version: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    rows_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    mappings: Mapped[list[MappingRow]] = relationship(
        back_populates="workflow", cascade="all, delete-orphan", order_by="MappingRow.position"
    )


class MappingRow(Base):
    __tablename__ = "field_mappings"
    __table_args__ = (UniqueConstraint("workflow_id", "column"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(255))
    column: Mapped[str] = mapped_column(String(255))
    direction: Mapped[str] = mapped_column(String(16))

    workflow: Mapped[WorkflowRow] = relationship(back_populates="mappings")


class RecordLink(Base):
    """A Salesforce record bound to a sheet row, with the values both sides last agreed on."""

    __tablename__ = "record_links"
    __table_args__ = (
        UniqueConstraint("workflow_id", "record_id"),
        UniqueConstraint("workflow_id", "row_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    record_id: Mapped[str | None] = mapped_column(String(18), nullable=True)
    row_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    synced_json: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(16), default="linked")  # planner.LinkState
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(Text, default="")  # what the status cell shows now
    errors_json: Mapped[str] = mapped_column(Text, default="{}")  # field → row error, kept
    pending: Mapped[bool] = mapped_column(Boolean, default=False)  # re-fetch the record
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GroupState(Base):
    """Polling state of one (Salesforce connection, object): its lease and back-off.
    Watermarks belong to each workflow (WorkflowRow.watermark)."""

    __tablename__ = "group_state"
    __table_args__ = (UniqueConstraint("connection_id", "object_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"))
    object_name: Mapped[str] = mapped_column(String(255))
    deleted_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    skip_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SyncError(Base):
    """A row- or workflow-level problem, kept until it clears; notified once per change."""

    __tablename__ = "sync_errors"
    __table_args__ = (Index("ix_sync_errors_open", "workflow_id", "resolved_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(16))  # row | workflow
    key: Mapped[str] = mapped_column(String(64))  # record id / row id / "" for workflow errors
    code: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workflow_id: Mapped[int] = mapped_column(
        ForeignKey("workflows.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    outcome: Mapped[str] = mapped_column(String(16), default="running")  # ok | partial | failed
    rows_created: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_deleted: Mapped[int] = mapped_column(Integer, default=0)
    records_created: Mapped[int] = mapped_column(Integer, default=0)
    records_updated: Mapped[int] = mapped_column(Integer, default=0)
    row_errors: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")


class ChangeRow(Base):
    """One value syncbot wrote (the audit trail), or a revert waiting for the next tick.
    Values are kept as canonical JSON so a revert writes back exactly what was there."""

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_workflow", "workflow_id", "id"),
        Index("ix_change_log_state", "state", "workflow_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    record_id: Mapped[str | None] = mapped_column(String(18), nullable=True)
    row_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    field: Mapped[str] = mapped_column(String(255))
    column: Mapped[str] = mapped_column(String(255))
    before_json: Mapped[str] = mapped_column(Text, default="null")
    after_json: Mapped[str] = mapped_column(Text, default="null")
    direction: Mapped[str] = mapped_column(String(16))  # Direction.TO_SMARTSHEET / TO_SALESFORCE
    caused_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # the change this one reverts; no foreign key: the original may be purged first
    revert_of: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state: Mapped[str] = mapped_column(String(16), default="done")  # done | pending | failed
    note: Mapped[str] = mapped_column(Text, default="")


class WorkflowDraft(Base):
    """A workflow being built in a Slack modal (issue #7). `private_metadata` holds only the
    id: Slack allows 3,000 characters there, a draft with many mappings needs more."""

    __tablename__ = "workflow_drafts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random hex, not guessable
    team_id: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)  # sync.draft.to_json
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


# The Slack app's tables share Base.metadata (imported last: they use Base).
from sync.store import app_tables as _app_tables  # noqa: E402, F401
