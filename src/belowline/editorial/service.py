"""Editor tools' rules: who may feature, announce or switch a story, and what each changes.

Every change bumps the story's version, so cached thread pages (and the read fast path) never
serve a page from before it, and every change is on the audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from belowline import events, permissions
from belowline.accounts.models import User
from belowline.audit import service as audit
from belowline.comments import service as comments_service
from belowline.comments.models import Comment, CommentStatus
from belowline.comments.rendering import render_markdown
from belowline.errors import Conflict, ErrorCode, InvalidInput
from belowline.ids import MAX_ROW_ID
from belowline.permissions import require
from belowline.stories import service as stories_service
from belowline.stories.models import Story

ANNOUNCEMENT_MAX = 2000
SEARCH_LIMIT = 50


def feature(
    session: Session, *, actor: User, comment_id: int, featured: bool, now: datetime
) -> Comment:
    """Feature (or unfeature) a published comment; doing it twice changes nothing more."""
    comment, story = comments_service.get_comment(session, comment_id=comment_id)
    require(permissions.can_moderate, actor, comment.site_id)
    if featured and comment.status != CommentStatus.PUBLISHED:
        raise Conflict(
            "Only a published comment can be featured.", code=ErrorCode.COMMENT_NOT_EDITABLE
        )
    if comment.featured == featured:
        return comment
    comment.featured = featured
    stories_service.bump_version(session, story_id=story.id)
    audit.write(
        session,
        site_id=comment.site_id,
        actor=actor,
        action="comment.feature" if featured else "comment.unfeature",
        target_type="comment",
        target_id=comment.id,
        now=now,
    )
    session.flush()
    # Open widgets refresh their Featured strip (and the mark on the comment) at once.
    events.record(
        session,
        events.CommentChanged(
            kind="featured" if featured else "unfeatured",
            site_id=story.site_id,
            story_external_id=story.external_id,
            comment_id=comment.id,
            public=True,
            payload=comments_service.view(session, comment, story),
        ),
    )
    return comment


def set_announcement(
    session: Session,
    *,
    actor: User,
    site_id: str,
    story_id: str,
    text: str | None,
    now: datetime,
) -> Story:
    """Pin a note from the newsroom above a story's comments, or take it down (None/empty)."""
    require(permissions.can_moderate, actor, site_id)
    story = stories_service.get_story(session, site_id=site_id, external_id=story_id)
    cleaned = (text or "").strip()
    if len(cleaned) > ANNOUNCEMENT_MAX:
        raise InvalidInput(
            f"An announcement may be at most {ANNOUNCEMENT_MAX} characters.",
            code=ErrorCode.VALIDATION_ERROR,
            field="text",
        )
    story.announcement_md = cleaned or None
    story.announcement_html = render_markdown(cleaned) if cleaned else None
    story.announcement_at = now if cleaned else None
    stories_service.bump_version(session, story_id=story.id)
    audit.write(
        session,
        site_id=site_id,
        actor=actor,
        action="story.announce" if cleaned else "story.unannounce",
        target_type="story",
        target_id=story.external_id,
        note=cleaned[:200] or None,
        now=now,
    )
    return story


def set_story_options(
    session: Session,
    *,
    actor: User,
    site_id: str,
    story_id: str,
    closed: bool | None,
    premoderate: bool | None,
    now: datetime,
) -> Story:
    """Open or close a story's comments, or pre-moderate them, from the dashboard."""
    require(permissions.can_moderate, actor, site_id)
    story = stories_service.get_story(session, site_id=site_id, external_id=story_id)
    changes = []
    if closed is not None and closed != story.closed:
        story.closed = closed
        changes.append("closed" if closed else "opened")
    if premoderate is not None and premoderate != story.premoderate:
        story.premoderate = premoderate
        changes.append("pre-moderated" if premoderate else "post-moderated")
    if changes:
        stories_service.bump_version(session, story_id=story.id)
        audit.write(
            session,
            site_id=site_id,
            actor=actor,
            action="story.update",
            target_type="story",
            target_id=story.external_id,
            note=", ".join(changes),
            now=now,
        )
    return story


def stories(session: Session, *, actor: User, site_id: str, limit: int = 50) -> list[Story]:
    """The site's latest stories, for the dashboard's Stories page."""
    require(permissions.can_moderate, actor, site_id)
    return list(
        session.scalars(
            select(Story)
            .where(Story.site_id == site_id)
            .order_by(Story.created_at.desc(), Story.id.desc())
            .limit(limit)
        )
    )


def search(
    session: Session,
    *,
    actor: User,
    site_id: str,
    text: str | None = None,
    author: str | None = None,
    story: str | None = None,
    limit: int = SEARCH_LIMIT,
) -> list[tuple[Comment, Story, User]]:
    """Comments of the site by words in them, their author (name, email or id) or story."""
    require(permissions.can_moderate, actor, site_id)
    terms = [(t or "").strip() for t in (text, author, story)]
    if not any(terms):
        return []
    if any(len(t) > 200 for t in terms):
        raise InvalidInput(
            "Search terms may be at most 200 characters.", code=ErrorCode.VALIDATION_ERROR
        )
    stmt = (
        select(Comment, Story, User)
        .join(Story, Story.id == Comment.story_id)
        .join(User, User.id == Comment.author_id)
        .where(Comment.site_id == site_id)
    )
    words, who, where = terms
    if words:
        stmt = stmt.where(Comment.body_md.ilike(f"%{_like(words)}%", escape="\\"))
    if who:
        match = [User.display_name.ilike(f"%{_like(who)}%", escape="\\"), User.email == who]
        if who.isdigit() and 0 < int(who) <= MAX_ROW_ID:
            match.append(User.id == int(who))
        stmt = stmt.where(or_(*match))
    if where:
        stmt = stmt.where(
            or_(
                Story.external_id == where,
                Story.title.ilike(f"%{_like(where)}%", escape="\\"),
            )
        )
    rows = session.execute(stmt.order_by(Comment.id.desc()).limit(limit)).all()
    return [(c, s, u) for c, s, u in rows]


def _like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def thread(
    session: Session, *, actor: User, site_id: str, story_id: str, limit: int
) -> tuple[Story, list[Comment]]:
    """A story and its comments, whatever their status, oldest first (the staff thread view)."""
    require(permissions.can_moderate, actor, site_id)
    story = stories_service.get_story(session, site_id=site_id, external_id=story_id)
    rows = session.scalars(
        select(Comment)
        .where(Comment.story_id == story.id)
        .order_by(Comment.created_at, Comment.id)
        .limit(limit)
    )
    return story, list(rows)
