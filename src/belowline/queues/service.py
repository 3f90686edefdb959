"""Moderation queues: Reported (readers' reports), Flagged (triage), Held (pre-moderation).

Invariants: one item per comment per queue, reopened when new work arrives after a decision;
the Reported queue is ordered by weighted reports, then by age (the SLA clock, which starts
at the first report); a decision closes every open item of its comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from belowline import events, permissions
from belowline.accounts.models import User
from belowline.comments.models import Comment, CommentStatus
from belowline.comments.service import Followup, PostPolicy
from belowline.comments.staff_views import names, staff_comment, story_view
from belowline.comments.views import iso
from belowline.decisions.models import Decision
from belowline.decisions.views import decision_view
from belowline.errors import ErrorCode, InvalidInput
from belowline.people.history import author_summary
from belowline.permissions import require
from belowline.queues.models import QueueItem, QueueName, QueueStatus
from belowline.reports.models import Report, ReportReason, ReportStatus
from belowline.reports.views import report_view
from belowline.sanctions import service as sanctions
from belowline.staffing import sla
from belowline.stories.models import Story

DECIDED = "decided"
QUEUES = (*(q.value for q in QueueName), DECIDED)


def _item_for(session: Session, *, comment_id: int, queue: QueueName) -> QueueItem | None:
    return session.scalar(
        select(QueueItem).where(QueueItem.comment_id == comment_id, QueueItem.queue == queue)
    )


def open_item(
    session: Session,
    *,
    comment: Comment,
    queue: QueueName,
    now: datetime,
    reason: str | None = None,
    priority: float = 0.0,
) -> QueueItem:
    """Put a comment in a queue, or reopen its item there; the clock starts now if closed."""
    item = _item_for(session, comment_id=comment.id, queue=queue)
    created = False
    if item is None:
        fresh = QueueItem(
            site_id=comment.site_id,
            story_id=comment.story_id,
            comment_id=comment.id,
            queue=queue,
            status=QueueStatus.OPEN,
            priority=priority,
            report_count=0,
            report_weight=0.0,
            opened_at=now,
        )
        try:
            with session.begin_nested():
                session.add(fresh)
                session.flush()
            item, created = fresh, True
        except IntegrityError:
            # Another request opened this comment's item a moment ago (two readers reporting
            # it at once on PostgreSQL): use theirs, now committed, rather than fail.
            item = _item_for(session, comment_id=comment.id, queue=queue)
            if item is None:
                raise
    if not created and item.status != QueueStatus.OPEN:
        item.status = QueueStatus.OPEN
        item.opened_at = now
        item.first_reported_at = None
        item.decided_at = None
        item.report_count = 0
        item.report_weight = 0.0
        item.priority = priority
    elif not created:
        item.priority = max(item.priority, priority)
    if reason:
        item.reason = reason[:300]
    session.flush()
    return item


def reopen_reported(session: Session, *, comment_id: int) -> QueueItem | None:
    """Put a decided Reported item back in the queue as it was (its reports are open again)."""
    item = _item_for(session, comment_id=comment_id, queue=QueueName.REPORTED)
    if item is None or item.status == QueueStatus.OPEN:
        return item
    item.status = QueueStatus.OPEN
    item.decided_at = None
    item.decision_id = None
    session.flush()
    return item


def add_report(session: Session, *, comment: Comment, report: Report, now: datetime) -> QueueItem:
    """Count a new report on the comment's Reported item and re-rank it."""
    item = open_item(session, comment=comment, queue=QueueName.REPORTED, now=now)
    # Two reports at once (PostgreSQL): lock the row and read the other's count, or one is lost.
    session.refresh(item, with_for_update=True)
    if item.first_reported_at is None:
        item.first_reported_at = report.created_at
    item.report_count += 1
    item.report_weight = round(item.report_weight + report.weight, 3)
    item.priority = item.report_weight
    item.reason = report.reason
    session.flush()
    return item


def close_items(
    session: Session, *, comment_id: int, decision: Decision, now: datetime
) -> list[QueueItem]:
    """Mark every open item of a comment decided by `decision`."""
    items = session.scalars(
        select(QueueItem).where(
            QueueItem.comment_id == comment_id, QueueItem.status == QueueStatus.OPEN
        )
    ).all()
    for item in items:
        item.status = QueueStatus.DECIDED
        item.decided_at = now
        item.decision_id = decision.id
    session.flush()
    return list(items)


def moderation_policy(base: PostPolicy) -> PostPolicy:
    """Wrap a post policy: unacknowledged warnings block posting, held comments are queued."""

    def policy(
        session: Session, comment: Comment, story: Story, author: User, now: datetime
    ) -> Followup | None:
        sanctions.require_no_pending_warning(session, user=author)
        then = base(session, comment, story, author, now)
        if comment.status != CommentStatus.HELD:
            return then

        def queue_held() -> None:
            if then is not None:
                then()
            item = open_item(
                session, comment=comment, queue=QueueName.HELD, now=now, reason=comment.held_reason
            )
            events.record(
                session,
                events.ModerationChanged(
                    kind=QueueName.HELD,
                    site_id=comment.site_id,
                    comment_id=comment.id,
                    payload={
                        "queue": QueueName.HELD,
                        "item_id": item.id,
                        "story_id": story.external_id,
                    },
                ),
            )

        return queue_held

    return policy


