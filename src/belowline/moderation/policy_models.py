"""Tables for automated moderation: per-site triage models and flags on users' records.

A `TriageModel` row is kept for every training run, adopted or not, so the figures behind each
choice stay on the record; the adopted one is named in the site's settings. A `UserFlag` asks
moderators to consider a step (such as a suspension) that only a person should take.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime


class TriageModel(Base):
    """One training run of a site's model: its figures, and its weights if it was adopted."""

    __tablename__ = "triage_models"
    __table_args__ = (Index("ix_triage_models_site", "site_id", "kind", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    adopted: Mapped[bool] = mapped_column(Boolean, default=False)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UserFlag(Base):
    """A prompt on a user's record for moderators, open until someone resolves it."""

    __tablename__ = "user_flags"
    __table_args__ = (Index("ix_user_flags_user", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
