"""Comments: posting, replying, editing within the window, deleting one's own, reacting.

Invariants: every write checks entitlement, sanctions and the rules acceptance; text is
cleaned and rendered once, at write time; an edit keeps the previous text as a revision; a
deleted comment stays as a tombstone so replies keep their place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from belowline import events
from belowline.accounts import service as accounts_service
from belowline.accounts.models import User
from belowline.comments import state
from belowline.comments.models import (
    Comment,
    CommentRevision,
    CommentStatus,
    Reaction,
    RevisionKind,
)
from belowline.comments.rendering import clean_text, render_markdown
from belowline.comments.views import badges_for, public_comment, subscriber_badge_on
from belowline.db.prepared import Prepared
from belowline.errors import ErrorCode, Forbidden, InvalidInput, NotFound
from belowline.notifications import replies
from belowline.permissions import can_edit_comment, can_moderate
from belowline.rules import service as rules_service
from belowline.stories import service as stories_service
from belowline.stories.models import Site, Story

# What a policy writes once the comment has its id (queue items, decisions), or None.
Followup = Callable[[], None]
# Decides a new comment's status and scores before anything is written (the comment is not
# in the session yet), returning the side effects to write after its INSERT. The default
# publishes; moderation installs the coverage-aware policy in create_app.
PostPolicy = Callable[[Session, Comment, Story, User, datetime], Followup | None]


def default_policy(
    session: Session,  # noqa: ARG001 - the PostPolicy signature
    comment: Comment,
    story: Story,
    author: User,
    now: datetime,
) -> Followup | None:
    """Hold comments on pre-moderated stories or by pre-moderated authors; publish the rest."""
    premoderated = author.premoderated or (
        author.premoderated_until is not None and author.premoderated_until > now
    )
    if story.premoderate or premoderated:
        comment.status = CommentStatus.HELD
        comment.held_reason = "story_premoderated" if story.premoderate else "author_premoderated"
    return None


def validate_body(site: Site, raw: str) -> str:
    """Clean the text and enforce the site's length limit."""
    body = clean_text(raw)
    if not body:
        raise InvalidInput("Write something before posting.", code=ErrorCode.INVALID_BODY)
    if len(body) > site.max_comment_length:
        raise InvalidInput(
            f"Comments can be at most {site.max_comment_length} characters; "
            f"this one has {len(body)}.",
            code=ErrorCode.INVALID_BODY,
            max_length=site.max_comment_length,
        )
    return body


def author_name(session: Session, user_id: int) -> str:
    # session.get answers from the identity map when the author is already loaded (a post).
    user = session.get(User, user_id)
    return user.display_name if user is not None else "Reader"


def view(
    session: Session, comment: Comment, story: Story, *, viewer: User | None = None
) -> dict[str, Any]:
    """A comment as `viewer` sees it (authors and staff see held text)."""
    show_held = viewer is not None and (
        viewer.id == comment.author_id or can_moderate(viewer, comment.site_id)
    )
    author = session.get(User, comment.author_id)
    site = session.get(Site, story.site_id)
    return public_comment(
        comment,
        author_name=author.display_name if author is not None else "Reader",
        story_external_id=story.external_id,
        show_held=show_held,
        badges=badges_for(
            author.role, author.is_subscriber, subscriber_badge=subscriber_badge_on(site)
        )
        if author is not None
        else [],
    )


def _event(session: Session, kind: str, comment: Comment, story: Story) -> None:
    public = comment.status != CommentStatus.HELD
    payload = view(session, comment, story) if public else {}
    events.record(
        session,
        events.CommentChanged(
            kind=kind,
            site_id=story.site_id,
            story_external_id=story.external_id,
            comment_id=comment.id,
            public=public,
            payload=payload,
        ),
    )


