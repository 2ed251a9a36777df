"""workflow drafts of the Slack builder modal

Revision ID: 0004
Revises: 0003 (0001 on its own branch)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"  # "0001" on its own branch; chained after slack-app's 0003 here
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workflow_drafts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_drafts")),
    )
    op.create_index(
        op.f("ix_workflow_drafts_updated_at"), "workflow_drafts", ["updated_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_workflow_drafts_updated_at"), table_name="workflow_drafts")
    op.drop_table("workflow_drafts")
