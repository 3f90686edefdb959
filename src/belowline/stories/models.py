"""Sites (one publisher property each) and stories (the articles comments hang below)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    sso_secret: Mapped[str | None] = mapped_column(String(512), default=None)
    sso_public_key: Mapped[str | None] = mapped_column(Text, default=None)
    sso_jwks: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    sso_jwks_url: Mapped[str | None] = mapped_column(String(1000), default=None)
    sso_algorithms: Mapped[list[str]] = mapped_column(JSON, default=list)
    sso_issuer: Mapped[str | None] = mapped_column(String(500), default=None)
    sso_audience: Mapped[str | None] = mapped_column(String(500), default=None)
    # The HS256 secret before the last rotation, still accepted until the grace period ends.
    sso_previous_secret: Mapped[str | None] = mapped_column(String(512), default=None)
    sso_previous_secret_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    subscribe_url: Mapped[str | None] = mapped_column(String(1000), default=None)
    signin_url: Mapped[str | None] = mapped_column(String(1000), default=None)
    api_key_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    edit_window_seconds: Mapped[int] = mapped_column(Integer, default=300)
    max_comment_length: Mapped[int] = mapped_column(Integer, default=3000)
    auto_close_days: Mapped[int | None] = mapped_column(Integer, default=None)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Bumped by every change to what a post reads of its site (this row, rules, warnings), so
    # each worker process can keep those facts and see another's change (stories/facts.py).
    facts_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Story(Base):
    __tablename__ = "stories"
    __table_args__ = (UniqueConstraint("site_id", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    premoderate: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_close_days: Mapped[int | None] = mapped_column(Integer, default=None)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The newsroom's pinned note above the thread (markdown source and its sanitised HTML).
    announcement_md: Mapped[str | None] = mapped_column(Text, default=None)
    announcement_html: Mapped[str | None] = mapped_column(Text, default=None)
    announcement_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
