"""Queueing email: every message goes through the outbox, never out of a request.

A message is queued in the caller's transaction with its category (what kind of notice it
is) and, for a reader, their user id, so the sender can honour preferences and add a
one-click unsubscribe for that category.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.i18n.readers import locale_for
from belowline.outbox import service as outbox
from belowline.outbox.models import OutboxMessage
from belowline.stories.models import Site

KIND = "email"


class MailCategory(StrEnum):
    REPLY = "reply"
    DECISION = "decision"
    REPORT_OUTCOME = "report_outcome"
    NOTICE = "notice"
    INVITATION = "invitation"


def queue_email(
    session: Session,
    *,
    site_id: str,
    to: str,
    subject: str,
    text: str,
    now: datetime,
    category: MailCategory,
    html: str | None = None,
    user_id: int | None = None,
    digest: bool = False,
    locale: str | None = None,
) -> OutboxMessage:
    """Queue one email for the outbox worker to send after the transaction commits.

    `locale` is the language the caller wrote `subject` and `text` in; by default the
    recipient's (their stored locale, else the site's), which the footer is written in too.
    """
    if locale is None:
        user = session.get(User, user_id) if user_id is not None else None
        locale = locale_for(user, session.get(Site, site_id))
    return outbox.enqueue(
        session,
        kind=KIND,
        site_id=site_id,
        now=now,
        payload={
            "to": to,
            "subject": subject,
            "text": text,
            "html": html,
            "category": str(category),
            "user_id": user_id,
            "digest": digest,
            "locale": locale,
        },
    )
