"""A reader's email preferences and the record of what became of each queued email."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime, enum_check


class Digest(StrEnum):
    OFF = "off"
    DAILY = "daily"


class MailOutcome(StrEnum):
    SENT = "sent"
    DROPPED = "dropped"  # not sent on purpose: preference off, no address, account erased
    REJECTED = "rejected"  # the SMTP server refused it for good (5xx)


class ReaderPreferences(Base):
    """Which emails a reader wants; missing row = the defaults (replies off, the rest on)."""

    __tablename__ = "reader_preferences"
    __table_args__ = (CheckConstraint(enum_check("digest", Digest), name="digest"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email_replies: Mapped[bool] = mapped_column(Boolean, default=False)
    email_decisions: Mapped[bool] = mapped_column(Boolean, default=True)
    email_report_outcomes: Mapped[bool] = mapped_column(Boolean, default=True)
    digest: Mapped[str] = mapped_column(String(16), default=Digest.OFF)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MailLogEntry(Base):
    """What happened to one email; holds no address or text, only ids and the reason."""

    __tablename__ = "mail_log"
    __table_args__ = (
        CheckConstraint(enum_check("outcome", MailOutcome), name="outcome"),
        Index("ix_mail_log_site_time", "site_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(Integer, index=True)
    site_id: Mapped[str | None] = mapped_column(String(64), default=None)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    category: Mapped[str] = mapped_column(String(24))
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    message_id: Mapped[str | None] = mapped_column(String(300), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
