"""editor01: webhooks and their delivery log; story announcements

Revision ID: editor01
Revises: admin01
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import belowline.db

revision: str = "editor01"
down_revision: str | None = "admin01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", belowline.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_webhooks_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_index("ix_webhooks_site_active", "webhooks", ["site_id", "active"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("response_excerpt", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("attempted_at", belowline.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhooks.id"],
            name=op.f("fk_webhook_deliveries_webhook_id_webhooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
    )
    op.create_index("ix_webhook_deliveries_hook", "webhook_deliveries", ["webhook_id", "id"])
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("announcement_md", sa.Text(), nullable=True))
        batch.add_column(sa.Column("announcement_html", sa.Text(), nullable=True))
        batch.add_column(sa.Column("announcement_at", belowline.db.UTCDateTime(), nullable=True))
    # The Featured sort: a story's featured comments, newest first.
    op.create_index(
        "ix_comments_story_featured", "comments", ["story_id", "featured", "created_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_comments_story_featured", table_name="comments")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("announcement_at")
        batch.drop_column("announcement_html")
        batch.drop_column("announcement_md")
    op.drop_index("ix_webhook_deliveries_hook", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index("ix_webhooks_site_active", table_name="webhooks")
    op.drop_table("webhooks")
