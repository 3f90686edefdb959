"""qa mode: a story's Q&A state, its designated experts, and each question's assignment and answer

Revision ID: qa01
Revises: speed201
Create Date: 2026-12-01 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from belowline.db import UTCDateTime

revision: str = "qa01"
down_revision: str | None = "speed201"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "qa_stories",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("mode in ('open', 'closed', 'off')", name=op.f("ck_qa_stories_mode")),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name=op.f("fk_qa_stories_story_id_stories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_qa_stories_site_id_sites"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["users.id"], name=op.f("fk_qa_stories_changed_by_users")
        ),
        sa.PrimaryKeyConstraint("story_id", name=op.f("pk_qa_stories")),
    )
    op.create_index(op.f("ix_qa_stories_site_id"), "qa_stories", ["site_id"], unique=False)
    op.create_table(
        "qa_experts",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name=op.f("fk_qa_experts_story_id_stories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_qa_experts_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["added_by"], ["users.id"], name=op.f("fk_qa_experts_added_by_users")
        ),
        sa.PrimaryKeyConstraint("story_id", "user_id", name=op.f("pk_qa_experts")),
    )
    op.create_index(op.f("ix_qa_experts_user_id"), "qa_experts", ["user_id"], unique=False)
    op.create_table(
        "qa_questions",
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("assigned_by", sa.Integer(), nullable=True),
        sa.Column("assigned_at", UTCDateTime(), nullable=True),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_qa_questions_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name=op.f("fk_qa_questions_story_id_stories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["users.id"],
            name=op.f("fk_qa_questions_assignee_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by"], ["users.id"], name=op.f("fk_qa_questions_assigned_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["comments.id"],
            name=op.f("fk_qa_questions_answer_id_comments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("comment_id", name=op.f("pk_qa_questions")),
    )
    op.create_index(
        "ix_qa_questions_story", "qa_questions", ["story_id", "answered_at"], unique=False
    )
    op.create_index(
        op.f("ix_qa_questions_assignee_id"), "qa_questions", ["assignee_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_qa_questions_assignee_id"), table_name="qa_questions")
    op.drop_index("ix_qa_questions_story", table_name="qa_questions")
    op.drop_table("qa_questions")
    op.drop_index(op.f("ix_qa_experts_user_id"), table_name="qa_experts")
    op.drop_table("qa_experts")
    op.drop_index(op.f("ix_qa_stories_site_id"), table_name="qa_stories")
    op.drop_table("qa_stories")
