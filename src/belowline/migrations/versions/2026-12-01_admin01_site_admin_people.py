"""site administration: SSO secret rotation, site auto-close, staff deactivation, invitations

Revision ID: admin01
Revises: mail01
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import belowline.db

revision: str = "admin01"
down_revision: str | None = "mail01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("sso_previous_secret", sa.String(length=512), nullable=True))
        batch.add_column(
            sa.Column("sso_previous_secret_until", belowline.db.UTCDateTime(), nullable=True)
        )
        batch.add_column(sa.Column("auto_close_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("deactivated_at", belowline.db.UTCDateTime(), nullable=True))
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by", sa.Integer(), nullable=True),
        sa.Column("created_at", belowline.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", belowline.db.UTCDateTime(), nullable=False),
        sa.Column("used_at", belowline.db.UTCDateTime(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_invitations_site_id_sites"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["invited_by"],
            ["users.id"],
            name=op.f("fk_invitations_invited_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_invitations_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_index(op.f("ix_invitations_site_id"), "invitations", ["site_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_invitations_site_id"), table_name="invitations")
    op.drop_table("invitations")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("deactivated_at")
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("auto_close_days")
        batch.drop_column("sso_previous_secret_until")
        batch.drop_column("sso_previous_secret")
