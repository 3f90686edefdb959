"""Queue items: a comment waiting in Reported, Flagged or Held, with its SLA clock's start."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime, enum_check


class QueueName(StrEnum):
    REPORTED = "reported"
    FLAGGED = "flagged"
    HELD = "held"


class QueueStatus(StrEnum):
    OPEN = "open"
    DECIDED = "decided"


class QueueItem(Base):
    """A comment waiting in one queue; reopened when new reports arrive after a decision."""

    __tablename__ = "queue_items"
    __table_args__ = (
        UniqueConstraint("comment_id", "queue"),
        CheckConstraint(enum_check("queue", QueueName), name="queue"),
        CheckConstraint(enum_check("status", QueueStatus), name="status"),
        Index("ix_queue_items_listing", "site_id", "queue", "status", "priority"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    queue: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=QueueStatus.OPEN)
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    report_weight: Mapped[float] = mapped_column(Float, default=0.0)
    reason: Mapped[str | None] = mapped_column(String(300), default=None)
    first_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL"), default=None
    )
