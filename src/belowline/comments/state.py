"""Status transitions that keep thread counters and the story version right.

`Story.comment_count` counts published comments; `Comment.reply_count` counts a comment's
direct replies that are not held (tombstones keep their place and their count).
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from belowline.comments.models import Comment, CommentStatus
from belowline.db.prepared import Prepared
from belowline.stories import service as stories_service

_COMMENTS = cast(Table, Comment.__table__)
# Built once: every reply moves its parent's count.
_COUNT_REPLY = Prepared(
    update(_COMMENTS)
    .where(_COMMENTS.c.id == bindparam("parent_id"))
    .values(reply_count=_COMMENTS.c.reply_count + 1)
)


def _counted_in_story(status: str) -> bool:
    return status == CommentStatus.PUBLISHED


def _counted_as_reply(status: str) -> bool:
    return status != CommentStatus.HELD


def on_created(session: Session, comment: Comment) -> None:
    """Count a new comment in its story and under its parent."""
    delta = 1 if _counted_in_story(comment.status) else 0
    if comment.parent_id is not None and _counted_as_reply(comment.status):
        _COUNT_REPLY.execute(session, {"parent_id": comment.parent_id})
        parent = session.identity_map.get(identity_key(Comment, comment.parent_id))
        if parent is not None:
            session.expire(parent, ["reply_count"])  # the session's copy reads the new count
    stories_service.bump_version(session, story_id=comment.story_id, count_delta=delta)


def change_status(session: Session, comment: Comment, new_status: CommentStatus) -> None:
    """Move a comment to `new_status`, adjusting counters and invalidating cached pages."""
    old = comment.status
    comment.status = new_status
    comment.version += 1
    delta = int(_counted_in_story(new_status)) - int(_counted_in_story(old))
    reply_delta = int(_counted_as_reply(new_status)) - int(_counted_as_reply(old))
    if comment.parent_id is not None and reply_delta:
        session.execute(
            update(Comment)
            .where(Comment.id == comment.parent_id)
            .values(reply_count=Comment.reply_count + reply_delta)
        )
    stories_service.bump_version(session, story_id=comment.story_id, count_delta=delta)
    session.flush()
