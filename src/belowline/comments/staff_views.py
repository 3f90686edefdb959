"""How comments look to moderators: whatever their status, with text, scores and context."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment, CommentRevision, RevisionKind
from belowline.comments.views import public_comment
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


def original_text(session: Session, comment: Comment) -> str:
    """What the author wrote, before any moderator's amendment."""
    first = session.scalar(
        select(CommentRevision.body_md)
        .where(
            CommentRevision.comment_id == comment.id,
            CommentRevision.kind == RevisionKind.ORIGINAL,
        )
        .order_by(CommentRevision.id)
        .limit(1)
    )
    return first if first is not None else comment.body_md
