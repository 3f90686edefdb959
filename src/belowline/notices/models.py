"""Notices from anyone about a comment, with the UK notice-of-complaint workflow's state."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime, enum_check


class NoticeReason(StrEnum):
    ILLEGAL = "illegal"
    DEFAMATION = "defamation"
    PRIVACY = "privacy"
    COPYRIGHT = "copyright"
    OTHER = "other"


class NoticeStatus(StrEnum):
    OPEN = "open"
    DECIDED = "decided"


class NoticeOutcome(StrEnum):
    ACTION = "action"  # the comment was decided through decisions.service
    NO_ACTION = "no_action"


class DefamationRoute(StrEnum):
    CONTACT_POSTER = "contact_poster"  # the statutory route (Regulations 2013, Schedule)
    REMOVE_ON_NOTICE = "remove_on_notice"


class PosterReply(StrEnum):
    REMOVE = "remove"
    OBJECT = "object"


class Notice(Base):
    """One notice about one comment, from anyone (signed in or not)."""

    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint(enum_check("reason", NoticeReason), name="reason"),
        CheckConstraint(enum_check("status", NoticeStatus), name="status"),
        Index("ix_notices_queue", "site_id", "status", "received_at"),
        Index("ix_notices_comment", "comment_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(16))
    explanation: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    email: Mapped[str] = mapped_column(String(320))
    location: Mapped[str | None] = mapped_column(String(1000), default=None)
    good_faith: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=NoticeStatus.OPEN)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(16), default=None)
    outcome_reason: Mapped[str | None] = mapped_column(Text, default=None)
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL"), default=None
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # The UK notice of complaint (Defamation Act 2013 s.5(6), Regulations 2013 reg. 2).
    uk_complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    statement: Mapped[str | None] = mapped_column(Text, default=None)
    meaning: Mapped[str | None] = mapped_column(Text, default=None)
    why_defamatory: Mapped[str | None] = mapped_column(Text, default=None)
    inaccurate: Mapped[str | None] = mapped_column(Text, default=None)
    poster_unknown: Mapped[bool] = mapped_column(Boolean, default=False)
    share_details: Mapped[bool] = mapped_column(Boolean, default=False)
    route: Mapped[str | None] = mapped_column(String(24), default=None)
    respond_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    poster_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    reply_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    poster_reply: Mapped[str | None] = mapped_column(String(16), default=None)
    poster_replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    poster_full_name: Mapped[str | None] = mapped_column(String(200), default=None)
    poster_address: Mapped[str | None] = mapped_column(Text, default=None)
    poster_consents: Mapped[bool] = mapped_column(Boolean, default=False)
    action_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    action_due_for: Mapped[str | None] = mapped_column(String(200), default=None)
    disclosed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
