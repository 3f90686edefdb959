"""Every reporter is told what became of their report — never who decided it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment
from belowline.decisions.models import Decision, DecisionAction
from belowline.i18n.readers import N_, text_for
from belowline.mail.service import MailCategory, queue_email
from belowline.notifications import service as notifications_service
from belowline.notifications.models import NotificationKind
from belowline.reports.models import Report
from belowline.stories.models import Site, Story

EXCERPT = 140

# One sentence per outcome and deciding party: languages do not share a word order.
_OUTCOMES: dict[tuple[str, bool], str] = {
    (DecisionAction.REMOVE, False): N_(
        "Our moderators reviewed it on %(day)s and removed it: it broke our rule “%(rule)s”."
    ),
    (DecisionAction.REMOVE, True): N_(
        "Our automated system reviewed it on %(day)s and removed it: it broke our rule “%(rule)s”."
    ),
    (DecisionAction.AMEND, False): N_(
        "Our moderators reviewed it on %(day)s and edited it: part of it broke our rule “%(rule)s”."
    ),
    (DecisionAction.AMEND, True): N_(
        "Our automated system reviewed it on %(day)s and edited it: part of it broke our rule "
        "“%(rule)s”."
    ),
    (DecisionAction.APPROVE, False): N_(
        "Our moderators reviewed it on %(day)s and decided that it does not break our rules, "
        "so it stays up."
    ),
    (DecisionAction.APPROVE, True): N_(
        "Our automated system reviewed it on %(day)s and decided that it does not break our "
        "rules, so it stays up."
    ),
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
    outcome = _OUTCOMES.get((DecisionAction(decision.action), decision.automated))
    if outcome is None:
        return 0
    site = session.get(Site, decision.site_id)
    name = story.title or story.external_id
    users = session.scalars(
        select(User)
        .join(Report, User.id == Report.reporter_id)
        .where(Report.id.in_(list(report_ids)))
    ).all()
    for user in users:
        t = text_for(user, site)
        body = " ".join(
            (
                t(
                    "You reported a comment on “%(story)s”: “%(text)s”.",
                    story=name,
                    text=_excerpt(original),
                ),
                t(outcome, day=t.day(decision.created_at), rule=decision.rule_title),
                t("Thank you for telling us."),
            )
        )
        notifications_service.notify(
            session,
            user_id=user.id,
            site_id=decision.site_id,
            kind=NotificationKind.REPORT_OUTCOME,
            title=t("What happened to your report about a comment on “%(story)s”", story=name),
            body=body,
            now=decision.created_at,
            comment_id=comment.id,
            action=decision.action,
            rule_key=decision.rule_key,
            rule_title=decision.rule_title,
            automated=decision.automated,
            contestable=False,
            locale=t.locale,
        )
        if user.email:
            queue_email(
                session,
                site_id=decision.site_id,
                to=user.email,
                subject=t("What happened to your report"),
                text=body + "\n",
                now=decision.created_at,
                category=MailCategory.REPORT_OUTCOME,
                user_id=user.id,
                locale=t.locale,
            )
    return len(users)
