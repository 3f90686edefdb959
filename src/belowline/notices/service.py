"""Notices from anyone (DSA Art. 16): filed without signing in, decided by a moderator.

Invariants: a notice names a visible comment of this site; the notice, its audit entry, the
receipt email and the `notice.created` event are one write; deciding a notice goes through
decisions.service (or records "no action" with a reason) and tells the notifier by email.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline import events, permissions
from belowline.accounts.models import User
from belowline.audit import service as audit
from belowline.comments import service as comments_service
from belowline.comments.models import CommentStatus
from belowline.decisions import service as decisions
from belowline.errors import Conflict, ErrorCode, NotFound
from belowline.i18n.readers import N_, ReaderText
from belowline.notices import mailing, validation
from belowline.notices.models import Notice, NoticeOutcome, NoticeStatus
from belowline.notices.schemas import NoticeDecisionIn, NoticeIn
from belowline.notices.workdays import add_working_hours
from belowline.permissions import require
from belowline.stories import service as stories_service
from belowline.textfields import clean_note

RESPOND_HOURS = 48  # Regulations 2013: the operator acts within 48 (working) hours


def file_notice(
    session: Session,
    *,
    site_id: str,
    data: NoticeIn,
    now: datetime,
    guard: Callable[[], None] | None = None,
) -> Notice:
    """Store a notice about one of the site's comments and send the notifier a receipt.

    `guard` (the flood check) runs once the fields are known to be right, before any write,
    so that a person who fills the form quickly hears about their fields first.
    """
    site = stories_service.get_site(session, site_id=site_id)
    fields = validation.Fields(problems=[])
    reason = validation.reason(fields, data.reason)
    explanation = fields.text(
        "explanation",
        data.explanation,
        required=True,
        limit=validation.TEXT_MAX,
        minimum=validation.EXPLANATION_MIN,
    )
    name = fields.text("name", data.name, required=False, limit=validation.NAME_MAX)
    email = validation.email(fields, data.email)
    location = fields.text(
        "location", data.location or data.url, required=False, limit=validation.LOCATION_MAX
    )
    if data.good_faith is not True:
        fields.add("good_faith", "confirm that the notice is accurate and made in good faith")
    complaint = validation.uk_complaint(fields, data.uk_complaint, reason)
    if complaint["uk_complaint"] and not name:
        fields.add("name", "a notice of complaint must give the complainant's name")
    fields.raise_if_any()
    if guard is not None:
        guard()
    comment, story = comments_service.get_visible_comment(
        session, comment_id=data.comment_id, viewer=None
    )
    if comment.site_id != site.id or comment.status == CommentStatus.DELETED:
        raise NotFound("There is no such comment on this site.", code=ErrorCode.COMMENT_NOT_FOUND)
    assert reason is not None  # noqa: S101 - checked above
    assert explanation is not None  # noqa: S101 - checked above
    notice = Notice(
        site_id=site.id,
        comment_id=comment.id,
        reason=reason,
        explanation=explanation,
        name=name,
        email=email,
        location=location,
        good_faith=True,
        status=NoticeStatus.OPEN,
        received_at=now,
        **complaint,
    )
    if notice.uk_complaint:
        notice.respond_due_at = add_working_hours(now, RESPOND_HOURS)
        notice.action_due_at = notice.respond_due_at
        notice.action_due_for = "contact the poster or remove the statement"
    session.add(notice)
    session.flush()
    audit.write(
        session,
        site_id=site.id,
        actor=None,
        action="notice.received",
        target_type="notice",
        target_id=notice.id,
        note=f"{reason.value} notice about comment {comment.id}"
        + (" (UK notice of complaint)" if notice.uk_complaint else ""),
        now=now,
    )
    mailing.receipt(
        session, notice, site_name=site.name, story_title=story.title or story.external_id
    )
    events.record(
        session,
        events.NoticeCreated(
            site_id=site.id, notice_id=notice.id, comment_id=comment.id, reason=reason.value
        ),
    )
    return notice


def get_notice(session: Session, *, actor: User | None, notice_id: int) -> Notice:
    """A notice for its site's moderators; anyone else is told there is none."""
    notice = session.get(Notice, notice_id)
    if notice is None or not permissions.can_handle_notices(actor, notice.site_id):
        raise NotFound("There is no such notice.", code=ErrorCode.NOTICE_NOT_FOUND)
    return notice