def _check_filters(queue: str, reason: str | None) -> None:
    if queue not in QUEUES:
        raise InvalidInput(
            f"Unknown queue; choose one of {', '.join(QUEUES)}.", code=ErrorCode.VALIDATION_ERROR
        )
    if reason is not None and reason not in {r.value for r in ReportReason}:
        raise InvalidInput(
            "Unknown report reason filter.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "reason", "message": "unknown reason"}],
        )


def list_queue(
    session: Session,
    *,
    actor: User,
    queue: str,
    now: datetime,
    site_id: str | None = None,
    story_id: str | None = None,
    reason: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """Open items of a queue (or recent decisions), filtered, in working order."""
    site = site_id or actor.site_id
    require(permissions.can_view_queue, actor, site)
    _check_filters(queue, reason)
    if queue == DECIDED:
        return _decided(session, site_id=site, story_id=story_id, reason=reason, limit=limit)
    sla.refresh_priorities(session, site_id=site, queue=queue, now=now)
    stmt = (
        select(QueueItem, Comment, Story)
        .join(Comment, Comment.id == QueueItem.comment_id)
        .join(Story, Story.id == QueueItem.story_id)
        .where(
            QueueItem.site_id == site,
            QueueItem.queue == queue,
            QueueItem.status == QueueStatus.OPEN,
        )
    )
    if story_id:
        stmt = stmt.where(Story.external_id == story_id)
    if reason:
        stmt = stmt.where(
            exists().where(Report.comment_id == QueueItem.comment_id, Report.reason == reason)
        )
    stmt = stmt.order_by(
        QueueItem.priority.desc(),
        QueueItem.first_reported_at.asc(),
        QueueItem.opened_at.asc(),
        QueueItem.id.asc(),
    ).limit(limit)
    rows = session.execute(stmt).all()
    return {
        "queue": queue,
        "site_id": site,
        "items": [
            item_view(session, item, comment, story, now=now) for item, comment, story in rows
        ],
    }


def _reports(session: Session, comment_id: int) -> list[dict[str, Any]]:
    reports = session.scalars(
        select(Report).where(Report.comment_id == comment_id).order_by(Report.created_at)
    ).all()
    who = names(session, {r.reporter_id for r in reports})
    return [report_view(r, who.get(r.reporter_id, "Reader")) for r in reports]


def _parent(session: Session, comment: Comment, story: Story) -> dict[str, Any] | None:
    if comment.parent_id is None:
        return None
    parent = session.get(Comment, comment.parent_id)
    return staff_comment(session, parent, story) if parent else None


def item_view(
    session: Session, item: QueueItem, comment: Comment, story: Story, *, now: datetime
) -> dict[str, Any]:
    """One queue item: the comment in context, its reports, its author's record, its clock."""
    clock = sla.clock(session, item=item, now=now)
    reports = _reports(session, comment.id)
    return {
        "id": item.id,
        "queue": item.queue,
        "status": item.status,
        "priority": item.priority,
        "reason": item.reason,
        "report_count": item.report_count,
        "report_weight": item.report_weight,
        "open_reports": sum(1 for r in reports if r["status"] == ReportStatus.OPEN),
        "first_reported_at": iso(item.first_reported_at),
        "opened_at": iso(item.opened_at),
        "sla": clock,
        "sla_due_at": clock["due_at"],
        "breached": clock["breached"],
        "comment": staff_comment(session, comment, story),
        "context": {"story": story_view(story), "parent": _parent(session, comment, story)},
        "reports": reports,
        "scores": comment.scores,
        "author_history": author_summary(session, user_id=comment.author_id),
    }


def _decided(
    session: Session, *, site_id: str, story_id: str | None, reason: str | None, limit: int
) -> dict[str, Any]:
    stmt = (
        select(Decision, Comment, Story)
        .join(Comment, Comment.id == Decision.comment_id)
        .join(Story, Story.id == Comment.story_id)
        .where(Decision.site_id == site_id)
    )
    if story_id:
        stmt = stmt.where(Story.external_id == story_id)
    if reason:
        stmt = stmt.where(
            exists().where(Report.comment_id == Decision.comment_id, Report.reason == reason)
        )
    rows: Sequence[Any] = session.execute(
        stmt.order_by(Decision.created_at.desc(), Decision.id.desc()).limit(limit)
    ).all()
    who = names(session, {d.actor_id for d, _, _ in rows if d.actor_id})
    latest: dict[int, int] = {}
    for decision, _, _ in rows:
        latest.setdefault(decision.comment_id, decision.id)
    items = []
    for decision, comment, story in rows:
        view = decision_view(decision, who.get(decision.actor_id or 0))
        view["comment"] = staff_comment(session, comment, story)
        view["context"] = {"story": story_view(story)}
        view["undoable"] = latest[comment.id] == decision.id and (
            comment.status == CommentStatus.REMOVED or comment.moderator_edited
        )
        items.append(view)
    return {"queue": DECIDED, "site_id": site_id, "items": items}


def has_open_items(session: Session, *, comment_id: int) -> bool:
    """Return True if the comment waits in any queue."""
    return (
        session.scalar(
            select(QueueItem.id)
            .where(QueueItem.comment_id == comment_id, QueueItem.status == QueueStatus.OPEN)
            .limit(1)
        )
        is not None
    )