def post_comment(
    session: Session,
    *,
    site: Site,
    story: Story,
    author: User,
    body: str,
    parent_id: int | None,
    accept_terms_version: int | None,
    now: datetime,
    policy: PostPolicy = default_policy,
) -> Comment:
    """Post a comment or reply after every check a real post needs."""
    accounts_service.require_may_write(author, now=now)
    if author.site_id != site.id:
        raise Forbidden("Your account belongs to another site.", code=ErrorCode.FORBIDDEN)
    if not stories_service.is_open(story, now=now):
        raise Forbidden("Comments are closed on this story.", code=ErrorCode.COMMENTING_CLOSED)
    text = validate_body(site, body)
    parent = None
    if parent_id is not None:
        parent = session.get(Comment, parent_id)
        if (
            parent is None
            or parent.story_id != story.id
            or parent.status != CommentStatus.PUBLISHED
        ):
            raise NotFound(
                "The comment you are replying to is not available.", code=ErrorCode.PARENT_NOT_FOUND
            )
    acceptance = rules_service.terms_to_record(
        session, user=author, accept_version=accept_terms_version, now=now
    )
    comment = Comment(
        site_id=site.id,
        story_id=story.id,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author_id=author.id,
        status=CommentStatus.PUBLISHED,
        body_md=text,
        body_html=render_markdown(text),
        created_at=now,
        reaction_count=0,
        reply_count=0,
        version=1,
        moderator_edited=False,
        featured=False,
    )
    # Every check, score and render before the first write: the writer's turn stays short.
    followup = policy(session, comment, story, author, now)
    if acceptance is not None:
        session.add(acceptance)
    _insert(session, comment)
    if followup is not None:
        followup()
    state.on_created(session, comment)
    if parent is not None and comment.status == CommentStatus.PUBLISHED:
        replies.on_reply(session, reply=comment, parent=parent, story=story, now=now)
    _event(session, "created", comment, story)
    return comment


_COMMENTS = cast(Table, Comment.__table__)
_INSERT_KEYS = [c.key for c in _COMMENTS.columns if c.key != "id"]
_INSERT = Prepared(insert(_COMMENTS).returning(_COMMENTS.c.id), column_keys=_INSERT_KEYS)


def _insert(session: Session, comment: Comment) -> None:
    """INSERT with Core, attach as loaded: the ORM's flush of one row cost the most."""
    for column in _COMMENTS.columns:
        if column.key != "id" and column.key not in comment.__dict__:
            default = column.default
            setattr(
                comment,
                column.key,
                default.arg if isinstance(default, ScalarElementColumnDefault) else None,
            )
    values = {key: getattr(comment, key) for key in _INSERT_KEYS}
    comment.id = int(_INSERT.scalar(session, values))
    make_transient_to_detached(comment)
    session.add(comment)


def get_comment(session: Session, *, comment_id: int) -> tuple[Comment, Story]:
    """A comment and its story, or `comment_not_found`."""
    row = session.execute(
        select(Comment, Story)
        .join(Story, Story.id == Comment.story_id)
        .where(Comment.id == comment_id)
    ).first()
    if row is None:
        raise NotFound("There is no such comment.", code=ErrorCode.COMMENT_NOT_FOUND)
    return row[0], row[1]


def get_visible_comment(
    session: Session, *, comment_id: int, viewer: User | None
) -> tuple[Comment, Story]:
    """Like get_comment, but a held comment is 'not found' to everyone but its author and staff."""
    comment, story = get_comment(session, comment_id=comment_id)
    if comment.status == CommentStatus.HELD and not (
        viewer is not None
        and (viewer.id == comment.author_id or can_moderate(viewer, comment.site_id))
    ):
        raise NotFound("There is no such comment.", code=ErrorCode.COMMENT_NOT_FOUND)
    return comment, story


def comment_for_action(session: Session, *, comment_id: int, actor: User) -> tuple[Comment, Story]:
    """A comment a reader may act on (react, report, edit, delete): visible to them and on
    their own site. Accounts belong to one site, so another site's comments are 'not found'."""
    comment, story = get_visible_comment(session, comment_id=comment_id, viewer=actor)
    if comment.site_id != actor.site_id:
        raise NotFound("There is no such comment.", code=ErrorCode.COMMENT_NOT_FOUND)
    return comment, story


def _own_comment(session: Session, *, comment_id: int, actor: User) -> tuple[Comment, Story]:
    comment, story = comment_for_action(session, comment_id=comment_id, actor=actor)
    if not can_edit_comment(actor, comment.author_id):
        raise Forbidden("You can only change your own comments.", code=ErrorCode.NOT_YOUR_COMMENT)
    return comment, story


