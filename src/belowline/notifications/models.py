"""A user's in-app inbox: statements of reasons and other notices."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime


class NotificationKind(StrEnum):
    DECISION = "decision"
    SANCTION = "sanction"
    SANCTION_LIFTED = "sanction_lifted"
    NOTICE = "notice"
    APPEAL = "appeal"
    REPLY = "reply"


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_inbox", "user_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), default=None
    )
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL"), default=None
    )
    sanction_id: Mapped[int | None] = mapped_column(
        ForeignKey("sanctions.id", ondelete="SET NULL"), default=None
    )
    action: Mapped[str | None] = mapped_column(String(24), default=None)
    rule_key: Mapped[str | None] = mapped_column(String(64), default=None)
    rule_title: Mapped[str | None] = mapped_column(String(200), default=None)
    automated: Mapped[bool] = mapped_column(Boolean, default=False)
    contest: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
