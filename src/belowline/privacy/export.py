"""Everything held about one person, as JSON (UK GDPR / GDPR Art. 15 and 20).

Other people's personal data is left out: no moderator is named, reporters of the person's
comments are not listed, and internal moderators' notes are not included (see docs/privacy.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts import mutes
from belowline.accounts.models import User
from belowline.appeals.models import Appeal
from belowline.comments.models import Comment, CommentRevision, Reaction
from belowline.comments.views import iso
from belowline.decisions.models import Decision
from belowline.mail import preferences
from belowline.mail.models import MailLogEntry
from belowline.notifications.models import Notification
from belowline.notifications.service import notification_view
from belowline.reports.models import Report
from belowline.rules.models import TermsAcceptance
from belowline.sanctions.models import Sanction
from belowline.stories.models import Story

FORMAT = "belowline.personal-data/1"


def _comments(session: Session, user: User) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Comment, Story.external_id, Story.url)
        .join(Story, Story.id == Comment.story_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.id)
    ).all()
    ids = [c.id for c, _, _ in rows]
    revisions: dict[int, list[dict[str, Any]]] = {}
    if ids:
        for rev in session.scalars(
            select(CommentRevision)
            .where(CommentRevision.comment_id.in_(ids))
            .order_by(CommentRevision.id)
        ):
            revisions.setdefault(rev.comment_id, []).append(
                {
                    "kind": rev.kind,
                    "body": rev.body_md,
                    "by": "you" if rev.editor_id in (None, user.id) else "a moderator",
                    "created_at": iso(rev.created_at),
                }
            )
    return [
        {
            "id": c.id,
            "story": external_id,
            "story_url": url,
            "parent_id": c.parent_id,
            "status": c.status,
            "body": c.body_md,
            "created_at": iso(c.created_at),
            "edited_at": iso(c.edited_at),
            "revisions": revisions.get(c.id, []),
        }
        for c, external_id, url in rows
    ]


def _decisions(session: Session, user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": d.id,
            "comment_id": d.comment_id,
            "action": d.action,
            "rule": {"id": d.rule_key, "title": d.rule_title, "version": d.rules_version},
            "message_to_you": d.message_to_author,
            "automated": d.automated,
            "created_at": iso(d.created_at),
        }
        for d in session.scalars(
            select(Decision).where(Decision.author_id == user.id).order_by(Decision.id)
        )
    ]


def export_person(session: Session, *, user: User) -> dict[str, Any]:
    """The person's data: account, comments with revisions, reactions, reports, and more."""
    uid = user.id
    return {
        "format": FORMAT,
        "account": {
            "id": user.id,
            "site_id": user.site_id,
            "display_name": user.display_name,
            "email": user.email,
            "sso_subject": user.external_id,
            "role": user.role,
            "subscriber": user.is_subscriber,
            "created_at": iso(user.created_at),
            "last_seen_at": iso(user.last_seen_at),
            "erased_at": iso(user.erased_at),
        },
        "terms_accepted": [
            {"version": t.version, "accepted_at": iso(t.accepted_at)}
            for t in session.scalars(select(TermsAcceptance).where(TermsAcceptance.user_id == uid))
        ],
        "comments": _comments(session, user),
        "reactions": [
            {"comment_id": r.comment_id, "created_at": iso(r.created_at)}
            for r in session.scalars(select(Reaction).where(Reaction.user_id == uid))
        ],
        "reports_made": [
            {
                "comment_id": r.comment_id,
                "reason": r.reason,
                "detail": r.detail,
                "status": r.status,
                "created_at": iso(r.created_at),
                "resolved_at": iso(r.resolved_at),
            }
            for r in session.scalars(
                select(Report).where(Report.reporter_id == uid).order_by(Report.id)
            )
        ],
        "decisions_about_you": _decisions(session, user),
        "sanctions": [
            {
                "id": s.id,
                "kind": s.kind,
                "until": iso(s.until),
                "rule": {"id": s.rule_key, "title": s.rule_title},
                "message_to_you": s.message_to_user,
                "automated": s.automated,
                "created_at": iso(s.created_at),
                "lifted_at": iso(s.lifted_at),
            }
            for s in session.scalars(
                select(Sanction).where(Sanction.user_id == uid).order_by(Sanction.id)
            )
        ],
        "appeals": [
            {
                "id": a.id,
                "decision_id": a.decision_id,
                "sanction_id": a.sanction_id,
                "statement": a.statement,
                "status": a.status,
                "resolution_note": a.resolution_note,
                "created_at": iso(a.created_at),
                "resolved_at": iso(a.resolved_at),
            }
            for a in session.scalars(
                select(Appeal).where(Appeal.appellant_id == uid).order_by(Appeal.id)
            )
        ],
        "notifications": [
            notification_view(n)
            for n in session.scalars(
                select(Notification).where(Notification.user_id == uid).order_by(Notification.id)
            )
        ],
        "preferences": preferences.get(session, user_id=uid),
        "muted_user_ids": mutes.muted_ids(session, user_id=uid),
        "emails": [
            {
                "category": m.category,
                "outcome": m.outcome,
                "reason": m.reason,
                "at": iso(m.created_at),
            }
            for m in session.scalars(
                select(MailLogEntry).where(MailLogEntry.user_id == uid).order_by(MailLogEntry.id)
            )
        ],
    }
