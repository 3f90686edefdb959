"""Pages built from plain rows are byte for byte the pages the ORM builder made.

`reference_threads` is the ORM page builder as it was, kept here only to compare against:
every sort, every cursor, replies pages, tombstones, held, edited, featured and staff
comments, badges on and off, and readers who are the author or staff, on SQLite and on
PostgreSQL (BELOWLINE_TEST_DATABASE_URL).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from belowline.accounts.models import Role, User
from belowline.app import create_app
from belowline.clock import FrozenClock
from belowline.comments import api as comments_api
from belowline.comments import service as comments_service
from belowline.comments import threads
from belowline.comments.cursors import Sort, encode_cursor
from belowline.comments.models import Comment, CommentStatus
from belowline.settings import Settings
from belowline.stories import service as stories_service
from belowline.stories.models import Site, Story
from tests.comments import reference_threads
from tests.factories import auth, make_user, make_world

URL = "/api/v1/sites/gazette/stories/story-1/comments"
TIMED = (Sort.NEWEST, Sort.OLDEST, Sort.FEATURED)


def _post(
    session: Session, clock: FrozenClock, story: Story, author: User, parent: Comment | None
) -> Comment:
    clock.advance(seconds=7, microseconds=123457)  # times with and without microseconds
    return comments_service.post_comment(
        session,
        site=session.get(Site, story.site_id),  # type: ignore[arg-type]
        story=story,
        author=author,
        body=f"said *at* {clock().isoformat()} [link](https://example.org/x)",
        parent_id=parent.id if parent else None,
        accept_terms_version=None,
        now=clock(),
    )


def _thread(session: Session, clock: FrozenClock) -> tuple[Story, list[User], list[Comment]]:
    """A thread with every shape a page shows: nesting past the visible depth, more replies
    than are shown, tombstones holding replies, held, edited, featured, reacted comments."""
    world = make_world(session, clock())
    users = [
        make_user(session, world.site, clock(), subscriber=True),
        make_user(session, world.site, clock(), subscriber=True),
        make_user(session, world.site, clock(), role=Role.MODERATOR),
    ]
    made: list[Comment] = []
    for i in range(12):
        root = _post(session, clock, world.story, users[i % 3], None)
        made.append(root)
        parent = root
        for depth in range(i % 5):  # chains deeper than the three levels a page shows
            kid = _post(session, clock, world.story, users[(i + depth) % 3], parent)
            made.append(kid)
            parent = kid if depth % 2 else root
    for _ in range(6):  # more replies than a page shows under one comment
        made.append(_post(session, clock, world.story, users[1], made[0]))
    users[1].is_subscriber = False  # lapsed since: no subscriber badge
    session.flush()
    for n, c in enumerate(made):
        c.reaction_count = (n * 7) % 4
    by_id = {c.id: c for c in made}
    with_replies = [c for c in made if c.reply_count > 0]
    with_replies[0].status = CommentStatus.REMOVED
    with_replies[0].removal_reason = "Off topic."
    with_replies[1].status = CommentStatus.REMOVED  # the default reason
    with_replies[2].status = CommentStatus.DELETED
    with_replies[3].status = CommentStatus.HELD
    without = [c for c in made if c.reply_count == 0 and c.depth == 0]
    without[0].status = CommentStatus.REMOVED  # a tombstone with nothing under it: not listed
    without[1].status = CommentStatus.HELD
    leaves = [c for c in made if c.reply_count == 0 and c.depth > 0]
    leaves[0].status = CommentStatus.HELD
    leaves[1].edited_at = clock() + timedelta(minutes=3)
    leaves[2].moderator_edited = True
    leaves[2].edited_at = clock() + timedelta(minutes=4, microseconds=5)
    for c in (made[0], leaves[3], by_id[with_replies[4].id]):
        c.featured = True
    made[2].created_at = made[2].created_at.replace(microsecond=0)  # isoformat drops zeros
    session.commit()
    return world.story, users, made


def _same(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    assert orjson.dumps(ours) == orjson.dumps(theirs)


def _walk(session: Session, story: Story, sort: Sort, limit: int) -> Iterator[dict[str, Any]]:
    ref = stories_service.ref_of(story)
    cursor: str | None = None
    for _ in range(50):
        ours = threads.thread_page(session, story=ref, sort=sort, limit=limit, cursor=cursor)
        theirs = reference_threads.thread_page(
            session, story=ref, sort=sort, limit=limit, cursor=cursor
        )
        _same(ours, theirs)
        yield ours
        cursor = ours["next_cursor"]
        if cursor is None:
            return
    raise AssertionError("the walk did not end")


@pytest.mark.parametrize("badge", [False, True])
def test_every_page_of_every_sort_matches_the_orm_builder(
    session: Session, clock: FrozenClock, badge: bool
) -> None:
    story, _, made = _thread(session, clock)
    site = session.get(Site, story.site_id)
    assert site is not None
    site.settings = {**(site.settings or {}), "subscriber_badge": badge}
    session.commit()
    seen: set[int] = set()
    for sort in Sort:
        for limit in (1, 2, 5, 20, 100):
            for page in _walk(session, story, sort, limit):
                seen.update(item["id"] for item in page["items"])
    listed = {c.id for c in made if c.depth == 0 and c.status == CommentStatus.PUBLISHED}
    assert listed <= seen
    text = orjson.dumps(list(_walk(session, story, Sort.OLDEST, 100))).decode()
    for mark in ('"held_reason"', '"removal_reason":"Off topic."', '"staff"', '"edited_at":"'):
        assert mark in text, mark
    assert '"moderator_edited":true' in text and '"featured":true' in text
    assert ('"subscriber"' in text) is badge


def test_replies_pages_match_the_orm_builder(session: Session, clock: FrozenClock) -> None:
    story, _, made = _thread(session, clock)
    parents = [c for c in made if c.reply_count > 0]
    assert len(parents) > 3
    for parent in parents:
        for limit in (1, 2, 20):
            cursor: str | None = None
            while True:
                ours = threads.replies_page(
                    session, parent=parent, story=story, limit=limit, cursor=cursor
                )
                theirs = reference_threads.replies_page(
                    session, parent=parent, story=story, limit=limit, cursor=cursor
                )
                _same(ours, theirs)
                cursor = ours["next_cursor"]
                if cursor is None:
                    break
    start = threads.replies_page(session, parent=made[0], story=story, limit=3, cursor="start")
    _same(
        start,
        reference_threads.replies_page(
            session, parent=made[0], story=story, limit=3, cursor="start"
        ),
    )


@pytest.fixture
def plain(settings: Settings, clock: FrozenClock, engine: Engine) -> Iterator[TestClient]:
    """The app with its page cache off: every answer is rendered."""
    app = create_app(
        settings.model_copy(update={"thread_cache": False}), clock=clock, engine=engine
    )
    with TestClient(app) as client:
        yield client


def test_answers_match_for_anonymous_readers_authors_and_staff(
    plain: TestClient,
    session: Session,
    clock: FrozenClock,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, users, made = _thread(session, clock)
    readers: list[dict[str, str]] = [{}] + [auth(u, clock(), settings.secret_key) for u in users]
    requests = [{"sort": sort.value, "limit": limit} for sort in Sort for limit in (2, 20)]
    first = plain.get(URL, params={"sort": "newest", "limit": 2}).json()
    requests.append({"sort": "newest", "limit": 2, "cursor": first["next_cursor"]})
    replies = f"/api/v1/comments/{made[0].id}/replies"

    def answers() -> list[tuple[int, bytes]]:
        out = []
        for headers in readers:
            for params in requests:
                r = plain.get(URL, params=params, headers=headers)
                out.append((r.status_code, r.content))
            r = plain.get(replies, params={"limit": 2}, headers=headers)
            out.append((r.status_code, r.content))
        return out

    ours = answers()
    monkeypatch.setattr(comments_api, "threads", reference_threads)
    theirs = answers()
    assert [s for s, _ in ours] == [200] * len(ours)
    assert ours == theirs


def test_crafted_cursors_read_as_the_orm_builder_read_them(
    session: Session, clock: FrozenClock
) -> None:
    """Cursors are opaque but a client can make one: far times and counts compare the same."""
    story, _, made = _thread(session, clock)
    ref = stories_service.ref_of(story)
    far = [datetime(999, 12, 31, tzinfo=UTC), datetime(9998, 1, 1, 0, 0, 0, 1, tzinfo=UTC)]
    cursors = [(sort, encode_cursor(sort, when, made[3].id)) for sort in TIMED for when in far]
    cursors += [(Sort.REACTIONS, encode_cursor(Sort.REACTIONS, 2, made[5].id))]
    cursors += [(Sort.REPLIES, encode_cursor(Sort.REPLIES, 0, made[5].id))]
    middle = made[6].created_at
    cursors += [(sort, encode_cursor(sort, middle, made[6].id)) for sort in TIMED]
    for sort, cursor in cursors:
        ours = threads.thread_page(session, story=ref, sort=sort, limit=4, cursor=cursor)
        theirs = reference_threads.thread_page(
            session, story=ref, sort=sort, limit=4, cursor=cursor
        )
        _same(ours, theirs)
    replies = threads.replies_page(
        session, parent=made[0], story=story, limit=2, cursor=encode_cursor("replies_of", far[0], 1)
    )
    _same(
        replies,
        reference_threads.replies_page(
            session,
            parent=made[0],
            story=story,
            limit=2,
            cursor=encode_cursor("replies_of", far[0], 1),
        ),
    )
    assert replies["items"]  # everything is after the year 999
