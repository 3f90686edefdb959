"""outbox: messages (email, webhooks) written with their cause, delivered by a worker

Revision ID: 0006outbox
Revises: 0005appeals
Create Date: 2026-12-01 11:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import belowline.db

revision: str = "0006outbox"
down_revision: str | None = "0005appeals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", belowline.db.UTCDateTime(), nullable=False),
        sa.Column("created_at", belowline.db.UTCDateTime(), nullable=False),
        sa.Column("sent_at", belowline.db.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint("status in ('pending', 'sent', 'dead')", name=op.f("ck_outbox_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at", "id"])
    op.create_index(op.f("ix_outbox_site_id"), "outbox", ["site_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_site_id"), table_name="outbox")
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_table("outbox")
