"""The emails a notice sends: plain text plus an HTML part in which every field is escaped.

Subjects carry only our own words and the notice number, so nothing a notifier typed can
reach a mail header.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from sqlalchemy.orm import Session

from belowline.mail.service import MailCategory, queue_email
from belowline.notices.models import Notice
from belowline.outbox.models import OutboxMessage

REDRESS = (
    "If you disagree with this decision you can reply to this email to ask for it to be "
    "looked at again by a moderator who did not take it. You may also refer the matter to a "
    "certified out-of-court dispute settlement body (EU Digital Services Act, Art. 21) or "
    "take it to the courts."
)


def when(moment: datetime) -> str:
    return moment.strftime("%d %B %Y at %H:%M UTC")


def _html(paragraphs: list[str]) -> str:
    body = "".join(
        f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs if p is not None
    )
    return f'<!doctype html><html><body style="font-family:sans-serif">{body}</body></html>'


def send(
    session: Session,
    notice: Notice,
    *,
    to: str,
    subject: str,
    paragraphs: list[str],
    now: datetime,
    user_id: int | None = None,
) -> OutboxMessage:
    """Queue one notice email (category NOTICE) in the caller's transaction."""
    return queue_email(
        session,
        site_id=notice.site_id,
        to=to,
        subject=subject,
        text="\n\n".join(paragraphs) + "\n",
        html=_html(paragraphs),
        now=now,
        category=MailCategory.NOTICE,
        user_id=user_id,
    )


def greeting(notice: Notice) -> str:
    return f"Dear {notice.name}," if notice.name else "Hello,"


def receipt(session: Session, notice: Notice, *, site_name: str, story_title: str) -> None:
    """The receipt the notifier gets as soon as the notice is stored."""
    paragraphs = [
        greeting(notice),
        f"We received your notice no. {notice.id} about a comment on “{story_title}” "
        f"({site_name}) on {when(notice.received_at)}.",
        f"Reason: {notice.reason}.\nYour explanation: {notice.explanation}",
        "A person on our moderation team will review it and tell you the decision by email.",
    ]
    if notice.uk_complaint:
        paragraphs.append(
            "You sent it as a notice of complaint under the Defamation Act 2013 s.5. We will "
            "act on it within 48 hours, not counting weekends and bank holidays."
        )
    send(
        session,
        notice,
        to=notice.email,
        subject=f"We received your notice no. {notice.id}",
        paragraphs=paragraphs,
        now=notice.received_at,
    )


def decision(
    session: Session, notice: Notice, *, summary: str, automated: bool, now: datetime
) -> None:
    """The decision, with the redress routes and whether automated means were used."""
    automation = (
        "Automated means were used in this decision."
        if automated
        else "No automated means were used: a person on our moderation team decided."
    )
    send(
        session,
        notice,
        to=notice.email,
        subject=f"The decision on your notice no. {notice.id}",
        paragraphs=[greeting(notice), summary, automation, REDRESS],
        now=now,
    )


def update(session: Session, notice: Notice, *, lines: list[str], now: datetime) -> None:
    """A step of the notice-of-complaint procedure, told to the complainant."""
    send(
        session,
        notice,
        to=notice.email,
        subject=f"Your notice of complaint no. {notice.id}",
        paragraphs=[greeting(notice), *lines],
        now=now,
    )
