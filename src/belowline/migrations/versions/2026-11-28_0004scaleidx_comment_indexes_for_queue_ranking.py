"""comment indexes for queue ranking: story activity by time, author removals

Revision ID: 0004scaleidx
Revises: 0003staffing
Create Date: 2026-11-28 20:45:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004scaleidx"
down_revision: str | None = "0003staffing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A story's recent activity (queue priority) reads only the last hour's comments, and an
    # author's removals are counted from the index, however long the thread or the history.
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index("ix_comments_story_time", ["story_id", "created_at"], unique=False)
        batch_op.create_index("ix_comments_author_status", ["author_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_author_status")
        batch_op.drop_index("ix_comments_story_time")
