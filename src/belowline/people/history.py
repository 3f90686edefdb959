"""A user's record as moderators see it: comments, removals, sanctions, reports and notes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline import permissions
from belowline.accounts import service as accounts_service
from belowline.accounts.models import User
from belowline.audit import service as audit
from belowline.comments.models import Comment, CommentStatus
from belowline.comments.staff_views import names
from belowline.comments.views import iso
from belowline.decisions.models import Decision, DecisionAction
from belowline.decisions.views import decision_view
from belowline.errors import ErrorCode, InvalidInput
from belowline.people.models import ModeratorNote
from belowline.permissions import require
from belowline.policy.offenders import flags_view
from belowline.reports.models import Report, ReporterStats
from belowline.sanctions.models import Sanction
from belowline.sanctions.views import sanction_view
from belowline.stories.models import Story

NOTE_MAX = 2000
COUNT_CAP = 1000


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def author_summary(session: Session, *, user_id: int) -> dict[str, Any]:
    """Counts behind the one-line history shown beside every queue item."""
    # Counted up to a cap, so a prolific author's line costs what anyone's does.
    capped = select(Comment.id).where(Comment.author_id == user_id).limit(COUNT_CAP).subquery()
    comments = session.scalar(select(func.count()).select_from(capped))
    removals = session.scalar(
        select(func.count(Comment.id)).where(
            Comment.author_id == user_id, Comment.status == CommentStatus.REMOVED
        )
    )
    sanctions = session.scalar(select(func.count(Sanction.id)).where(Sanction.user_id == user_id))
    c, r, s = int(comments or 0), int(removals or 0), int(sanctions or 0)
    shown = f"{COUNT_CAP:,}+ comments" if c >= COUNT_CAP else _plural(c, "comment")
    line = f"{shown} · {_plural(r, 'removal')} · " + (
        _plural(s, "sanction") if s else "no sanctions"
    )
    return {"comments": c, "removals": r, "sanctions": s, "capped": c >= COUNT_CAP, "line": line}


def user_history(
    session: Session, *, actor: User, user_id: int, now: datetime, limit: int = 50
) -> dict[str, Any]:
    """Everything a moderator needs to judge a user, newest first."""
    user = accounts_service.get_user(session, user_id=user_id)
    require(permissions.can_view_user_history, actor, user.site_id)
    rows = session.execute(
        select(Comment, Story)
        .join(Story, Story.id == Comment.story_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    ).all()
    decisions = session.scalars(
        select(Decision)
        .where(Decision.author_id == user.id)
        .order_by(Decision.created_at.desc(), Decision.id.desc())
        .limit(limit)
    ).all()
    sanctions = session.scalars(
        select(Sanction).where(Sanction.user_id == user.id).order_by(Sanction.id.desc())
    ).all()
    notes = session.scalars(
        select(ModeratorNote)
        .where(ModeratorNote.user_id == user.id)
        .order_by(ModeratorNote.id.desc())
    ).all()
    reports_against = session.scalar(
        select(func.count(Report.id))
        .join(Comment, Comment.id == Report.comment_id)
        .where(Comment.author_id == user.id)
    )
    stats = session.get(ReporterStats, user.id)
    who = names(
        session,
        {d.actor_id for d in decisions if d.actor_id} | {n.author_id for n in notes},
    )
    return {
        "user": {
            "id": user.id,
            "display_name": user.display_name,
            "role": user.role,
            "created_at": iso(user.created_at),
            "banned": user.banned,
            "suspended_until": iso(user.suspended_until),
            "premoderated": user.premoderated
            or (user.premoderated_until is not None and user.premoderated_until > now),
            "premoderated_until": iso(user.premoderated_until),
        },
        "summary": author_summary(session, user_id=user.id),
        "comments": [
            {
                "id": c.id,
                "story": {"id": s.external_id, "title": s.title, "url": s.url},
                "status": c.status,
                "body": c.body_md,
                "created_at": iso(c.created_at),
                "moderator_edited": c.moderator_edited,
                "removal_reason": c.removal_reason,
            }
            for c, s in rows
        ],
        "removals": [
            decision_view(d, who.get(d.actor_id or 0))
            for d in decisions
            if d.action == DecisionAction.REMOVE
        ],
        "decisions": [decision_view(d, who.get(d.actor_id or 0)) for d in decisions],
        "sanctions": [sanction_view(s) for s in sanctions],
        "notes": [
            {
                "id": n.id,
                "body": n.body,
                "author": {"id": n.author_id, "display_name": who.get(n.author_id)},
                "created_at": iso(n.created_at),
            }
            for n in notes
        ],
        "reports_against": int(reports_against or 0),
        "flags": _flags(session, user.id),
        "as_reporter": {
            "reports": stats.reports_total if stats else 0,
            "upheld": stats.reports_upheld if stats else 0,
            "dismissed": stats.reports_dismissed if stats else 0,
        },
    }


def _flags(session: Session, user_id: int) -> list[dict[str, Any]]:
    return flags_view(session, user_id=user_id)


def add_note(
    session: Session, *, actor: User, user_id: int, body: str, now: datetime
) -> ModeratorNote:
    """Add an internal note about a user (never shown to them)."""
    user = accounts_service.get_user(session, user_id=user_id)
    require(permissions.can_write_user_note, actor, user.site_id)
    text = body.strip()
    if not text or len(text) > NOTE_MAX:
        raise InvalidInput(
            f"Write a note of 1 to {NOTE_MAX} characters.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "note", "message": f"1 to {NOTE_MAX} characters"}],
        )
    note = ModeratorNote(
        site_id=user.site_id, user_id=user.id, author_id=actor.id, body=text, created_at=now
    )
    session.add(note)
    session.flush()
    audit.write(
        session,
        site_id=user.site_id,
        actor=actor,
        action="note",
        target_type="user",
        target_id=user.id,
        note=text,
        now=now,
    )
    return note
