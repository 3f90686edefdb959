"""The daily digest of reply notices, for readers who chose `digest: "daily"`.

Run by the outbox worker once a day (a self-rescheduling job) or by `belowline mail digest`.
Each reader gets at most one digest per day, of the replies since their last one; running it
twice in a day sends nothing new.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.i18n.readers import ReaderText, text_for
from belowline.mail import preferences
from belowline.mail.models import Digest, ReaderPreferences
from belowline.mail.service import MailCategory, queue_email
from belowline.notifications.models import Notification, NotificationKind
from belowline.stories.models import Site

DAY = timedelta(days=1)
MAX_ITEMS = 50


def _digest_text(notes: list[Notification], t: ReaderText) -> str:
    parts = [
        t.plural(
            "%(num)s new reply to your comments:",
            "%(num)s new replies to your comments:",
            len(notes),
        )
    ]
    for note in notes[:MAX_ITEMS]:
        parts.append(f"• {note.title}\n{note.body}")
    if len(notes) > MAX_ITEMS:
        parts.append(t("… and %(more)s more in your inbox.", more=len(notes) - MAX_ITEMS))
    return "\n\n".join(parts)


def run_digest(session: Session, *, now: datetime) -> int:
    """Queue one digest email per reader with new replies; the number queued."""
    rows = session.scalars(
        select(ReaderPreferences).where(
            ReaderPreferences.email_replies.is_(True), ReaderPreferences.digest == Digest.DAILY
        )
    ).all()
    queued = 0
    for prefs in rows:
        if prefs.last_digest_at is not None and now - prefs.last_digest_at < DAY - timedelta(
            minutes=5
        ):
            continue
        user = session.get(User, prefs.user_id)
        if user is None or user.erased_at is not None:
            continue
        since = prefs.last_digest_at or now - DAY
        notes = list(
            session.scalars(
                select(Notification)
                .where(
                    Notification.user_id == user.id,
                    Notification.kind == NotificationKind.REPLY,
                    Notification.created_at > since,
                    Notification.created_at <= now,
                )
                .order_by(Notification.id)
            )
        )
        preferences.mark_digest_sent(session, user_id=user.id, now=now)
        if not notes:
            continue
        t = text_for(user, session.get(Site, user.site_id))
        queue_email(
            session,
            site_id=user.site_id,
            to=user.email or "",
            subject=t("Replies to your comments: %(count)s new", count=len(notes)),
            text=_digest_text(notes, t),
            now=now,
            category=MailCategory.REPLY,
            user_id=user.id,
            digest=True,
            locale=t.locale,
        )
        queued += 1
    return queued
