"""How moderation records look to moderators: comments with their full text and context."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment
from belowline.comments.views import iso, public_comment
from belowline.moderation.models import Decision, Report, Sanction
from belowline.stories.models import Story


def names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))
    return {row[0]: row[1] for row in rows}


def staff_comment(session: Session, comment: Comment, story: Story) -> dict[str, Any]:
    """A comment as moderators see it: whatever its status, with its text and version."""
    item = public_comment(
        comment,
        author_name=names(session, {comment.author_id}).get(comment.author_id, "Reader"),
        story_external_id=story.external_id,
        show_held=True,
    )
    item["author"] = {
        "id": comment.author_id,
        "display_name": names(session, {comment.author_id}).get(comment.author_id, "Reader"),
    }
    item["body_html"] = comment.body_html
    item["body"] = comment.body_md
    item["removal_rule_id"] = comment.removal_rule_id
    item["held_reason"] = comment.held_reason
    item["scores"] = comment.scores
    return item


def story_view(story: Story) -> dict[str, Any]:
    return {"id": story.external_id, "title": story.title, "url": story.url}


def report_view(report: Report, reporter_name: str) -> dict[str, Any]:
    return {
        "id": report.id,
        "reason": report.reason,
        "detail": report.detail,
        "weight": report.weight,
        "status": report.status,
        "reporter": {"id": report.reporter_id, "display_name": reporter_name},
        "created_at": iso(report.created_at),
    }


def decision_view(decision: Decision, actor_name: str | None = None) -> dict[str, Any]:
    return {
        "id": decision.id,
        "comment_id": decision.comment_id,
        "action": decision.action,
        "rule": {"id": decision.rule_key, "title": decision.rule_title},
        "rules_version": decision.rules_version,
        "note": decision.note,
        "message_to_author": decision.message_to_author,
        "actor": {"id": decision.actor_id, "display_name": actor_name}
        if decision.actor_id
        else None,
        "automated": decision.automated,
        "before_digest": decision.before_digest,
        "after_digest": decision.after_digest,
        "comment_version": decision.comment_version,
        "created_at": iso(decision.created_at),
    }


def sanction_view(sanction: Sanction) -> dict[str, Any]:
    return {
        "id": sanction.id,
        "user_id": sanction.user_id,
        "kind": sanction.kind,
        "until": iso(sanction.until),
        "rule": {"id": sanction.rule_key, "title": sanction.rule_title},
        "note": sanction.note,
        "message": sanction.message_to_user,
        "actor_id": sanction.actor_id,
        "automated": sanction.automated,
        "created_at": iso(sanction.created_at),
        "acknowledged_at": iso(sanction.acknowledged_at),
        "lifted_at": iso(sanction.lifted_at),
        "lifted_by": sanction.lifted_by_id,
        "lift_note": sanction.lift_note,
    }
