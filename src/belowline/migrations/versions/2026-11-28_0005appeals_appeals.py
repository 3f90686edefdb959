"""appeals: one per decision or sanction, resolved by a different moderator

Revision ID: 0005appeals
Revises: 0004scaleidx
Create Date: 2026-11-28 20:44:09.145912
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import belowline.db

revision: str = "0005appeals"
down_revision: str | None = "0004scaleidx"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("appellant_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("sanction_id", sa.Integer(), nullable=True),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("statement", sa.String(length=1000), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", belowline.db.UTCDateTime(), nullable=False),
        sa.Column("resolved_at", belowline.db.UTCDateTime(), nullable=True),
        sa.Column("resolver_id", sa.Integer(), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("outcome_decision_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status in ('open', 'upheld', 'overturned')", name=op.f("ck_appeals_status")
        ),
        sa.CheckConstraint(
            "(decision_id is null) <> (sanction_id is null)", name=op.f("ck_appeals_one_subject")
        ),
        sa.ForeignKeyConstraint(
            ["appellant_id"],
            ["users.id"],
            name=op.f("fk_appeals_appellant_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_appeals_comment_id_comments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_appeals_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_decision_id"],
            ["decisions.id"],
            name=op.f("fk_appeals_outcome_decision_id_decisions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["resolver_id"], ["users.id"], name=op.f("fk_appeals_resolver_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["sanction_id"],
            ["sanctions.id"],
            name=op.f("fk_appeals_sanction_id_sanctions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_appeals_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_appeals_decision_id")),
        sa.UniqueConstraint("sanction_id", name=op.f("uq_appeals_sanction_id")),
    )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.create_index("ix_appeals_appellant", ["appellant_id", "created_at"], unique=False)
        batch_op.create_index(
            "ix_appeals_site_status", ["site_id", "status", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_index("ix_appeals_site_status")
        batch_op.drop_index("ix_appeals_appellant")

    op.drop_table("appeals")
