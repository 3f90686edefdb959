"""How a comment looks to readers: public fields only; tombstones keep the thread's shape."""

from __future__ import annotations

from typing import Any

from belowline.comments.models import Comment, CommentStatus


def iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def badges_for(role: str, is_subscriber: bool, *, subscriber_badge: bool) -> list[str]:
    """The marks beside an author's name: staff always, subscribers where the site wants it."""
    if role in ("moderator", "admin"):
        return ["staff"]
    return ["subscriber"] if subscriber_badge and is_subscriber else []


def subscriber_badge_on(site: Any) -> bool:
    """The site setting `subscriber_badge` (off unless the newsroom turns it on)."""
    return bool((getattr(site, "settings", None) or {}).get("subscriber_badge", False))


def public_comment(
    c: Comment | Any,
    *,
    author_name: str,
    story_external_id: str,
    show_held: bool = False,
    badges: list[str] | None = None,
) -> dict[str, Any]:
    """The contract's Comment object as any reader may see it."""
    visible = c.status == CommentStatus.PUBLISHED or (show_held and c.status == CommentStatus.HELD)
    item: dict[str, Any] = {
        "id": c.id,
        "story_id": story_external_id,
        "parent_id": c.parent_id,
        "depth": c.depth,
        "author": {"id": c.author_id, "display_name": author_name, "badges": badges or []}
        if c.status != CommentStatus.DELETED
        else None,
        "body_html": c.body_html if visible else "",
        "status": c.status,
        "created_at": iso(c.created_at),
        "edited_at": iso(c.edited_at),
        "moderator_edited": c.moderator_edited,
        "featured": c.featured,
        "reaction_count": c.reaction_count,
        "reply_count": c.reply_count,
        "version": c.version,
    }
    if c.status == CommentStatus.REMOVED:
        item["removal_reason"] = c.removal_reason or "Removed by a moderator."
    elif c.status == CommentStatus.DELETED:
        item["removal_reason"] = "Deleted by its author."
    elif c.status == CommentStatus.HELD:
        item["held_reason"] = "Awaiting review by a moderator."
    return item
