"""Thread pages: keyset cursors for every sort, nesting, load more replies, caching."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.clock import FrozenClock
from belowline.comments import service as comments_service
from belowline.comments.models import Comment
from belowline.stories.models import Story
from tests.factories import make_user, make_world

URL = "/api/v1/sites/gazette/stories/story-1/comments"


def _seed(session: Session, clock: FrozenClock, n: int) -> tuple[Story, list[User], list[Comment]]:
    world = make_world(session, clock())
    users = [make_user(session, world.site, clock()) for _ in range(3)]
    made: list[Comment] = []
    for i in range(n):
        clock.advance(seconds=1)
        c = comments_service.post_comment(
            session,
            site=world.site,
            story=world.story,
            author=users[i % 3],
            body=f"comment {i}",
            parent_id=None,
            accept_terms_version=None,
            now=clock(),
        )
        c.reaction_count = (i * 7) % 5
        made.append(c)
    session.commit()
    return world.story, users, made


def _walk(client: TestClient, sort: str, limit: int) -> list[int]:
    seen: list[int] = []
    cursor = None
    for _ in range(100):
        params = {"sort": sort, "limit": limit, **({"cursor": cursor} if cursor else {})}
        page = client.get(URL, params=params).json()
        seen.extend(i["id"] for i in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    return seen


@pytest.mark.parametrize("sort", ["newest", "oldest", "reactions", "replies"])
def test_cursor_walk_visits_each_comment_once_in_order(
    client: TestClient, session: Session, clock: FrozenClock, sort: str
) -> None:
    _, _, made = _seed(session, clock, 23)
    seen = _walk(client, sort, 5)
    assert sorted(seen) == sorted(c.id for c in made)
    assert len(seen) == len(set(seen))
    if sort == "newest":
        assert seen == sorted(seen, reverse=True)
    if sort == "oldest":
        assert seen == sorted(seen)
    if sort == "reactions":
        by_id = {c.id: c.reaction_count for c in made}
        keys = [(by_id[i], i) for i in seen]
        assert keys == sorted(keys, reverse=True)


def test_bad_cursor_is_a_clear_error(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    _seed(session, clock, 3)
    r = client.get(URL, params={"cursor": "garbage!!"})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "invalid_cursor")
    newest_cursor = client.get(URL, params={"limit": 1}).json()["next_cursor"]
    r = client.get(URL, params={"cursor": newest_cursor, "sort": "reactions"})
    assert r.json()["error"]["code"] == "invalid_cursor"
    assert client.get(URL, params={"sort": "loudest"}).status_code == 422
    assert client.get(URL, params={"limit": 1000}).status_code == 422


def test_deep_thread_nests_three_levels_then_load_more(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    story, users, made = _seed(session, clock, 1)
    site = story.site_id
    from belowline.stories.models import Site

    site_obj = session.get(Site, site)
    assert site_obj is not None
    parent = made[0]
    chain = [parent]
    for depth in range(1, 6):
        clock.advance(seconds=1)
        chain.append(
            comments_service.post_comment(
                session,
                site=site_obj,
                story=story,
                author=users[depth % 3],
                body=f"depth {depth}",
                parent_id=chain[-1].id,
                accept_terms_version=None,
                now=clock(),
            )
        )
    for i in range(5):  # five direct replies to the top comment: three shown
        clock.advance(seconds=1)
        comments_service.post_comment(
            session,
            site=site_obj,
            story=story,
            author=users[1],
            body=f"sibling {i}",
            parent_id=parent.id,
            accept_terms_version=None,
            now=clock(),
        )
    session.commit()
    top = client.get(URL).json()["items"][0]
    assert top["reply_count"] == 6
    assert len(top["replies"]) == 3
    level1 = top["replies"][0]
    level2 = level1["replies"][0]
    assert level2["depth"] == 2
    assert "replies" not in level2 and level2["reply_count"] == 1
    assert level2["more_replies_cursor"] == "start"
    deeper = client.get(f"/api/v1/comments/{level2['id']}/replies").json()
    assert deeper["items"][0]["depth"] == 3
    more = client.get(
        f"/api/v1/comments/{top['id']}/replies", params={"cursor": top["more_replies_cursor"]}
    ).json()
    assert [i["body_html"] for i in more["items"]] == [
        "<p>sibling 2</p>",
        "<p>sibling 3</p>",
        "<p>sibling 4</p>",
    ]


def test_etag_and_not_modified_until_thread_changes(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    story, users, _ = _seed(session, clock, 2)
    first = client.get(URL)
    etag = first.headers["etag"]
    again = client.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304
    from belowline.stories.models import Site

    site = session.get(Site, story.site_id)
    assert site is not None
    comments_service.post_comment(
        session,
        site=site,
        story=story,
        author=users[0],
        body="new",
        parent_id=None,
        accept_terms_version=None,
        now=clock() + timedelta(seconds=5),
    )
    session.commit()
    changed = client.get(URL, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["total"] == 3


def test_cached_page_never_carries_personal_bits(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    from tests.factories import TEST_SECRET, auth

    _story, users, made = _seed(session, clock, 2)
    h = auth(users[1], clock(), TEST_SECRET)
    client.post(f"/api/v1/comments/{made[0].id}/reactions", headers=h)
    personal = client.get(URL, headers=h)
    assert personal.json()["viewer"]["reacted"] == [made[0].id]
    assert "private" in personal.headers["cache-control"]
    anonymous = client.get(URL)
    assert "viewer" not in anonymous.json()
    other = client.get(URL, headers=auth(users[2], clock(), TEST_SECRET)).json()
    assert other["viewer"]["reacted"] == []


def test_fast_path_serves_the_same_page_and_sees_changes(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    story, users, _ = _seed(session, clock, 3)
    miss = client.get(URL, params={"sort": "oldest", "limit": 2})
    assert "x-cache" not in miss.headers
    hit = client.get(URL, params={"sort": "oldest", "limit": 2})
    assert hit.headers["x-cache"] == "hit"
    assert hit.content == miss.content
    assert hit.headers["etag"] == miss.headers["etag"]
    assert client.get(URL, headers={"If-None-Match": hit.headers["etag"]}).status_code in (200, 304)
    from belowline.stories.models import Site

    site = session.get(Site, story.site_id)
    assert site is not None
    comments_service.post_comment(
        session,
        site=site,
        story=story,
        author=users[0],
        body="late",
        parent_id=None,
        accept_terms_version=None,
        now=clock() + timedelta(seconds=9),
    )
    session.commit()
    after = client.get(URL, params={"sort": "oldest", "limit": 2})
    assert "x-cache" not in after.headers  # new version: rebuilt, not served stale
    assert after.json()["total"] == 4


def test_counts_fast_path_and_unknown_site(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    _seed(session, clock, 2)
    r = client.get("/api/v1/sites/gazette/counts?story=story-1&story=nope")
    assert r.json() == {"story-1": 2, "nope": 0}
    assert client.get("/api/v1/sites/gazette/counts?story=nope").json() == {"nope": 0}
    missing = client.get("/api/v1/sites/elsewhere/counts?story=story-1")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "site_not_found")


def test_hidden_comment_with_replies_keeps_its_place(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    from belowline.comments import state
    from belowline.comments.models import CommentStatus
    from belowline.stories.models import Site

    story, users, made = _seed(session, clock, 1)
    site = session.get(Site, story.site_id)
    assert site is not None
    reply = comments_service.post_comment(
        session,
        site=site,
        story=story,
        author=users[1],
        body="a reply",
        parent_id=made[0].id,
        accept_terms_version=None,
        now=clock() + timedelta(seconds=3),
    )
    state.change_status(session, made[0], CommentStatus.HELD)
    session.commit()
    items = client.get(URL).json()["items"]
    assert [i["id"] for i in items] == [made[0].id]
    assert items[0]["status"] == "held" and items[0]["body_html"] == ""
    assert items[0]["replies"][0]["id"] == reply.id
