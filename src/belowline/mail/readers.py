"""Readers' email mirrors their inbox: each email is queued beside the notice it repeats.

The notice in the inbox is the record; the email is a copy that may be switched off, dropped
or bounced without anything being lost.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.mail import preferences
from belowline.mail.service import MailCategory, queue_email
from belowline.notifications.models import Notification
from belowline.outbox.models import OutboxMessage


def email_notice(
    session: Session, *, note: Notification, category: MailCategory, now: datetime
) -> OutboxMessage | None:
    """Queue the email copy of an inbox notice (the sender checks preferences when it sends).

    Replies are opt-in, so they are only queued for readers who asked for them; the other
    categories are on by default and always queued, so a message dropped at send time for
    an erased account or a missing address is on record.
    """
    if category == MailCategory.REPLY and not preferences.wants(
        session, user_id=note.user_id, category=category
    ):
        return None
    user = session.get(User, note.user_id)
    text = note.body if not note.contest else f"{note.body}\n\n{note.contest}"
    return queue_email(
        session,
        site_id=note.site_id,
        to=(user.email or "") if user is not None else "",
        subject=note.title,
        text=text,
        now=now,
        category=category,
        user_id=note.user_id,
    )
