"""A permalink's path: one comment with its ancestors, as the public thread shows them.

The target follows the thread's visibility rules (a held comment is visible only to its author
and staff); ancestors come as the thread would show them, tombstones included.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments import service as comments_service
from belowline.comments.models import Comment
from belowline.comments.views import public_comment

MAX_ANCESTORS = 200  # depth is bounded when posting; this only stops a corrupt chain


def comment_context(session: Session, *, comment_id: int, viewer: User | None) -> dict[str, Any]:
    """{"comment", "ancestors" (root first)} for `#comment-ID` links."""
    comment, story = comments_service.get_visible_comment(
        session, comment_id=comment_id, viewer=viewer
    )
    chain: list[Comment] = []
    parent_id = comment.parent_id
    while parent_id is not None and len(chain) < MAX_ANCESTORS:
        parent = session.get(Comment, parent_id)
        if parent is None:
            break
        chain.append(parent)
        parent_id = parent.parent_id
    chain.reverse()
    ancestors = [
        public_comment(
            c,
            author_name=comments_service.author_name(session, c.author_id),
            story_external_id=story.external_id,
        )
        for c in chain
    ]
    return {
        "comment": comments_service.view(session, comment, story, viewer=viewer),
        "ancestors": ancestors,
        "story_id": story.external_id,
    }
