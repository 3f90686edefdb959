"""Q&A mode's tables: a story's mode, its designated experts, and each question's state."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime


class QaMode(StrEnum):
    OPEN = "open"  # readers ask, experts answer
    CLOSED = "closed"  # questions and answers stay; nothing new
    OFF = "off"  # the story is a plain comment thread again


class QaStory(Base):
    """A story switched to Q&A mode (no row: never was)."""

    __tablename__ = "qa_stories"
    __table_args__ = (CheckConstraint("mode in ('open', 'closed', 'off')", name="mode"),)

    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(8))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class QaExpert(Base):
    """Someone who may answer a story's questions: staff, or a reader invited for it."""

    __tablename__ = "qa_experts"

    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QaQuestion(Base):
    """A question's assignment and answer (a top-level comment without a row is unanswered)."""

    __tablename__ = "qa_questions"
    __table_args__ = (Index("ix_qa_questions_story", "story_id", "answered_at"),)

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None, index=True
    )
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), default=None
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
