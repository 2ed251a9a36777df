"""Tables of the Slack app's own state: connect links, settings admins change from Slack,
error-DM incidents and per-user DM preferences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sync.store.tables import Base, UTCDateTime


class ConnectLink(Base):
    """A single-use connect link (10 minutes), bound to (team, user, provider). The
    provider's `state` and PKCE verifier are made only when the link is opened."""

    __tablename__ = "connect_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    provider: Mapped[str] = mapped_column(String(16))  # salesforce | smartsheet
    login_url: Mapped[str] = mapped_column(String(512), default="")
    response_url: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    state: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    code_verifier: Mapped[str] = mapped_column(String(128), default="")
    browser_hash: Mapped[str] = mapped_column(String(64), default="")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AppSetting(Base):
    """A setting admins change from Slack; team_id "" holds the installation-wide ones."""

    __tablename__ = "app_settings"
    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DmIncident(Base):
    """One error DM: a workflow's incident for one recipient, updated until it resolves."""

    __tablename__ = "dm_incidents"
    __table_args__ = (Index("ix_dm_incidents_open", "team_id", "user_id", "workflow_id", "open"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    open: Mapped[int] = mapped_column(Integer, default=1)
    problems_json: Mapped[str] = mapped_column(Text, default="{}")  # key -> [code, message]
    outcome: Mapped[str] = mapped_column(Text, default="")  # "Paused by @ana 14:02"
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DmPreference(Base):
    __tablename__ = "dm_preferences"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "workflow_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(16), default="all")  # all | mute | digest
