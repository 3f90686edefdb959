"""mutes: a reader's own list of readers whose comments collapse for them

Revision ID: reader01
Revises: harden01
Create Date: 2026-12-01 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from belowline.db import UTCDateTime

revision: str = "reader01"
down_revision: str | None = "harden01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mutes",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("muted_user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mutes_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["muted_user_id"],
            ["users.id"],
            name=op.f("fk_mutes_muted_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "muted_user_id", name=op.f("pk_mutes")),
    )
    op.create_index(op.f("ix_mutes_muted_user_id"), "mutes", ["muted_user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_mutes_muted_user_id"), table_name="mutes")
    op.drop_table("mutes")
