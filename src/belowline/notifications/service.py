"""The in-app inbox: statements of reasons for decisions and sanctions, and other notices.

Invariants: a notice belongs to one user and only they can read or mark it; notices are
written in the same transaction as the decision they explain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.views import iso
from belowline.errors import ErrorCode, NotFound
from belowline.i18n.readers import ReaderText
from belowline.notifications.models import Notification, NotificationKind


def contest_text(locale: str = "en") -> str:
    """The redress routes a statement of reasons must name (DSA Art. 17(3)(f))."""
    t = ReaderText(locale)
    return t(
        "If you think this decision is wrong, you can contest it within 14 days: choose "
        "“Ask for a review” on this notice and say why in a few lines. A moderator who did "
        "not take the decision will review it and tell you the outcome here. You may also "
        "refer the decision to a certified out-of-court dispute settlement body (EU Digital "
        "Services Act, Art. 21), or take it to the courts."
    )


def notify(
    session: Session,
    *,
    user_id: int,
    site_id: str,
    kind: NotificationKind,
    title: str,
    body: str,
    now: datetime,
    comment_id: int | None = None,
    decision_id: int | None = None,
    sanction_id: int | None = None,
    action: str | None = None,
    rule_key: str | None = None,
    rule_title: str | None = None,
    automated: bool = False,
    contestable: bool = True,
    locale: str = "en",
) -> Notification:
    """Put a notice in a user's inbox (`locale`: the language its text was written in)."""
    note = Notification(
        site_id=site_id,
        user_id=user_id,
        kind=kind,
        title=title[:200],
        body=body,
        comment_id=comment_id,
        decision_id=decision_id,
        sanction_id=sanction_id,
        action=action,
        rule_key=rule_key,
        rule_title=rule_title,
        automated=automated,
        contest=contest_text(locale) if contestable else None,
        created_at=now,
    )
    session.add(note)
    session.flush()
    return note


def notification_view(note: Notification) -> dict[str, Any]:
    return {
        "id": note.id,
        "kind": note.kind,
        "title": note.title,
        "body": note.body,
        "action": note.action,
        "comment_id": note.comment_id,
        "decision_id": note.decision_id,
        "sanction_id": note.sanction_id,
        "rule": {"id": note.rule_key, "title": note.rule_title} if note.rule_key else None,
        "automated": note.automated,
        "decided_by": "automated system" if note.automated else "a moderator",
        "contest": note.contest,
        "created_at": iso(note.created_at),
        "read_at": iso(note.read_at),
        "read": note.read_at is not None,
    }


def unread_count(session: Session, *, user: User) -> int:
    """How many notices the user has not read yet (the widget's badge)."""
    return int(
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def inbox(
    session: Session,
    *,
    user: User,
    unread_only: bool = False,
    before_id: int | None = None,
    limit: int = 50,
) -> list[Notification]:
    """The user's notices, newest first."""
    stmt = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    if before_id is not None:
        stmt = stmt.where(Notification.id < before_id)
    return list(session.scalars(stmt.order_by(Notification.id.desc()).limit(limit)).all())


def mark_read(session: Session, *, user: User, notification_id: int, now: datetime) -> Notification:
    """Mark one of the user's notices read; someone else's is 'not found'."""
    note = session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        raise NotFound("There is no such notice.", code=ErrorCode.NOT_FOUND)
    if note.read_at is None:
        note.read_at = now
        session.flush()
    return note


def mark_all_read(session: Session, *, user: User, now: datetime) -> int:
    """Mark every unread notice read; returns how many changed."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
