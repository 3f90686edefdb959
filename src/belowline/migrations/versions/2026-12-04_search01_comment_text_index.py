"""search01: an index for searching comments by text (FTS5 trigram on SQLite, pg_trgm on PostgreSQL)

Revision ID: search01
Revises: reader01
Create Date: 2026-12-01 16:00:00

Searching a site's archive by a word in the dashboard scanned every comment; with these the
words are found through an index on either backend. Without FTS5 (a rare SQLite build) or
pg_trgm (a server without contrib), the migration leaves search as a scan rather than fail.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "search01"
down_revision: str | None = "reader01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = (
    """CREATE TRIGGER comment_search_insert AFTER INSERT ON comments BEGIN
         INSERT INTO comment_search(rowid, body_md) VALUES (new.id, new.body_md);
       END""",
    """CREATE TRIGGER comment_search_delete AFTER DELETE ON comments BEGIN
         INSERT INTO comment_search(comment_search, rowid, body_md)
         VALUES ('delete', old.id, old.body_md);
       END""",
    """CREATE TRIGGER comment_search_update AFTER UPDATE OF body_md ON comments BEGIN
         INSERT INTO comment_search(comment_search, rowid, body_md)
         VALUES ('delete', old.id, old.body_md);
         INSERT INTO comment_search(rowid, body_md) VALUES (new.id, new.body_md);
       END""",
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        try:
            op.execute(
                "CREATE VIRTUAL TABLE comment_search USING fts5("
                "body_md, content='comments', content_rowid='id', tokenize='trigram')"
            )
        except sa.exc.OperationalError:  # SQLite built without FTS5 or older than 3.34
            return
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO comment_search(comment_search) VALUES ('rebuild')")
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
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS comment_search_{name}")
        op.execute("DROP TABLE IF EXISTS comment_search")
        return
    op.execute("DROP INDEX IF EXISTS ix_comments_body_trgm")
