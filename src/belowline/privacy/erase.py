"""Erasure (UK GDPR / GDPR Art. 17): the person's personal data goes; the records stay.

The user row stays as a pseudonymous "Former reader" (name, email, SSO subject, password and
last-seen time cleared), so decisions, reports, sanctions, appeals and the audit log keep
their ids and what was decided; none of those tables ever held a name or an address. By the
site's setting their comments stay under "Former reader" or lose their text (tombstones keep
replies in place). Every thread they wrote in gets a new version, so no cached page keeps
their name, and their access tokens stop working (`web/deps.py` refuses erased accounts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from belowline.accounts.models import Mute, Role, User
from belowline.audit import service as audit
from belowline.comments import state
from belowline.comments.models import Comment, CommentRevision, CommentStatus, Reaction
from belowline.errors import BelowlineError, Conflict, ErrorCode
from belowline.mail.models import ReaderPreferences
from belowline.notifications.models import Notification, NotificationKind
from belowline.outbox.models import OutboxMessage
from belowline.privacy import settings as privacy_settings
from belowline.stories import service as stories_service
from belowline.stories.models import Site

FORMER = "Former reader"


def _forget_reactions(session: Session, user: User) -> int:
    liked = list(session.scalars(select(Reaction.comment_id).where(Reaction.user_id == user.id)))
    for comment_id in liked:
        session.execute(
            update(Comment)
            .where(Comment.id == comment_id)
            .values(reaction_count=Comment.reaction_count - 1)
        )
    session.execute(delete(Reaction).where(Reaction.user_id == user.id))
    return len(liked)


def _erase_comments(session: Session, user: User, *, mode: str, now: datetime) -> set[int]:
    """Anonymise (nothing to change: the name is gone) or blank the comments; their stories."""
    comments = list(session.scalars(select(Comment).where(Comment.author_id == user.id)))
    stories = {c.story_id for c in comments}
    if mode == "delete":
        ids = [c.id for c in comments]
        if ids:
            session.execute(delete(CommentRevision).where(CommentRevision.comment_id.in_(ids)))
        for comment in comments:
            if comment.status != CommentStatus.DELETED:
                state.change_status(session, comment, CommentStatus.DELETED)
            comment.body_md = ""
            comment.body_html = ""
            comment.edited_at = now
    return stories


def _forget_mail(session: Session, user: User) -> None:
    """Queued and sent copies of their email hold their address and text: delete them."""
    for message in session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "email")):
        if (message.payload or {}).get("user_id") == user.id:
            session.delete(message)
    session.execute(delete(ReaderPreferences).where(ReaderPreferences.user_id == user.id))
    session.execute(delete(Mute).where(Mute.user_id == user.id))  # whom they muted


def _refuse_staff(session: Session, user: User) -> None:
    """Staff are erased only once they are readers again, and never the site's last admin.

    A staff account's actions are the newsroom's record (decisions, sanctions, audit): an admin
    first changes its role to commenter (audited, and refused for the last active admin by
    `people.staff`), then the person's data can go like anyone's.
    """
    if user.role not in (Role.MODERATOR, Role.ADMIN):
        return
    if user.role == Role.ADMIN and user.deactivated_at is None:
        others = session.scalar(
            select(func.count(User.id)).where(
                User.site_id == user.site_id,
                User.role == Role.ADMIN,
                User.deactivated_at.is_(None),
                User.id != user.id,
            )
        )
        if not others:
            raise BelowlineError(
                "This is the site's last admin and cannot be erased: make someone else an "
                "admin first.",
                code=ErrorCode.LAST_ADMIN,
                status_code=409,
            )
    raise BelowlineError(
        "This is a staff account: an admin must change its role to reader before its data "
        "can be erased.",
        code=ErrorCode.STAFF_ACCOUNT,
        status_code=409,
    )


def erase_person(
    session: Session, *, user: User, actor: User | None, now: datetime
) -> dict[str, Any]:
    """Erase one person's personal data; what was done, for the answer and the audit log."""
    if user.erased_at is not None:
        raise Conflict("This account was already erased.", code=ErrorCode.CONFLICT)
    _refuse_staff(session, user)
    site = session.get(Site, user.site_id)
    mode = privacy_settings.get(site).erase_comments if site else "anonymise"
    stories = _erase_comments(session, user, mode=mode, now=now)
    reactions = _forget_reactions(session, user)
    _forget_mail(session, user)
    # Reply notices hold other readers' words about them; statements of reasons are kept.
    session.execute(
        delete(Notification).where(
            Notification.user_id == user.id, Notification.kind == NotificationKind.REPLY
        )
    )
    user.display_name = FORMER
    user.email = None
    user.external_id = None
    user.password_hash = None
    user.last_seen_at = None
    user.is_subscriber = False
    user.subscription_expires_at = None
    user.erased_at = now
    for story_id in stories:
        stories_service.bump_version(session, story_id=story_id)
    summary = {
        "user_id": user.id,
        "comments": mode,
        "stories_refreshed": len(stories),
        "reactions_removed": reactions,
        "erased_at": now.isoformat(),
    }
    audit.write(
        session,
        site_id=user.site_id,
        actor=actor,
        action="privacy.erase",
        target_type="user",
        target_id=user.id,
        now=now,
        note="comments deleted" if mode == "delete" else "comments anonymised",
    )
    session.flush()
    return summary
