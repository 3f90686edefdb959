"""The ORM page builder as it was before pages were built from plain rows: a reference for
tests only (`test_page_equivalence` checks the two agree byte for byte).

A page is top-level comments in the chosen order, each with its first replies nested up to
`VISIBLE_DEPTH` levels; deeper or further replies are fetched with their parent's cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, text, tuple_
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.cursors import Sort, decode_cursor, encode_cursor
from belowline.comments.models import Comment, CommentStatus
from belowline.comments.views import badges_for, public_comment, subscriber_badge_on
from belowline.stories.models import Site, Story
from belowline.stories.service import StoryRef

VISIBLE_DEPTH = 3  # levels shown nested: top level plus two levels of replies
REPLIES_SHOWN = 3  # replies shown under each comment before "load more replies"
MAX_LIMIT = 100
_ARMS = 200  # parents per query: SQLite allows 500 terms in a compound select


def _listable() -> ColumnElement[bool]:
    """Published comments, plus tombstones (removed, deleted, hidden) that hold replies in place."""
    return or_(
        Comment.status == CommentStatus.PUBLISHED,
        and_(
            Comment.status.in_((CommentStatus.REMOVED, CommentStatus.DELETED, CommentStatus.HELD)),
            Comment.reply_count > 0,
        ),
    )


def _sort_columns(sort: Sort) -> tuple[Any, bool]:
    """(key column, descending?) for a sort order; ties broken by id in the same direction."""
    return {
        Sort.NEWEST: (Comment.created_at, True),
        Sort.OLDEST: (Comment.created_at, False),
        Sort.REACTIONS: (Comment.reaction_count, True),
        Sort.REPLIES: (Comment.reply_count, True),
        Sort.FEATURED: (Comment.created_at, True),
    }[sort]


# Only what a public page shows: no markdown source, no scores (JSON decoding costs), and
# plain rows rather than ORM objects, which halves the CPU of an uncached page.
_PAGE_COLUMNS = (
    Comment.id,
    Comment.parent_id,
    Comment.depth,
    Comment.author_id,
    Comment.status,
    Comment.body_html,
    Comment.created_at,
    Comment.edited_at,
    Comment.moderator_edited,
    Comment.featured,
    Comment.reaction_count,
    Comment.reply_count,
    Comment.version,
    Comment.removal_reason,
)


_PAGE_COLUMN_SQL = ", ".join(c.name for c in _PAGE_COLUMNS)
_LISTABLE_SQL = (
    "(status = 'published' OR (status IN ('removed', 'deleted', 'held') AND reply_count > 0))"
)


def _authors(
    session: Session, comments: Sequence[Any], *, subscriber_badge: bool
) -> dict[int, tuple[str, list[str]]]:
    """Each author's name and badges, in one query."""
    ids = {c.author_id for c in comments}
    if not ids:
        return {}
    rows = session.execute(
        select(User.id, User.display_name, User.role, User.is_subscriber).where(User.id.in_(ids))
    ).all()
    return {
        i: (name, badges_for(role, sub, subscriber_badge=subscriber_badge))
        for i, name, role, sub in rows
    }


def _children(session: Session, parent_ids: list[int]) -> list[Any]:
    """The first REPLIES_SHOWN listable replies of each parent, in one query.

    One index range per parent, each stopping after REPLIES_SHOWN rows (a UNION ALL of
    LIMITed selects), so a comment with thousands of replies costs no more than one with
    three; a window over all replies would read every one of them.
    """
    if not parent_ids:
        return []
    out: list[Any] = []
    for start in range(0, len(parent_ids), _ARMS):
        chunk = parent_ids[start : start + _ARMS]
        # Assembled as text: building the same UNION from expression objects costs more CPU
        # than running it. Only bound parameters go in; the column list is fixed.
        arms = " UNION ALL ".join(
            f"SELECT id FROM (SELECT id FROM comments WHERE parent_id = :p{i} AND {_LISTABLE_SQL}"
            f" ORDER BY created_at, id LIMIT {REPLIES_SHOWN}) AS a{i}"
            for i in range(len(chunk))
        )
        stmt = text(f"SELECT {_PAGE_COLUMN_SQL} FROM comments WHERE id IN ({arms})").columns(
            *_PAGE_COLUMNS
        )
        out.extend(session.execute(stmt, {f"p{i}": pid for i, pid in enumerate(chunk)}))
    out.sort(key=lambda c: (c.created_at, c.id))
    return out


