"""A reader's email preferences: read with defaults, changed by the reader or an unsubscribe link.

The sender reads them again when it sends, so a change made after a message was queued wins.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from belowline.mail.models import Digest, ReaderPreferences
from belowline.mail.service import MailCategory

DEFAULTS: dict[str, Any] = {
    "email_replies": False,
    "email_decisions": True,
    "email_report_outcomes": True,
    "digest": Digest.OFF.value,
}

# The preference that switches each category of readers' mail; others cannot be switched off.
CATEGORY_FIELD: dict[str, str] = {
    MailCategory.REPLY: "email_replies",
    MailCategory.DECISION: "email_decisions",
    MailCategory.REPORT_OUTCOME: "email_report_outcomes",
}


def get(session: Session, *, user_id: int) -> dict[str, Any]:
    """The reader's preferences, the defaults filled in."""
    row = session.get(ReaderPreferences, user_id)
    if row is None:
        return dict(DEFAULTS)
    return {
        "email_replies": row.email_replies,
        "email_decisions": row.email_decisions,
        "email_report_outcomes": row.email_report_outcomes,
        "digest": row.digest,
    }


def _row(session: Session, *, user_id: int, now: datetime) -> ReaderPreferences:
    row = session.get(ReaderPreferences, user_id)
    if row is None:
        row = ReaderPreferences(user_id=user_id, updated_at=now, last_digest_at=None)
        for field, value in DEFAULTS.items():
            setattr(row, field, value)
        session.add(row)
    return row


def update(
    session: Session, *, user_id: int, changes: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """Apply the given fields (already validated by the schema); the rest stay as they were."""
    row = _row(session, user_id=user_id, now=now)
    for field, value in changes.items():
        if field in DEFAULTS and value is not None:
            setattr(row, field, str(value) if field == "digest" else bool(value))
    row.updated_at = now
    session.flush()
    return get(session, user_id=user_id)


def wants(session: Session, *, user_id: int, category: str) -> bool:
    """Whether the reader wants email of this category now (unswitchable categories: yes)."""
    field = CATEGORY_FIELD.get(category)
    return True if field is None else bool(get(session, user_id=user_id)[field])


def unsubscribe(session: Session, *, user_id: int, category: str, now: datetime) -> str | None:
    """Switch off one category (the one-click link); the preference changed, if any."""
    field = CATEGORY_FIELD.get(category)
    if field is None:
        return None
    update(session, user_id=user_id, changes={field: False}, now=now)
    return field


def mark_digest_sent(session: Session, *, user_id: int, now: datetime) -> None:
    _row(session, user_id=user_id, now=now).last_digest_at = now
    session.flush()
