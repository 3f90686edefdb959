"""import records: the source id of each imported story, user and comment

Revision ID: imports01
Revises: 0006outbox
Create Date: 2026-11-29 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "imports01"
down_revision: str | None = "0006outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("parent_source_id", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_import_records_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_records")),
        sa.UniqueConstraint(
            "site_id",
            "source",
            "kind",
            "source_id",
            name=op.f("uq_import_records_site_id_source_kind_source_id"),
        ),
    )
    op.create_index(
        "ix_import_records_pending",
        "import_records",
        ["site_id", "source", "kind", "parent_source_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_import_records_pending", table_name="import_records")
    op.drop_table("import_records")
