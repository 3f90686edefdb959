"""Decisions on comments: a record first; the comment's state follows in the same transaction."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime, enum_check


class DecisionAction(StrEnum):
    APPROVE = "approve"
    AMEND = "amend"
    REMOVE = "remove"
    RESTORE = "restore"
    HOLD = "hold"  # automated only: held or hidden pending review (automated.record_hold)


class Decision(Base):
    """What a moderator (or the triage pipeline) decided about a comment, and under which rule."""

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(enum_check("action", DecisionAction), name="action"),
        Index("ix_decisions_comment", "comment_id", "created_at"),
        Index("ix_decisions_site_time", "site_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(16))
    rule_key: Mapped[str] = mapped_column(String(64))
    rule_title: Mapped[str] = mapped_column(String(200))
    rules_version: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    message_to_author: Mapped[str | None] = mapped_column(Text, default=None)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    automated: Mapped[bool] = mapped_column(Boolean, default=False)
    before_digest: Mapped[str | None] = mapped_column(String(64), default=None)
    after_digest: Mapped[str | None] = mapped_column(String(64), default=None)
    comment_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
