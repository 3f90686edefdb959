"""Readers' reports ("Report this comment"): one per reader per comment, weighed by trust.

Invariants: nobody reports their own comment; removed, deleted, held-from-them or missing
comments are 'not found'; the report, the queue item and the audit entry are one write.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from belowline import events
from belowline.accounts.models import User
from belowline.audit import service as audit
from belowline.comments import service as comments_service
from belowline.comments.models import CommentStatus
from belowline.errors import BelowlineError, ErrorCode, Forbidden, InvalidInput, NotFound
from belowline.permissions import can_report
from belowline.policy import report_policy
from belowline.queues import service as queues
from belowline.queues.models import QueueName
from belowline.reports import trust
from belowline.reports.models import Report, ReporterStats, ReportReason, ReportStatus

DETAIL_MAX = 500
RECEIPT = "Thanks — a moderator will look at this"


def reporter_weight(stats: ReporterStats | None) -> float:
    """Weight of a reader's next report: 1.0 for a newcomer, more if their reports were upheld.

    Laplace-smoothed share of upheld reports, doubled and kept within [0.25, 2.0]; issue 4's
    trust model may replace this.
    """
    upheld = stats.reports_upheld if stats else 0
    dismissed = stats.reports_dismissed if stats else 0
    share = (upheld + 1) / (upheld + dismissed + 2)
    return round(min(2.0, max(0.25, 2 * share)), 3)


def _validate(reason: str, detail: str | None) -> tuple[ReportReason, str | None]:
    try:
        parsed = ReportReason(reason)
    except ValueError:
        choices = ", ".join(r.value for r in ReportReason)
        raise InvalidInput(
            f"Choose one of the reasons: {choices}.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "reason", "message": f"one of {choices}"}],
        ) from None
    text = (detail or "").strip() or None
    if text is not None and len(text) > DETAIL_MAX:
        raise InvalidInput(
            f"Keep the details to {DETAIL_MAX} characters; this has {len(text)}.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "detail", "message": f"at most {DETAIL_MAX} characters"}],
        )
    return parsed, text


def report_comment(
    session: Session,
    *,
    comment_id: int,
    reporter: User,
    reason: str,
    detail: str | None,
    now: datetime,
) -> Report:
    """Record a reader's report and put the comment in (or back in) the Reported queue."""
    comment, story = comments_service.comment_for_action(
        session, comment_id=comment_id, actor=reporter
    )
    if comment.status in (CommentStatus.REMOVED, CommentStatus.DELETED):
        raise NotFound("There is no such comment.", code=ErrorCode.COMMENT_NOT_FOUND)
    if not can_report(reporter, comment.author_id):
        raise Forbidden("You cannot report your own comment.", code=ErrorCode.CANNOT_REPORT_OWN)
    parsed, text = _validate(reason, detail)
    already = BelowlineError(
        "You have already reported this comment; a moderator will look at it.",
        code=ErrorCode.ALREADY_REPORTED,
        status_code=409,
    )
    earlier = session.scalar(
        select(Report.status).where(
            Report.comment_id == comment.id, Report.reporter_id == reporter.id
        )
    )
    if earlier is not None and earlier != ReportStatus.OPEN:
        raise BelowlineError(
            "A moderator has already decided on this comment after your report; "
            "you will find the outcome in your notices.",
            code=ErrorCode.ALREADY_DECIDED,
            status_code=409,
        )
    if earlier is not None:
        raise already
    stats = session.get(ReporterStats, reporter.id)
    report = Report(
        site_id=comment.site_id,
        comment_id=comment.id,
        reporter_id=reporter.id,
        reason=parsed,
        detail=text,
        weight=trust.report_weight(reporter, stats, now=now),
        created_at=now,
    )
    session.add(report)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # a double click that raced past the check above
        raise already from None
    if stats is None:
        stats = ReporterStats(
            user_id=reporter.id,
            site_id=reporter.site_id,
            reports_total=0,
            reports_upheld=0,
            reports_dismissed=0,
        )
        session.add(stats)
    stats.reports_total += 1
    stats.last_report_at = now
    item = queues.add_report(session, comment=comment, report=report, now=now)
    report_policy.after_report(session, comment=comment, story=story, item=item, now=now)
    audit.write(
        session,
        site_id=comment.site_id,
        actor=reporter,
        action="report",
        target_type="comment",
        target_id=comment.id,
        note=f"{parsed.value}: {text}" if text else parsed.value,
        now=now,
    )
    events.record(
        session,
        events.ModerationChanged(
            kind=QueueName.REPORTED,
            site_id=comment.site_id,
            comment_id=comment.id,
            payload={
                "queue": QueueName.REPORTED,
                "item_id": item.id,
                "story_id": story.external_id,
                "report_count": item.report_count,
                "reason": parsed.value,
            },
        ),
    )
    return report
