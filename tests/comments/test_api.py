"""Posting, editing, deleting and reacting through the API, and every bad input."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.comments.models import Comment, CommentRevision, CommentStatus, Reaction
from belowline.rules.models import TermsAcceptance
from belowline.stories.story_token import sign_story_token
from tests.factories import (
    SSO_SECRET,
    TEST_SECRET,
    auth,
    make_user,
    make_world,
    publisher_token,
)

URL = "/api/v1/sites/gazette/stories/story-1/comments"


def _count(session: Session, model: type) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def world(session: Session, clock: FrozenClock):  # type: ignore[no-untyped-def]
    return make_world(session, clock())


@pytest.fixture
def alice(session: Session, clock: FrozenClock, world):  # type: ignore[no-untyped-def]
    return make_user(session, world.site, clock(), name="Alice")


@pytest.fixture
def bob(session: Session, clock: FrozenClock, world):  # type: ignore[no-untyped-def]
    return make_user(session, world.site, clock(), name="Bob")


def post(
    client: TestClient, user, clock: FrozenClock, body: str = "A fair point.", **extra
) -> dict:  # type: ignore[no-untyped-def]
    r = client.post(URL, json={"body": body, **extra}, headers=auth(user, clock(), TEST_SECRET))
    assert r.status_code == 201, r.text
    return r.json()


def test_post_sanitises_and_marks_links(client: TestClient, alice, clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    c = post(
        client, alice, clock, "See [this](https://example.org) <script>x()</script> \u202e**bold**"
    )
    assert 'rel="nofollow ugc noopener"' in c["body_html"]
    assert "<script>" not in c["body_html"]
    assert "\u202e" not in c["body_html"]
    assert c["status"] == "published"
    assert c["author"]["display_name"] == "Alice"


def test_reply_nests_and_counts(client: TestClient, alice, bob, clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    parent = post(client, alice, clock)
    reply = post(client, bob, clock, "I disagree.", parent_id=parent["id"])
    assert reply["parent_id"] == parent["id"]
    assert reply["depth"] == 1
    page = client.get(URL).json()
    assert page["total"] == 2
    assert page["items"][0]["reply_count"] == 1
    assert page["items"][0]["replies"][0]["id"] == reply["id"]


def test_terms_required_then_recorded(
    client: TestClient, session: Session, world, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    carol = make_user(session, world.site, clock(), accept_rules=False)
    h = auth(carol, clock(), TEST_SECRET)
    r = client.post(URL, json={"body": "first!"}, headers=h)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "terms_not_accepted"
    assert _count(session, Comment) == 0
    r = client.post(
        URL, json={"body": "first!", "accept_terms_version": world.rules_version}, headers=h
    )
    assert r.status_code == 201
    assert _count(session, TermsAcceptance) == 1
    assert client.post(URL, json={"body": "second"}, headers=h).status_code == 201


def test_new_rules_version_requires_acceptance_again(
    client: TestClient, session: Session, alice, world, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    from belowline.rules import service as rules_service

    post(client, alice, clock)
    current = rules_service.require_rules(session, site_id="gazette")
    rules_service.publish_rules(
        session, site_id="gazette", intro_md="New", rules=current.rules, now=clock()
    )
    session.commit()
    r = client.post(URL, json={"body": "again"}, headers=auth(alice, clock(), TEST_SECRET))
    assert r.json()["error"]["code"] == "terms_not_accepted"
    assert post(client, alice, clock, "again", accept_terms_version=2)["status"] == "published"


def test_non_subscriber_cannot_post(
    client: TestClient, session: Session, world, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    nina = make_user(session, world.site, clock(), subscriber=False)
    r = client.post(URL, json={"body": "hi"}, headers=auth(nina, clock(), TEST_SECRET))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "subscription_required"
    assert _count(session, Comment) == 0


def test_closed_story(
    client: TestClient, session: Session, alice, world, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    world.story.closed = True
    session.commit()
    r = client.post(URL, json={"body": "hi"}, headers=auth(alice, clock(), TEST_SECRET))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "commenting_closed"


def test_suspended_user(client: TestClient, session: Session, alice, clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    alice.suspended_until = clock() + timedelta(days=2)
    session.commit()
    r = client.post(URL, json={"body": "hi"}, headers=auth(alice, clock(), TEST_SECRET))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "user_suspended"
    assert "until" in r.json()["error"]


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        (
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            400,
            "invalid_json",
        ),
        (
            {
                "content": b"body=hi",
                "headers": {"content-type": "application/x-www-form-urlencoded"},
            },
            415,
            "unsupported_media_type",
        ),
        (
            {
                "content": b'{"body": "' + b"x" * 70_000 + b'"}',
                "headers": {"content-type": "application/json"},
            },
            413,
            "payload_too_large",
        ),
        ({"json": {"body": ""}}, 422, "invalid_body"),
        ({"json": {"body": "   \n\t "}}, 422, "invalid_body"),
        ({"json": {"body": "x" * 3001}}, 422, "invalid_body"),
        ({"json": {"body": 5}}, 422, "validation_error"),
        ({"json": {"text": "wrong field"}}, 422, "validation_error"),
        ({"json": {"body": "hi", "parent_id": 999999}}, 404, "parent_not_found"),
        ({"json": ["a", "list"]}, 422, "validation_error"),
    ],
)
def test_bad_post_input(
    client: TestClient, session: Session, alice, clock: FrozenClock, kwargs, status, code
) -> None:  # type: ignore[no-untyped-def]
    headers = {**auth(alice, clock(), TEST_SECRET), **kwargs.pop("headers", {})}
    r = client.post(URL, headers=headers, **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert r.json()["error"]["message"]
    assert _count(session, Comment) == 0


def test_unknown_site_and_story(client: TestClient, alice, clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    h = auth(alice, clock(), TEST_SECRET)
    r = client.post("/api/v1/sites/nope/stories/story-1/comments", json={"body": "x"}, headers=h)
    assert (r.status_code, r.json()["error"]["code"]) == (404, "site_not_found")
    r = client.post("/api/v1/sites/gazette/stories/nope/comments", json={"body": "x"}, headers=h)
    assert (r.status_code, r.json()["error"]["code"]) == (404, "story_not_found")
    r = client.get("/api/v1/sites/gazette/stories/nope/comments")
    assert (r.status_code, r.json()["error"]["code"]) == (404, "story_not_found")


def test_story_created_lazily_only_with_the_sites_story_token(
    client: TestClient, session: Session, alice, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    h = {**auth(alice, clock(), TEST_SECRET), "Origin": "https://news.example"}
    url = "/api/v1/sites/gazette/stories/{}/comments"
    # An allowed Origin alone is no authority: any client can send one.
    r = client.post(url.format("forged"), json={"body": "x"}, headers=h)
    assert (r.status_code, r.json()["error"]["code"]) == (404, "story_not_found")
    token = sign_story_token(
        secret=SSO_SECRET,
        site_id="gazette",
        story_id="new-one",
        title="Signed title",
        url="https://news.example/n",
    )
    body = {"body": "first", "story_title": "Page title", "story_token": token}
    r = client.post(url.format("new-one"), json=body, headers=h)
    assert r.status_code == 201, r.text
    story = client.get("/api/v1/sites/gazette/stories/new-one").json()
    assert (story["title"], story["url"]) == ("Signed title", "https://news.example/n")
    bad = [
        sign_story_token(secret=SSO_SECRET, site_id="gazette", story_id="new-one"),  # other story
        sign_story_token(
            secret="not-the-sites-secret-but-long-enough-for-hs256",
            site_id="gazette",
            story_id="other",
        ),
        sign_story_token(secret=SSO_SECRET, site_id="courier", story_id="other"),
        publisher_token(),  # a sign-in token is not a story token
        "garbage",
    ]
    for token in bad:
        r = client.post(url.format("other"), json={"body": "x", "story_token": token}, headers=h)
        assert (r.status_code, r.json()["error"]["code"]) == (403, "invalid_story_token"), token


@pytest.mark.parametrize(
    "bad_url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "//evil", "x"]
)
def test_story_urls_must_be_web_addresses(
    client: TestClient, session: Session, alice, clock: FrozenClock, bad_url: str
) -> None:  # type: ignore[no-untyped-def]
    token = sign_story_token(secret=SSO_SECRET, site_id="gazette", story_id="lazy")
    r = client.post(
        "/api/v1/sites/gazette/stories/lazy/comments",
        json={"body": "x", "story_url": bad_url, "story_token": token},
        headers=auth(alice, clock(), TEST_SECRET),
    )
    assert r.status_code == 422, r.text
    assert r.json()["error"]["fields"][0]["field"] == "story_url"


def test_reply_to_removed_parent(
    client: TestClient, session: Session, alice, bob, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    parent = post(client, alice, clock)
    row = session.get(Comment, parent["id"])
    assert row is not None
    row.status = CommentStatus.REMOVED
    session.commit()
    r = client.post(
        URL, json={"body": "x", "parent_id": parent["id"]}, headers=auth(bob, clock(), TEST_SECRET)
    )
    assert r.json()["error"]["code"] == "parent_not_found"


def test_no_token_and_bad_token(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    r = client.post(URL, json={"body": "x"})
    assert (r.status_code, r.json()["error"]["code"]) == (401, "not_authenticated")
    r = client.post(URL, json={"body": "x"}, headers={"Authorization": "Bearer abc.def.ghi"})
    assert (r.status_code, r.json()["error"]["code"]) == (401, "invalid_token")


def test_edit_within_window_keeps_revisions(
    client: TestClient, session: Session, alice, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    c = post(client, alice, clock, "Frist")
    clock.advance(minutes=2)
    r = client.patch(
        f"/api/v1/comments/{c['id']}",
        json={"body": "First"},
        headers=auth(alice, clock(), TEST_SECRET),
    )
    assert r.status_code == 200
    assert r.json()["edited_at"] is not None
    assert r.json()["body_html"] == "<p>First</p>"
    kinds = session.scalars(select(CommentRevision.kind).order_by(CommentRevision.id)).all()
    assert kinds == ["original", "author_edit"]


def test_edit_after_window(client: TestClient, session: Session, alice, clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    c = post(client, alice, clock, "Frist")
    clock.advance(minutes=6)
    r = client.patch(
        f"/api/v1/comments/{c['id']}",
        json={"body": "First"},
        headers=auth(alice, clock(), TEST_SECRET),
    )
    assert (r.status_code, r.json()["error"]["code"]) == (403, "edit_window_closed")
    assert session.get(Comment, c["id"]).body_md == "Frist"  # type: ignore[union-attr]


def test_edit_or_delete_someone_elses(
    client: TestClient, session: Session, alice, bob, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    c = post(client, alice, clock)
    h = auth(bob, clock(), TEST_SECRET)
    r = client.patch(f"/api/v1/comments/{c['id']}", json={"body": "mine now"}, headers=h)
    assert (r.status_code, r.json()["error"]["code"]) == (403, "not_your_comment")
    r = client.delete(f"/api/v1/comments/{c['id']}", headers=h)
    assert (r.status_code, r.json()["error"]["code"]) == (403, "not_your_comment")
    assert client.patch("/api/v1/comments/424242", json={"body": "x"}, headers=h).status_code == 404


def test_delete_own_leaves_tombstone_for_replies(
    client: TestClient, alice, bob, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    parent = post(client, alice, clock)
    post(client, bob, clock, "reply", parent_id=parent["id"])
    lonely = post(client, alice, clock, "lonely")
    h = auth(alice, clock(), TEST_SECRET)
    assert (
        client.delete(f"/api/v1/comments/{parent['id']}", headers=h).json()["status"] == "deleted"
    )
    client.delete(f"/api/v1/comments/{lonely['id']}", headers=h)
    page = client.get(URL).json()
    assert page["total"] == 1
    assert [i["id"] for i in page["items"]] == [parent["id"]]
    tomb = page["items"][0]
    assert tomb["body_html"] == "" and tomb["author"] is None
    assert tomb["removal_reason"] == "Deleted by its author."
    assert tomb["replies"][0]["body_html"] == "<p>reply</p>"


def test_reaction_toggle(
    client: TestClient, session: Session, alice, bob, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    c = post(client, alice, clock)
    h = auth(bob, clock(), TEST_SECRET)
    r = client.post(f"/api/v1/comments/{c['id']}/reactions", headers=h)
    assert r.json() == {"id": c["id"], "reacted": True, "reaction_count": 1}
    page = client.get(URL, headers=h).json()
    assert page["viewer"]["reacted"] == [c["id"]]
    r = client.post(f"/api/v1/comments/{c['id']}/reactions", headers=h)
    assert r.json()["reaction_count"] == 0
    own = client.post(
        f"/api/v1/comments/{c['id']}/reactions", headers=auth(alice, clock(), TEST_SECRET)
    )
    assert own.status_code == 403
    assert _count(session, Reaction) == 0


def test_counts_for_many_stories(client: TestClient, alice, clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    post(client, alice, clock)
    post(client, alice, clock)
    r = client.get("/api/v1/sites/gazette/counts?story=story-1&story=missing")
    assert r.json() == {"story-1": 2, "missing": 0}


def test_put_story_with_api_key(client: TestClient, world, alice, clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    body = {"title": "Budget", "url": "https://news.example/b", "text": "Bridge money"}
    r = client.put(
        "/api/v1/sites/gazette/stories/b-1", json=body, headers={"X-Api-Key": world.api_key}
    )
    assert r.status_code == 200 and r.json()["id"] == "b-1"
    r = client.put(
        "/api/v1/sites/gazette/stories/b-1", json=body, headers={"X-Api-Key": "blk_wrong"}
    )
    assert r.status_code == 401
    r = client.put(
        "/api/v1/sites/gazette/stories/b-1", json=body, headers=auth(alice, clock(), TEST_SECRET)
    )
    assert (r.status_code, r.json()["error"]["code"]) == (403, "forbidden")


def test_held_comment_visible_only_to_author(
    client: TestClient, session: Session, alice, bob, world, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    world.story.premoderate = True
    session.commit()
    c = post(client, alice, clock, "needs a look")
    assert c["status"] == "held"
    assert client.get(URL).json()["total"] == 0
    mine = client.get(URL, headers=auth(alice, clock(), TEST_SECRET)).json()
    assert mine["viewer"]["pending"][0]["id"] == c["id"]
    theirs = client.get(URL, headers=auth(bob, clock(), TEST_SECRET)).json()
    assert theirs["viewer"]["pending"] == []
    assert client.get(f"/api/v1/comments/{c['id']}").status_code == 404
    assert (
        client.get(
            f"/api/v1/comments/{c['id']}", headers=auth(alice, clock(), TEST_SECRET)
        ).status_code
        == 200
    )


def test_cors_only_for_allowed_origins(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    ok = client.options(
        URL, headers={"Origin": "https://news.example", "Access-Control-Request-Method": "POST"}
    )
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == "https://news.example"
    bad = client.options(
        URL, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert bad.status_code == 403
    get = client.get(URL, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in get.headers


def test_reactions_stay_on_their_site(
    client: TestClient, session: Session, alice, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    c = post(client, alice, clock)
    other = make_world(session, clock(), site_id="courier")
    stranger = make_user(session, other.site, clock(), name="Courier Reader")
    r = client.post(
        f"/api/v1/comments/{c['id']}/reactions", headers=auth(stranger, clock(), TEST_SECRET)
    )
    assert (r.status_code, r.json()["error"]["code"]) == (404, "comment_not_found")
    assert session.scalar(select(func.count()).select_from(Reaction)) == 0