def list_notices(
    session: Session, *, actor: User, site_id: str, status: str = "open", limit: int = 100
) -> list[Notice]:
    """A site's notices, oldest first when open (the SLA clock), newest first otherwise."""
    require(permissions.can_handle_notices, actor, site_id)
    stmt = select(Notice).where(Notice.site_id == site_id)
    if status == NoticeStatus.OPEN:
        stmt = stmt.where(Notice.status == NoticeStatus.OPEN).order_by(
            Notice.received_at, Notice.id
        )
    else:
        stmt = stmt.where(Notice.status == NoticeStatus.DECIDED).order_by(Notice.decided_at.desc())
    return list(session.scalars(stmt.limit(limit)).all())


def open_count(session: Session, *, site_id: str) -> int:
    return len(
        session.scalars(
            select(Notice.id).where(Notice.site_id == site_id, Notice.status == NoticeStatus.OPEN)
        ).all()
    )


def _summary(
    t: ReaderText, notice: Notice, outcome: NoticeOutcome, action: str, rule_title: str | None
) -> str:
    if outcome == NoticeOutcome.NO_ACTION:
        return t(
            "We reviewed your notice no. %(id)s and decided to take no action on the comment. "
            "Our reason: %(reason)s",
            id=notice.id,
            reason=action,
        )
    sentence = _VERBS.get(
        action,
        N_(
            "We reviewed your notice no. %(id)s and %(action)s the comment under our rule "
            "“%(rule)s”."
        ),
    )
    return t(sentence, id=notice.id, action=action, rule=rule_title)


# Whole sentences, so each language words the action its own way.
_VERBS = {
    "remove": N_(
        "We reviewed your notice no. %(id)s and removed the comment under our rule “%(rule)s”."
    ),
    "amend": N_(
        "We reviewed your notice no. %(id)s and edited the comment under our rule “%(rule)s”."
    ),
    "approve": N_(
        "We reviewed your notice no. %(id)s and kept the comment under our rule “%(rule)s”."
    ),
    "restore": N_(
        "We reviewed your notice no. %(id)s and restored the comment under our rule “%(rule)s”."
    ),
}


def decide_notice(
    session: Session, *, actor: User, notice_id: int, data: NoticeDecisionIn, now: datetime
) -> Notice:
    """Decide a notice: act on the comment (decisions.service) or take no action, with reasons."""
    notice = get_notice(session, actor=actor, notice_id=notice_id)
    require(permissions.can_handle_notices, actor, notice.site_id)
    if notice.status != NoticeStatus.OPEN:
        raise Conflict("This notice has already been decided.", code=ErrorCode.ALREADY_DECIDED)
    fields = validation.Fields(problems=[])
    try:
        outcome = NoticeOutcome(data.outcome)
    except ValueError:
        fields.add("outcome", "action or no_action")
        fields.raise_if_any()
    reason = clean_note(data.reason, field="reason", limit=5000)
    decision = None
    if outcome == NoticeOutcome.NO_ACTION:
        if not reason:
            fields.add("reason", "say why no action is taken; the notifier is told")
        fields.raise_if_any()
        detail, rule_title, automated = reason or "", None, False
    else:
        decision = decisions.decide(
            session,
            actor=actor,
            comment_id=notice.comment_id,
            request=decisions.DecisionRequest(
                action=data.action or "",
                rule_id=data.rule_id,
                body=data.body,
                note=reason,
                message=data.message,
                notice_id=notice.id,
            ),
            now=now,
        )
        detail, rule_title = decision.action, decision.rule_title
        automated = decision.automated
    for each in _open_on_comment(session, notice):
        each.status = NoticeStatus.DECIDED
        each.outcome = outcome
        each.outcome_reason = reason
        each.decision_id = decision.id if decision else None
        each.decided_by_id = actor.id
        each.decided_at = now
        each.action_due_at = None
        each.action_due_for = None
        audit.write(
            session,
            site_id=each.site_id,
            actor=actor,
            action=f"notice.{outcome.value}",
            target_type="notice",
            target_id=each.id,
            rule_key=decision.rule_key if decision else None,
            note=reason,
            now=now,
        )
        mailing.decision(
            session,
            each,
            summary=_summary(mailing.reader(session, each), each, outcome, detail, rule_title),
            automated=automated,
            now=now,
        )
    session.flush()
    return notice


def _open_on_comment(session: Session, notice: Notice) -> list[Notice]:
    """This notice and the other open ones about the same comment: one decision answers all."""
    others = session.scalars(
        select(Notice).where(
            Notice.comment_id == notice.comment_id,
            Notice.status == NoticeStatus.OPEN,
            Notice.id != notice.id,
            Notice.uk_complaint.is_(False),
        )
    ).all()
    return [notice, *others]
