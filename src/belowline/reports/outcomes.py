"""Every reporter is told what became of their report — never who decided it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment
from belowline.decisions.models import Decision, DecisionAction
from belowline.mail.service import MailCategory, queue_email
from belowline.notifications import service as notifications_service
from belowline.notifications.models import NotificationKind
from belowline.reports.models import Report
from belowline.stories.models import Story

EXCERPT = 140

_OUTCOMES = {
    DecisionAction.REMOVE: "removed it: it broke our rule “{rule}”",
    DecisionAction.AMEND: "edited it: part of it broke our rule “{rule}”",
    DecisionAction.APPROVE: "decided that it does not break our rules, so it stays up",
}


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1].rstrip() + "…"


def open_report_ids(session: Session, *, comment_id: int) -> list[int]:
    """The comment's open reports before a decision (their reporters will be told)."""
    from belowline.reports.models import ReportStatus

    return list(
        session.scalars(
            select(Report.id).where(
                Report.comment_id == comment_id, Report.status == ReportStatus.OPEN
            )
        ).all()
    )


def tell_reporters(
    session: Session,
    *,
    report_ids: Sequence[int],
    decision: Decision,
    comment: Comment,
    story: Story,
    original: str,
) -> int:
    """An inbox notice (and an email, if the reader has an address) for each resolved report."""
    if not report_ids:
        return 0
    outcome = _OUTCOMES.get(DecisionAction(decision.action))
    if outcome is None:
        return 0
    who = "Our automated system" if decision.automated else "Our moderators"
    title = f"What happened to your report about a comment on “{story.title or story.external_id}”"
    body = (
        f"You reported a comment on “{story.title or story.external_id}”: “{_excerpt(original)}”. "
        f"{who} reviewed it on {decision.created_at.strftime('%d %B %Y')} and "
        f"{outcome.format(rule=decision.rule_title)}. Thank you for telling us."
    )
    rows = session.execute(
        select(Report.id, User.id, User.email)
        .join(User, User.id == Report.reporter_id)
        .where(Report.id.in_(list(report_ids)))
    ).all()
    for _, user_id, email in rows:
        notifications_service.notify(
            session,
            user_id=user_id,
            site_id=decision.site_id,
            kind=NotificationKind.REPORT_OUTCOME,
            title=title,
            body=body,
            now=decision.created_at,
            comment_id=comment.id,
            action=decision.action,
            rule_key=decision.rule_key,
            rule_title=decision.rule_title,
            automated=decision.automated,
            contestable=False,
        )
        if email:
            queue_email(
                session,
                site_id=decision.site_id,
                to=email,
                subject="What happened to your report",
                text=body + "\n",
                now=decision.created_at,
                category=MailCategory.REPORT_OUTCOME,
                user_id=user_id,
            )
    return len(rows)