def _nest(
    session: Session, roots: list[Any], story: Story | StoryRef, levels: int
) -> list[dict[str, Any]]:
    """Attach up to `levels` levels of first replies under `roots`, breadth-first."""
    all_comments: list[Any] = list(roots)
    by_parent: dict[int, list[Any]] = {}
    frontier = [c.id for c in roots if c.reply_count > 0]
    for _ in range(levels):
        kids = _children(session, frontier)
        for kid in kids:
            by_parent.setdefault(kid.parent_id or 0, []).append(kid)
        all_comments.extend(kids)
        frontier = [k.id for k in kids if k.reply_count > 0]
    # One column, not the whole site: loading a Site object was a fifth of an uncached page.
    site_settings = session.scalar(select(Site.settings).where(Site.id == story.site_id))
    badge = subscriber_badge_on(SimpleNamespace(settings=site_settings))
    authors = _authors(session, all_comments, subscriber_badge=badge)

    def build(c: Any, level: int) -> dict[str, Any]:
        name, badges = authors.get(c.author_id, ("Reader", []))
        item = public_comment(
            c, author_name=name, story_external_id=story.external_id, badges=badges
        )
        kids = by_parent.get(c.id, [])
        if level < levels:
            item["replies"] = [build(k, level + 1) for k in kids]
        shown = len(item.get("replies", []))
        item["more_replies_cursor"] = (
            encode_cursor("replies_of", kids[-1].created_at, kids[-1].id)
            if shown and c.reply_count > shown
            else ("start" if c.reply_count > shown else None)
        )
        return item

    return [build(c, 0) for c in roots]


def thread_page(
    session: Session, *, story: Story | StoryRef, sort: Sort, limit: int, cursor: str | None
) -> dict[str, Any]:
    """One page of a story's thread, for any reader (nothing personal in it)."""
    limit = max(1, min(limit, MAX_LIMIT))
    col, desc = _sort_columns(sort)
    if sort == Sort.FEATURED:  # featured replies too, each shown on its own
        stmt = select(*_PAGE_COLUMNS).where(
            Comment.story_id == story.id,
            Comment.featured.is_(True),
            Comment.status == CommentStatus.PUBLISHED,
        )
    else:
        stmt = select(*_PAGE_COLUMNS).where(
            Comment.story_id == story.id, Comment.depth == 0, _listable()
        )
    if cursor:
        key, last_id = decode_cursor(cursor, sort)
        after = (
            tuple_(col, Comment.id) < (key, last_id)
            if desc
            else (tuple_(col, Comment.id) > (key, last_id))
        )
        stmt = stmt.where(after)
    order = (col.desc(), Comment.id.desc()) if desc else (col.asc(), Comment.id.asc())
    rows = list(session.execute(stmt.order_by(*order).limit(limit + 1)))
    has_more = len(rows) > limit
    rows = rows[:limit]
    levels = 0 if sort == Sort.FEATURED else VISIBLE_DEPTH - 1
    items = _nest(session, rows, story, levels)
    next_cursor = None
    if has_more and rows:
        last = rows[-1]
        next_cursor = encode_cursor(sort, getattr(last, col.key), last.id)
    return {"items": items, "next_cursor": next_cursor, "total": story.comment_count}


def replies_page(
    session: Session, *, parent: Comment, story: Story, limit: int, cursor: str | None
) -> dict[str, Any]:
    """Further replies to one comment, oldest first, each with its own first replies."""
    limit = max(1, min(limit, MAX_LIMIT))
    stmt = select(*_PAGE_COLUMNS).where(Comment.parent_id == parent.id, _listable())
    if cursor and cursor != "start":
        key, last_id = decode_cursor(cursor, "replies_of")
        stmt = stmt.where(tuple_(Comment.created_at, Comment.id) > (key, last_id))
    rows = list(session.execute(stmt.order_by(Comment.created_at, Comment.id).limit(limit + 1)))
    has_more = len(rows) > limit
    rows = rows[:limit]
    items = _nest(session, rows, story, VISIBLE_DEPTH - 1)
    next_cursor = (
        encode_cursor("replies_of", rows[-1].created_at, rows[-1].id) if has_more and rows else None
    )
    return {"items": items, "next_cursor": next_cursor, "total": parent.reply_count}
