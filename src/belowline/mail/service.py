"""Queueing email: every message goes through the outbox, never out of a request.

A message is queued in the caller's transaction with its category (what kind of notice it
is) and, for a reader, their user id, so the sender can honour preferences and add a
one-click unsubscribe for that category.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from belowline.outbox import service as outbox
from belowline.outbox.models import OutboxMessage

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
) -> OutboxMessage:
    """Queue one email for the outbox worker to send after the transaction commits."""
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
        },
    )
