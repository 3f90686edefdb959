"""Sanctions on accounts: warn, suspend, ban, pre-moderate."""

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
from belowline.stories import facts


class SanctionKind(StrEnum):
    WARN = "warn"
    SUSPEND = "suspend"
    BAN = "ban"
    PREMODERATE = "premoderate"


class Sanction(Base):
    """A measure against an account; active until `until` passes or an admin lifts it."""

    __tablename__ = "sanctions"
    __table_args__ = (
        CheckConstraint(enum_check("kind", SanctionKind), name="kind"),
        Index("ix_sanctions_user", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    rule_key: Mapped[str] = mapped_column(String(64))
    rule_title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text, default=None)
    message_to_user: Mapped[str | None] = mapped_column(Text, default=None)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    automated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    lift_note: Mapped[str | None] = mapped_column(Text, default=None)


facts.watch(Sanction)  # warnings (and every other measure) are checked from per-process facts
