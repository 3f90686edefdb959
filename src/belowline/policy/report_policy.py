"""Readers' reports under the coverage-aware policy: re-weigh the comment, and outside full
coverage hide it pending review when trusted reports weigh enough (never for a brigade)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.comments import state
from belowline.comments.models import Comment, CommentStatus
from belowline.policy import automated
from belowline.policy.config import RULE_FOR, policy_config
from belowline.queues.models import QueueItem
from belowline.reports import trust
from belowline.reports.models import Report, ReportStatus
from belowline.staffing import sla
from belowline.staffing.schedule import Coverage, coverage_at, site_schedule
from belowline.stories.models import Site, Story


def after_report(
    session: Session, *, comment: Comment, story: Story, item: QueueItem, now: datetime
) -> None:
    """Re-weigh a reported comment; outside full coverage, hide it if trusted reports suffice."""
    site = session.get(Site, comment.site_id)
    assert site is not None  # noqa: S101 - the comment's site exists
    config = policy_config(site)
    level, _ = coverage_at(site_schedule(site), now)
    weighed = trust.pressure(session, comment_id=comment.id, now=now, config=config["brigade"])
    comment.scores = {**(comment.scores or {}), "reports": weighed.to_json()}
    if weighed.brigade:
        item.reason = (
            f"Likely brigade: {weighed.low_trust_burst} reports from new or low-trust "
            f"accounts within {config['brigade'].get('window_minutes', 60)} minutes"
        )
    item.priority = sla.priority(
        session, item=item, comment=comment, story=story, now=now, report_weight=weighed
    )
    threshold = (config.get("report_hide_weight") or {}).get(level.value)
    if (
        threshold is None
        or comment.status != CommentStatus.PUBLISHED
        or weighed.effective_weight < float(threshold)
    ):
        session.flush()
        return
    state.change_status(session, comment, CommentStatus.HELD)
    comment.held_reason = (
        f"Hidden pending review: readers' reports weigh {weighed.effective_weight:.2f} "
        f"(threshold {float(threshold):.2f} at {level.value} coverage)"
    )[:300]
    automated.held_event(session, comment, story)
    reasons = [r for (r,) in session.execute(_report_reasons(comment.id)).all()]
    top = max(set(reasons), key=reasons.count) if reasons else "other"
    automated.record_hold(
        session,
        comment=comment,
        story=story,
        rule=automated.cite(
            session, site_id=comment.site_id, preferred=RULE_FOR.get(top, "respect")
        ),
        why=f"several readers reported it as {top.replace('_', ' ')} while "
        + ("no moderator was on duty" if level == Coverage.NONE else "few moderators were on duty"),
        note=f"Automated hide at {level.value} coverage: {comment.held_reason}",
        now=now,
    )


def _report_reasons(comment_id: int) -> Any:
    return select(Report.reason).where(
        Report.comment_id == comment_id, Report.status == ReportStatus.OPEN
    )
