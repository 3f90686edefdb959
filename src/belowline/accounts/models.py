"""Users of one site: commenters, moderators and admins, with subscription and sanction state."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime


class Role(StrEnum):
    COMMENTER = "commenter"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("site_id", "external_id"),
        UniqueConstraint("site_id", "email"),
        CheckConstraint("role in ('commenter', 'moderator', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(200), default=None)
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    role: Mapped[str] = mapped_column(String(16), default=Role.COMMENTER)
    is_subscriber: Mapped[bool] = mapped_column(Boolean, default=False)
    subscription_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    banned: Mapped[bool] = mapped_column(Boolean, default=False)
    premoderated_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    premoderated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Set when the person's personal data was erased: the row stays so records keep their ids.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # A deactivated staff account cannot sign in or act; its tokens and sessions stop working.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Bumped by signing out: every dashboard cookie issued before it stops working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The dashboard language a staff member chose (None: their browser's Accept-Language).
    locale: Mapped[str | None] = mapped_column(String(16), default=None)

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)


class Mute(Base):
    """A reader hides another reader's comments for themselves, on every device."""

    __tablename__ = "mutes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    muted_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