def edit_comment(
    session: Session,
    *,
    comment_id: int,
    actor: User,
    body: str,
    site: Site,
    now: datetime,
    policy: PostPolicy | None = None,
) -> Comment:
    """Edit one's own comment inside the site's edit window; the old text becomes a revision."""
    comment, story = _own_comment(session, comment_id=comment_id, actor=actor)
    accounts_service.require_may_write(actor, now=now)
    if (
        comment.status not in (CommentStatus.PUBLISHED, CommentStatus.HELD)
        or comment.moderator_edited
    ):
        raise Forbidden(
            "This comment can no longer be edited.", code=ErrorCode.COMMENT_NOT_EDITABLE
        )
    if now - comment.created_at > timedelta(seconds=site.edit_window_seconds):
        minutes = max(1, site.edit_window_seconds // 60)
        raise Forbidden(
            f"Comments can be edited for {minutes} minutes after posting.",
            code=ErrorCode.EDIT_WINDOW_CLOSED,
        )
    text = validate_body(site, body)
    if text == comment.body_md:
        return comment
    keep_original(session, comment)
    comment.body_md = text
    comment.body_html = render_markdown(text)
    comment.edited_at = now
    comment.version += 1
    session.add(
        CommentRevision(
            comment_id=comment.id,
            kind=RevisionKind.AUTHOR_EDIT,
            body_md=text,
            body_html=comment.body_html,
            editor_id=actor.id,
            created_at=now,
        )
    )
    if policy is not None:  # re-triage the new text (create_app installs the edit policy)
        followup = policy(session, comment, story, actor, now)
        if followup is not None:
            followup()
    stories_service.bump_version(session, story_id=story.id)
    session.flush()
    _event(session, "edited", comment, story)
    return comment


def keep_original(session: Session, comment: Comment) -> None:
    """Keep the author's original as a revision before the first change to a comment."""
    has_any = session.scalar(
        select(CommentRevision.id).where(CommentRevision.comment_id == comment.id).limit(1)
    )
    if not has_any:
        session.add(
            CommentRevision(
                comment_id=comment.id,
                kind=RevisionKind.ORIGINAL,
                body_md=comment.body_md,
                body_html=comment.body_html,
                editor_id=comment.author_id,
                created_at=comment.created_at,
            )
        )


def delete_own_comment(session: Session, *, comment_id: int, actor: User, now: datetime) -> Comment:
    """Delete one's own comment: a tombstone keeps any replies in place."""
    comment, story = _own_comment(session, comment_id=comment_id, actor=actor)
    if comment.status == CommentStatus.DELETED:
        return comment
    if comment.status == CommentStatus.REMOVED:
        raise Forbidden(
            "A moderator has already removed this comment.", code=ErrorCode.COMMENT_NOT_EDITABLE
        )
    state.change_status(session, comment, CommentStatus.DELETED)
    comment.edited_at = now
    _event(session, "deleted", comment, story)
    return comment


def personal_overlay(
    session: Session, *, story: Story, viewer: User, comment_ids: list[int]
) -> dict[str, Any]:
    """What only this viewer sees on a page: their reactions and their comments awaiting review."""
    reacted = (
        session.scalars(
            select(Reaction.comment_id).where(
                Reaction.user_id == viewer.id, Reaction.comment_id.in_(comment_ids)
            )
        ).all()
        if comment_ids
        else []
    )
    held = session.scalars(
        select(Comment)
        .where(
            Comment.story_id == story.id,
            Comment.author_id == viewer.id,
            Comment.status == CommentStatus.HELD,
        )
        .order_by(Comment.created_at.desc())
        .limit(20)
    ).all()
    badges = badges_for(
        viewer.role,
        viewer.is_subscriber,
        subscriber_badge=subscriber_badge_on(session.get(Site, story.site_id)),
    )
    return {
        "reacted": list(reacted),
        "pending": [
            public_comment(
                c,
                author_name=viewer.display_name,
                story_external_id=story.external_id,
                show_held=True,
                badges=badges,
            )
            for c in held
        ],
    }
