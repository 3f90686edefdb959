"""A site's stories and comments out again: Belowline JSON lines (lossless) or Disqus XML.

Both stream from the database (yield_per), so a large site exports in bounded memory. The
JSON lines keep every moderation state, reaction count and edit time and re-import exactly;
the Disqus XML follows the shape of Disqus's own export, which other systems' importers read
(held → isApproved false; removed and deleted → isDeleted true).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment, CommentStatus
from belowline.comments.views import iso
from belowline.importers.jsonl import FORMAT_VERSION
from belowline.stories import service as stories_service
from belowline.stories.models import Story

_PAGE = 1000


def _stories(session: Session, site_id: str) -> Iterator[Story]:
    yield from session.scalars(
        select(Story)
        .where(Story.site_id == site_id)
        .order_by(Story.id)
        .execution_options(yield_per=_PAGE)
    )


def _comments(session: Session, site_id: str) -> Iterator[tuple[Comment, User, str]]:
    rows = session.execute(
        select(Comment, User, Story.external_id)
        .join(User, User.id == Comment.author_id)
        .join(Story, Story.id == Comment.story_id)
        .where(Comment.site_id == site_id)
        .order_by(Comment.story_id, Comment.id)
        .execution_options(yield_per=_PAGE)
    )
    for comment, user, story in rows.tuples():
        yield comment, user, story
        session.expunge(comment)  # bounded memory: nothing stays in the identity map
        if user in session:
            session.expunge(user)


def export_jsonl(session: Session, *, site_id: str, out: TextIO, now: datetime) -> dict[str, int]:
    """Write the site as Belowline JSON lines; returns the counts written."""
    stories_service.get_site(session, site_id=site_id)
    counts = {"stories": 0, "comments": 0}

    def line(obj: dict[str, Any]) -> None:
        out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")

    line({"type": "belowline", "version": FORMAT_VERSION, "site": site_id, "exported_at": iso(now)})
    for story in _stories(session, site_id):
        line(
            {
                "type": "story",
                "id": story.external_id,
                "title": story.title,
                "url": story.url,
                "closed": story.closed,
                "premoderate": story.premoderate,
                "comment_count": story.comment_count,
                "created_at": iso(story.created_at),
            }
        )
        counts["stories"] += 1
    for c, user, story_id in _comments(session, site_id):
        line(
            {
                "type": "comment",
                "id": c.id,
                "story_id": story_id,
                "parent_id": c.parent_id,
                "author": {"id": user.id, "display_name": user.display_name, "email": user.email},
                "status": c.status,
                "body_md": c.body_md,
                "created_at": iso(c.created_at),
                "edited_at": iso(c.edited_at),
                "reaction_count": c.reaction_count,
                "featured": c.featured,
                "moderator_edited": c.moderator_edited,
                "removal_reason": c.removal_reason,
                "held_reason": c.held_reason,
            }
        )
        counts["comments"] += 1
    return counts


def _disqus_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def export_disqus(session: Session, *, site_id: str, out: TextIO) -> dict[str, int]:
    """Write the site as a Disqus XML export (threads, then posts)."""
    site = stories_service.get_site(session, site_id=site_id)
    counts = {"stories": 0, "comments": 0}
    forum = escape(site.id)
    out.write(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd '
        'http://disqus.com/api/schemas/1.0/disqus-internals.xsd">\n'
    )
    for story in _stories(session, site_id):
        out.write(
            f"  <thread dsq:id={quoteattr(str(story.id))}>\n"
            f"    <id>{escape(story.external_id)}</id>\n"
            f"    <forum>{forum}</forum>\n"
            f"    <link>{escape(story.url)}</link>\n"
            f"    <title>{_cdata(story.title)}</title>\n"
            "    <message />\n"
            f"    <createdAt>{_disqus_time(story.created_at)}</createdAt>\n"
            f"    <isClosed>{_bool(story.closed)}</isClosed>\n"
            "    <isDeleted>false</isDeleted>\n"
            "  </thread>\n"
        )
        counts["stories"] += 1
    for c, user, _story_id in _comments(session, site_id):
        email = f"      <email>{escape(user.email)}</email>\n" if user.email else ""
        parent = f"    <parent dsq:id={quoteattr(str(c.parent_id))} />\n" if c.parent_id else ""
        gone = c.status in (CommentStatus.DELETED, CommentStatus.REMOVED)
        out.write(
            f"  <post dsq:id={quoteattr(str(c.id))}>\n"
            "    <id />\n"
            f"    <message>{_cdata(c.body_html)}</message>\n"
            f"    <createdAt>{_disqus_time(c.created_at)}</createdAt>\n"
            f"    <isDeleted>{_bool(gone)}</isDeleted>\n"
            "    <isSpam>false</isSpam>\n"
            f"    <isApproved>{_bool(c.status != CommentStatus.HELD)}</isApproved>\n"
            "    <author>\n"
            f"{email}"
            f"      <name>{escape(user.display_name)}</name>\n"
            "      <isAnonymous>false</isAnonymous>\n"
            f"      <username>{escape(f'belowline-{user.id}')}</username>\n"
            "    </author>\n"
            f"    <thread dsq:id={quoteattr(str(c.story_id))} />\n"
            f"{parent}"
            "  </post>\n"
        )
        counts["comments"] += 1
    out.write("</disqus>\n")
    return counts
