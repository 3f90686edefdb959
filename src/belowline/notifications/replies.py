"""Reply notices: someone answered a reader's comment; in the inbox, and by email on request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment, CommentStatus
from belowline.mail.readers import email_notice
from belowline.mail.service import MailCategory
from belowline.notifications import service as notifications_service
from belowline.notifications.models import Notification, NotificationKind
from belowline.stories.models import Story

EXCERPT = 200


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1].rstrip() + "…"


def on_reply(
    session: Session, *, reply: Comment, parent: Comment, story: Story, now: datetime
) -> Notification | None:
    """Tell the parent's author about a published reply by someone else."""
    if parent.author_id == reply.author_id:
        return None
    parent_author = session.get(User, parent.author_id)
    if parent_author is None or parent_author.erased_at is not None:
        return None
    replier = session.get(User, reply.author_id)
    name = replier.display_name if replier is not None else "A reader"
    where = story.title or story.external_id
    lines = [f"{name} replied to your comment on “{where}”:", f"“{_excerpt(reply.body_md)}”"]
    if story.url:
        lines.append(f"Read the conversation: {story.url}#comment-{reply.id}")
    note = notifications_service.notify(
        session,
        user_id=parent.author_id,
        site_id=reply.site_id,
        kind=NotificationKind.REPLY,
        title=f"{name} replied to your comment",
        body="\n".join(lines),
        now=now,
        comment_id=reply.id,
        contestable=False,
    )
    email_notice(session, note=note, category=MailCategory.REPLY, now=now)
    return note


def on_published(
    session: Session, *, reply: Comment, story: Story, now: datetime
) -> Notification | None:
    """A held reply now shown: the notice its parent's author would have had, sent once."""
    if reply.parent_id is None or reply.status != CommentStatus.PUBLISHED:
        return None
    parent = session.get(Comment, reply.parent_id)
    if parent is None or parent.status != CommentStatus.PUBLISHED:
        return None
    already = session.scalar(
        select(Notification.id).where(
            Notification.comment_id == reply.id,
            Notification.kind == NotificationKind.REPLY,
            Notification.user_id == parent.author_id,
        )
    )
    if already is not None:
        return None
    return on_reply(session, reply=reply, parent=parent, story=story, now=now)
