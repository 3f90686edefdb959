"""The emails a notice sends: plain text plus an HTML part in which every field is escaped.

Subjects carry only our own words and the notice number, so nothing a notifier typed can
reach a mail header.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from sqlalchemy.orm import Session

from belowline.i18n.readers import N_, ReaderText, text_for
from belowline.mail.service import MailCategory, queue_email
from belowline.notices.models import Notice
from belowline.outbox.models import OutboxMessage
from belowline.stories.models import Site

REDRESS = N_(
    "If you disagree with this decision you can reply to this email to ask for it to be "
    "looked at again by a moderator who did not take it. You may also refer the matter to a "
    "certified out-of-court dispute settlement body (EU Digital Services Act, Art. 21) or "
    "take it to the courts."
)


def reader(session: Session, notice: Notice) -> ReaderText:
    """The notifier has no account: they are written to in the site's language."""
    return text_for(None, session.get(Site, notice.site_id))


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
    locale: str,
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
        locale=locale,
    )


def greeting(notice: Notice, t: ReaderText) -> str:
    return t("Dear %(name)s,", name=notice.name) if notice.name else t("Hello,")


def receipt(session: Session, notice: Notice, *, site_name: str, story_title: str) -> None:
    """The receipt the notifier gets as soon as the notice is stored."""
    t = reader(session, notice)
    paragraphs = [
        greeting(notice, t),
        t(
            "We received your notice no. %(id)s about a comment on “%(story)s” (%(site)s) "
            "on %(when)s.",
            id=notice.id,
            story=story_title,
            site=site_name,
            when=t.when(notice.received_at),
        ),
        t(
            "Reason: %(reason)s.\nYour explanation: %(explanation)s",
            reason=notice.reason,
            explanation=notice.explanation,
        ),
        t("A person on our moderation team will review it and tell you the decision by email."),
    ]
    if notice.uk_complaint:
        paragraphs.append(
            t(
                "You sent it as a notice of complaint under the Defamation Act 2013 s.5. We "
                "will act on it within 48 hours, not counting weekends and bank holidays."
            )
        )
    send(
        session,
        notice,
        to=notice.email,
        subject=t("We received your notice no. %(id)s", id=notice.id),
        paragraphs=paragraphs,
        now=notice.received_at,
        locale=t.locale,
    )


def decision(
    session: Session, notice: Notice, *, summary: str, automated: bool, now: datetime
) -> None:
    """The decision (`summary`, written with `reader`), the redress routes and automation."""
    t = reader(session, notice)
    automation = (
        t("Automated means were used in this decision.")
        if automated
        else t("No automated means were used: a person on our moderation team decided.")
    )
    send(
        session,
        notice,
        to=notice.email,
        subject=t("The decision on your notice no. %(id)s", id=notice.id),
        paragraphs=[greeting(notice, t), summary, automation, t(REDRESS)],
        now=now,
        locale=t.locale,
    )


def update(session: Session, notice: Notice, *, lines: list[str], now: datetime) -> None:
    """A step of the notice-of-complaint procedure (`lines` written with `reader`)."""
    t = reader(session, notice)
    send(
        session,
        notice,
        to=notice.email,
        subject=t("Your notice of complaint no. %(id)s", id=notice.id),
        paragraphs=[greeting(notice, t), *lines],
        now=now,
        locale=t.locale,
    )
