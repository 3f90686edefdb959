"""mail and privacy: reader preferences, the mail log, erased accounts

Revision ID: mail01
Revises: imports01
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import belowline.db

revision: str = "mail01"
down_revision: str | None = "imports01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reader_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email_replies", sa.Boolean(), nullable=False),
        sa.Column("email_decisions", sa.Boolean(), nullable=False),
        sa.Column("email_report_outcomes", sa.Boolean(), nullable=False),
        sa.Column("digest", sa.String(length=16), nullable=False),
        sa.Column("last_digest_at", belowline.db.UTCDateTime(), nullable=True),
        sa.Column("updated_at", belowline.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("digest in ('off', 'daily')", name=op.f("ck_reader_preferences_digest")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reader_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reader_preferences")),
    )
    op.create_table(
        "mail_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(length=300), nullable=True),
        sa.Column("created_at", belowline.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "outcome in ('sent', 'dropped', 'rejected')", name=op.f("ck_mail_log_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mail_log_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_log")),
    )
    op.create_index(op.f("ix_mail_log_outbox_id"), "mail_log", ["outbox_id"])
    op.create_index("ix_mail_log_site_time", "mail_log", ["site_id", "created_at"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("erased_at", belowline.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("erased_at")
    op.drop_index("ix_mail_log_site_time", table_name="mail_log")
    op.drop_index(op.f("ix_mail_log_outbox_id"), table_name="mail_log")
    op.drop_table("mail_log")
    op.drop_table("reader_preferences")
