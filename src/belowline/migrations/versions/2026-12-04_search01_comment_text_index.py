"""search01: a trigram index for searching comments by text on PostgreSQL

Revision ID: search01
Revises: reader01
Create Date: 2026-12-01 16:00:00

Searching a site's archive by a word in the dashboard scanned every comment; pg_trgm serves
the same ILIKE through a GIN index (its pending list keeps a post's insert cheap). A server
without contrib, or a role that may not create extensions, keeps the scan rather than fail.
SQLite keeps the scan: an FTS5 table kept by triggers cost 0.9-2.8 ms on every post.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "search01"
down_revision: str | None = "reader01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).scalar()
    if not available:
        return
    try:
        with bind.begin_nested():  # a role that may not create extensions keeps the scan
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_comments_body_trgm ON comments "
        "USING gin (body_md gin_trgm_ops)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_comments_body_trgm")
