"""What the poster of a complained-of comment sees: the UK notices awaiting their answer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment
from belowline.comments.views import iso
from belowline.notices.models import Notice, NoticeStatus
from belowline.stories.models import Story


def awaiting(session: Session, *, poster: User) -> list[dict[str, Any]]:
    """Open notices of complaint sent to this poster and not yet answered, oldest first."""
    rows = session.execute(
        select(Notice, Comment, Story)
        .join(Comment, Comment.id == Notice.comment_id)
        .join(Story, Story.id == Comment.story_id)
        .where(
            Comment.author_id == poster.id,
            Notice.poster_told_at.is_not(None),
            Notice.poster_reply.is_(None),
            Notice.status == NoticeStatus.OPEN,
        )
        .order_by(Notice.poster_told_at, Notice.id)
    ).all()
    return [_view(notice, comment, story) for notice, comment, story in rows]


def _view(notice: Notice, comment: Comment, story: Story) -> dict[str, Any]:
    """The Regulations' particulars; the complainant named only if they agreed to it."""
    return {
        "id": notice.id,
        "comment_id": comment.id,
        "story": {"id": story.external_id, "title": story.title, "url": story.url},
        "comment_html": comment.body_html,
        "complainant": notice.name if notice.share_details else None,
        "statement": notice.statement,
        "meaning": notice.meaning,
        "why_defamatory": notice.why_defamatory,
        "inaccurate": notice.inaccurate,
        "told_at": iso(notice.poster_told_at),
        "reply_due_at": iso(notice.reply_due_at),
    }
