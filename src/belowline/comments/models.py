"""Comments, their revisions and reactions; indexes keep every thread query O(page)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime


class CommentStatus(StrEnum):
    PUBLISHED = "published"
    HELD = "held"
    REMOVED = "removed"
    DELETED = "deleted"


class RevisionKind(StrEnum):
    ORIGINAL = "original"
    AUTHOR_EDIT = "author_edit"
    MODERATOR_AMEND = "moderator_amend"
    RESTORE = "restore"


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("status in ('published', 'held', 'removed', 'deleted')", name="status"),
        Index("ix_comments_thread_time", "story_id", "depth", "created_at", "id"),
        Index("ix_comments_thread_reactions", "story_id", "depth", "reaction_count", "id"),
        Index("ix_comments_thread_replies", "story_id", "depth", "reply_count", "id"),
        Index("ix_comments_replies", "parent_id", "created_at", "id"),
        Index("ix_comments_author", "author_id", "created_at"),
        Index("ix_comments_author_status", "author_id", "status"),
        Index("ix_comments_story_time", "story_id", "created_at"),
        Index("ix_comments_story_featured", "story_id", "featured", "created_at", "id"),
        Index("ix_comments_site_status", "site_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), default=None)
    root_id: Mapped[int | None] = mapped_column(Integer, default=None)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default=CommentStatus.PUBLISHED)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    moderator_edited: Mapped[bool] = mapped_column(Boolean, default=False)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    reaction_count: Mapped[int] = mapped_column(Integer, default=0)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    removal_rule_id: Mapped[str | None] = mapped_column(String(64), default=None)
    removal_reason: Mapped[str | None] = mapped_column(String(300), default=None)
    held_reason: Mapped[str | None] = mapped_column(String(300), default=None)
    scores: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    imported_from: Mapped[str | None] = mapped_column(String(32), default=None)


class CommentRevision(Base):
    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Reaction(Base):
    __tablename__ = "reactions"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
