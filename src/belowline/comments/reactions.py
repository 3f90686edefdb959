"""Reactions: one per reader per comment, counted on the comment's row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from belowline import events
from belowline.accounts import service as accounts_service
from belowline.accounts.models import User
from belowline.comments.models import (
    Comment,
    CommentStatus,
    Reaction,
)
from belowline.comments.service import comment_for_action
from belowline.errors import ErrorCode, Forbidden
from belowline.stories import service as stories_service


def toggle_reaction(
    session: Session, *, comment_id: int, actor: User, now: datetime
) -> tuple[Comment, bool]:
    """Add the reader's reaction, or take it back; returns (comment, reacted now?)."""
    comment, story = comment_for_action(session, comment_id=comment_id, actor=actor)
    accounts_service.require_may_write(actor, now=now)
    if comment.status != CommentStatus.PUBLISHED:
        raise Forbidden("You can only react to published comments.", code=ErrorCode.INVALID_ACTION)
    if comment.author_id == actor.id:
        raise Forbidden("You cannot react to your own comment.", code=ErrorCode.INVALID_ACTION)
    removed = session.execute(
        delete(Reaction).where(Reaction.comment_id == comment.id, Reaction.user_id == actor.id)
    )
    reacted = removed.rowcount == 0  # type: ignore[attr-defined]
    if reacted:
        session.add(Reaction(comment_id=comment.id, user_id=actor.id, created_at=now))
    session.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(reaction_count=Comment.reaction_count + (1 if reacted else -1))
    )
    stories_service.bump_version(session, story_id=story.id)
    session.flush()
    session.refresh(comment)
    events.record(
        session,
        events.CommentChanged(
            kind="reacted",
            site_id=story.site_id,
            story_external_id=story.external_id,
            comment_id=comment.id,
            public=True,
            payload={"id": comment.id, "reaction_count": comment.reaction_count},
        ),
    )
    return comment, reacted
