"""A user's in-app inbox: statements of reasons and other notices."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, event, inspect
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime


class NotificationKind(StrEnum):
    DECISION = "decision"
    SANCTION = "sanction"
    SANCTION_LIFTED = "sanction_lifted"
    NOTICE = "notice"
    APPEAL = "appeal"
    REPLY = "reply"
    REPORT_OUTCOME = "report_outcome"


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


# What a notice said is evidence (a statement of reasons is stored unchanged once sent): only
# its read state may change after it is written.
SEALED = (
    "site_id",
    "user_id",
    "kind",
    "title",
    "body",
    "rule_key",
    "rule_title",
    "automated",
    "contest",
    "action",
    "created_at",
)


@event.listens_for(Notification, "before_update")
def _sealed(_mapper: Any, _connection: Any, target: Notification) -> None:
    state = inspect(target)
    changed = [name for name in SEALED if state.attrs[name].history.has_changes()]
    if changed:
        raise ValueError(f"A sent notice cannot be rewritten ({', '.join(changed)}).")
