"""Appeals: an author (or a sanctioned user) contests one decision; another moderator resolves.

One appeal per decision or sanction (unique constraints); exactly one of the two is set.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime


class AppealStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # the decision stands
    OVERTURNED = "overturned"  # the decision was reversed


class Appeal(Base):
    """A request for a second look at a decision, and how it ended."""

    __tablename__ = "appeals"
    __table_args__ = (
        CheckConstraint("status in ('open', 'upheld', 'overturned')", name="status"),
        CheckConstraint("(decision_id is null) <> (sanction_id is null)", name="one_subject"),
        Index("ix_appeals_site_status", "site_id", "status", "created_at"),
        Index("ix_appeals_appellant", "appellant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    appellant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), unique=True, default=None
    )
    sanction_id: Mapped[int | None] = mapped_column(
        ForeignKey("sanctions.id", ondelete="CASCADE"), unique=True, default=None
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), default=None
    )
    statement: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16), default=AppealStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    resolver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    resolution_note: Mapped[str | None] = mapped_column(Text, default=None)
    outcome_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL"), default=None
    )
