"""Moderation records: reports, queue items, decisions, sanctions, notes and the audit log.

A decision is a record first; the comment's state follows from it in the same transaction.
The audit log is append-only: the mapper refuses updates and deletes of its rows.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from belowline.db import Base, UTCDateTime


class ReportReason(StrEnum):
    ABUSIVE = "abusive"
    OFF_TOPIC = "off_topic"
    UNTRUE = "untrue"
    SPAM = "spam"
    OTHER = "other"


class ReportStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class QueueName(StrEnum):
    REPORTED = "reported"
    FLAGGED = "flagged"
    HELD = "held"


class QueueStatus(StrEnum):
    OPEN = "open"
    DECIDED = "decided"


class DecisionAction(StrEnum):
    APPROVE = "approve"
    AMEND = "amend"
    REMOVE = "remove"
    RESTORE = "restore"
    HOLD = "hold"  # automated only: held or hidden pending review (automated.record_hold)


class SanctionKind(StrEnum):
    WARN = "warn"
    SUSPEND = "suspend"
    BAN = "ban"
    PREMODERATE = "premoderate"


def _in(column: str, values: type[StrEnum]) -> str:
    return f"{column} in ({', '.join(repr(v.value) for v in values)})"


class Report(Base):
    """One reader's complaint about one comment."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("comment_id", "reporter_id"),
        CheckConstraint(_in("reason", ReportReason), name="reason"),
        CheckConstraint(_in("status", ReportStatus), name="status"),
        Index("ix_reports_reporter", "reporter_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(String(500), default=None)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ReporterStats(Base):
    """How a reader's reports fared; issue 4's trust weighting reads these counts."""

    __tablename__ = "reporter_stats"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    reports_total: Mapped[int] = mapped_column(Integer, default=0)
    reports_upheld: Mapped[int] = mapped_column(Integer, default=0)
    reports_dismissed: Mapped[int] = mapped_column(Integer, default=0)
    last_report_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class QueueItem(Base):
    """A comment waiting in one queue; reopened when new reports arrive after a decision."""

    __tablename__ = "queue_items"
    __table_args__ = (
        UniqueConstraint("comment_id", "queue"),
        CheckConstraint(_in("queue", QueueName), name="queue"),
        CheckConstraint(_in("status", QueueStatus), name="status"),
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


class Decision(Base):
    """What a moderator (or the triage pipeline) decided about a comment, and under which rule."""

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(_in("action", DecisionAction), name="action"),
        Index("ix_decisions_comment", "comment_id", "created_at"),
        Index("ix_decisions_site_time", "site_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(16))
    rule_key: Mapped[str] = mapped_column(String(64))
    rule_title: Mapped[str] = mapped_column(String(200))
    rules_version: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    message_to_author: Mapped[str | None] = mapped_column(Text, default=None)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    automated: Mapped[bool] = mapped_column(Boolean, default=False)
    before_digest: Mapped[str | None] = mapped_column(String(64), default=None)
    after_digest: Mapped[str | None] = mapped_column(String(64), default=None)
    comment_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Sanction(Base):
    """A measure against an account; active until `until` passes or an admin lifts it."""

    __tablename__ = "sanctions"
    __table_args__ = (
        CheckConstraint(_in("kind", SanctionKind), name="kind"),
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


class ModeratorNote(Base):
    """An internal note about a user, visible to the site's moderators only."""

    __tablename__ = "moderator_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """One row per moderation step; never updated or deleted."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_site_time", "site_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(Integer, default=None)
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(64))
    rule_key: Mapped[str | None] = mapped_column(String(64), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    before_digest: Mapped[str | None] = mapped_column(String(64), default=None)
    after_digest: Mapped[str | None] = mapped_column(String(64), default=None)
    automated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


def _refuse_change(_mapper: Any, _connection: Any, target: AuditEntry) -> None:
    raise PermissionError(f"audit entry {target.id} is append-only")


event.listen(AuditEntry, "before_update", _refuse_change)
event.listen(AuditEntry, "before_delete", _refuse_change)
