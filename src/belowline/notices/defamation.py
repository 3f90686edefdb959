"""The UK notice-of-complaint procedure (Defamation Act 2013 s.5; Regulations 2013, Schedule).

The site chooses, per notice: "remove on notice" (the statement goes at once), or "contact the
poster" (the statutory route): the poster gets a copy within 48 working hours (the
complainant's name and email hidden unless they agreed), has until the end of the fifth
working day to answer, and the statement is removed within 48 working hours of their asking
for it or of the window closing without an answer. An objection must give the poster's full
name and postal address; their identity reaches the complainant only with their consent.
Every step is an audit entry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.audit import service as audit
from belowline.comments import service as comments_service
from belowline.errors import Conflict, ErrorCode, NotFound
from belowline.i18n.readers import N_, text_for
from belowline.mail.service import MailCategory, queue_email
from belowline.notices import mailing, validation
from belowline.notices import service as notices
from belowline.notices.models import (
    DefamationRoute,
    Notice,
    NoticeOutcome,
    NoticeStatus,
    PosterReply,
)
from belowline.notices.schemas import NoticeDecisionIn, PosterReplyIn
from belowline.notices.workdays import add_working_hours, end_of_working_days
from belowline.notifications import service as notifications_service
from belowline.notifications.models import NotificationKind
from belowline.stories.models import Site

POSTER_DAYS = 5
DEFAULT_RULE = "truthful"
PLEASE_ANSWER = N_("A complaint about your comment: please answer")


def _step(message: str) -> Conflict:
    return Conflict(message, code=ErrorCode.INVALID_STEP)


def _complaint(session: Session, *, actor: User, notice_id: int) -> Notice:
    notice = notices.get_notice(session, actor=actor, notice_id=notice_id)
    if not notice.uk_complaint:
        raise _step("This notice is not a UK notice of complaint.")
    return notice


def _audit(
    session: Session, notice: Notice, actor: User | None, step: str, note: str, now: datetime
) -> None:
    audit.write(
        session,
        site_id=notice.site_id,
        actor=actor,
        action=f"notice.{step}",
        target_type="notice",
        target_id=notice.id,
        note=note,
        now=now,
    )


def choose_route(
    session: Session,
    *,
    actor: User,
    notice_id: int,
    route: str,
    now: datetime,
    rule_id: str | None = None,
) -> Notice:
    """Remove on notice, or contact the poster (the statutory route)."""
    notice = _complaint(session, actor=actor, notice_id=notice_id)
    if notice.status != NoticeStatus.OPEN or notice.route is not None:
        raise _step("A route has already been chosen for this notice.")
    try:
        chosen = DefamationRoute(route)
    except ValueError:
        fields = validation.Fields(problems=[])
        fields.add("route", "contact_poster or remove_on_notice")
        fields.raise_if_any()
        raise
    late = now > (notice.respond_due_at or now)
    notice.route = chosen
    _audit(
        session,
        notice,
        actor,
        f"route.{chosen.value}",
        "late: after 48 working hours" if late else "in time",
        now,
    )
    if chosen == DefamationRoute.REMOVE_ON_NOTICE:
        return notices.decide_notice(
            session,
            actor=actor,
            notice_id=notice.id,
            data=NoticeDecisionIn(
                outcome=NoticeOutcome.ACTION,
                action="remove",
                rule_id=rule_id or DEFAULT_RULE,
                reason="Removed on receipt of a notice of complaint (Defamation Act 2013 s.5).",
            ),
            now=now,
        )
    _tell_poster(session, notice, now=now)
    notice.poster_told_at = now
    notice.reply_due_at = end_of_working_days(now, POSTER_DAYS)
    notice.action_due_at = add_working_hours(notice.reply_due_at, 48)
    notice.action_due_for = "remove the statement: the poster has not answered"
    _audit(
        session, notice, actor, "poster_told", f"reply due {notice.reply_due_at.isoformat()}", now
    )
    t = mailing.reader(session, notice)
    sent = (
        t("We have sent the poster of the comment a copy of your notice no. %(id)s.", id=notice.id)
        if notice.share_details
        else t(
            "We have sent the poster of the comment a copy of your notice no. %(id)s, without "
            "your name or email address.",
            id=notice.id,
        )
    )
    mailing.update(
        session,
        notice,
        lines=[
            sent,
            t(
                "They have until %(when)s to answer. If they do not, or if they ask us to, we "
                "will remove the statement and tell you.",
                when=t.when(notice.reply_due_at),
            ),
        ],
        now=now,
    )
    session.flush()
    return notice


def _tell_poster(session: Session, notice: Notice, *, now: datetime) -> None:
    comment, story = comments_service.get_comment(session, comment_id=notice.comment_id)
    poster = session.get(User, comment.author_id)
    assert poster is not None  # noqa: S101 - a comment has an author
    t = text_for(poster, session.get(Site, notice.site_id))
    who = f"{notice.name} ({notice.email})" if notice.share_details else t("The complainant")
    due = end_of_working_days(now, POSTER_DAYS)
    lines = [
        t(
            "%(who)s says that your comment on “%(story)s” is defamatory of them. This is a "
            "notice of complaint under the Defamation Act 2013 s.5.",
            who=who,
            story=story.title or story.external_id,
        ),
        t("The statement complained of: %(text)s", text=notice.statement),
        t("The meaning they attribute to it: %(text)s", text=notice.meaning),
        t("Why they say it is defamatory: %(text)s", text=notice.why_defamatory),
        t(
            "What they say is factually inaccurate or opinion not supported by fact: %(text)s",
            text=notice.inaccurate,
        ),
        t(
            "Please answer by %(when)s: tell us whether you want the statement removed. If you "
            "object to its removal, give your full name and postal address and say whether you "
            "consent to our giving them to the complainant. If you do not answer in time, we "
            "will remove the statement.",
            when=t.when(due),
        ),
    ]
    notifications_service.notify(
        session,
        user_id=poster.id,
        site_id=notice.site_id,
        kind=NotificationKind.NOTICE,
        title=t(PLEASE_ANSWER),
        body="\n".join(lines),
        now=now,
        comment_id=comment.id,
        action="notice_of_complaint",
        contestable=False,
        locale=t.locale,
    )
    if poster.email:
        queue_email(
            session,
            site_id=notice.site_id,
            to=poster.email,
            subject=t(PLEASE_ANSWER),
            text="\n\n".join(lines)
            + "\n\n"
            + t("Answer from your notices, or reference %(id)s.", id=notice.id)
            + "\n",
            html=mailing._html(lines),
            now=now,
            category=MailCategory.NOTICE,
            user_id=poster.id,
            locale=t.locale,
        )


def poster_reply(
    session: Session, *, poster: User, notice_id: int, data: PosterReplyIn, now: datetime
) -> Notice:
    """The poster answers: remove the statement, or object with their name and address."""
    notice = session.get(Notice, notice_id)
    comment = None
    if notice is not None:
        comment, _ = comments_service.get_comment(session, comment_id=notice.comment_id)
    if (
        notice is None
        or comment is None
        or comment.author_id != poster.id
        or notice.poster_told_at is None
    ):
        raise NotFound(
            "There is no such complaint about your comments.", code=ErrorCode.NOTICE_NOT_FOUND
        )
    if notice.poster_reply is not None or notice.status != NoticeStatus.OPEN:
        raise _step("You have already answered this complaint.")
    fields = validation.Fields(problems=[])
    try:
        choice = PosterReply(data.choice)
    except ValueError:
        fields.add("choice", "remove or object")
        fields.raise_if_any()
        raise
    late = notice.reply_due_at is not None and now > notice.reply_due_at
    notice.poster_reply = choice
    notice.poster_replied_at = now
    if choice == PosterReply.REMOVE:
        notice.action_due_at = add_working_hours(now, 48)
        notice.action_due_for = "remove the statement: the poster asked for it"
        _audit(session, notice, poster, "poster_reply.remove", "late" if late else "in time", now)
        session.flush()
        return notice
    full_name = fields.text("full_name", data.full_name, required=True, limit=200)
    address = fields.text("postal_address", data.postal_address, required=True, limit=1000)
    fields.raise_if_any()
    notice.poster_full_name = full_name
    notice.poster_address = address
    notice.poster_consents = data.consent_disclosure
    _audit(
        session,
        notice,
        poster,
        "poster_reply.object",
        ("consents" if data.consent_disclosure else "does not consent")
        + " to disclosure"
        + ("; late" if late else ""),
        now,
    )
    notice.status = NoticeStatus.DECIDED
    notice.outcome = NoticeOutcome.NO_ACTION
    notice.outcome_reason = "The poster objects to removal and has given us their name and address."
    notice.decided_at = now
    notice.action_due_at = None
    notice.action_due_for = None
    t = mailing.reader(session, notice)
    consent = (
        t(
            "They consent to our giving you their name and postal address; we will send them "
            "separately."
        )
        if data.consent_disclosure
        else t(
            "They do not consent to our giving you their identity; you may ask a court to "
            "order its disclosure."
        )
    )
    objects = t(
        "The poster objects to the removal of the statement in your notice no. %(id)s, and "
        "has given us their full name and postal address, so the statement stays for now.",
        id=notice.id,
    )
    mailing.decision(
        session,
        notice,
        summary=f"{objects} {consent}",
        automated=False,
        now=now,
    )
    session.flush()
    return notice


def disclose(session: Session, *, actor: User, notice_id: int, now: datetime) -> Notice:
    """Send the complainant the poster's name and address — only if the poster consented."""
    notice = _complaint(session, actor=actor, notice_id=notice_id)
    if notice.poster_reply != PosterReply.OBJECT or not notice.poster_consents:
        raise Conflict(
            "The poster has not consented to the disclosure of their identity.",
            code=ErrorCode.CONSENT_REQUIRED,
        )
    if notice.disclosed_at is not None:
        raise _step("The poster's details have already been sent to the complainant.")
    notice.disclosed_at = now
    _audit(session, notice, actor, "disclosed", "with the poster's consent", now)
    t = mailing.reader(session, notice)
    mailing.update(
        session,
        notice,
        lines=[
            t("With their consent, here are the details the poster gave us:"),
            t(
                "Full name: %(name)s\nPostal address: %(address)s",
                name=notice.poster_full_name,
                address=notice.poster_address,
            ),
        ],
        now=now,
    )
    session.flush()
    return notice
