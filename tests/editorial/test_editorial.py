"""Editor tools over HTTP: featuring, announcements, badges, story switches, search, thread view."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.models import AuditEntry, Site
from tests.cast import COMMENTS_URL, RULE, Cast, post, report
from tests.dashboard.test_pages import BASE, sign_in

STORY = "/api/v1/sites/gazette/stories/story-1"


def _listing(client: TestClient, sort: str = "newest") -> list[dict[str, object]]:
    r = client.get(COMMENTS_URL, params={"sort": sort})
    assert r.status_code == 200, r.text
    items: list[dict[str, object]] = r.json()["items"]
    return items


def test_featuring_shows_in_every_listing_and_the_featured_sort(
    client: TestClient, cast: Cast, session: Session
) -> None:
    first = post(client, cast, cast.author, "A thoughtful comment worth featuring.")
    second = post(client, cast, cast.reader, "An ordinary comment.")
    reply = post(client, cast, cast.reader2, "A reply also worth featuring.", parent_id=second)
    assert [c["featured"] for c in _listing(client)] == [False, False]
    _listing(client)  # now cached: the fast path answers the next anonymous read
    r = client.put(f"/api/v1/moderation/comments/{first}/feature", headers=cast.h(cast.mod))
    assert r.status_code == 200 and r.json()["featured"] is True
    assert client.put(
        f"/api/v1/moderation/comments/{reply}/feature", headers=cast.h(cast.mod)
    ).json()["featured"]
    by_id = {c["id"]: c for c in _listing(client)}
    assert by_id[first]["featured"] is True and by_id[second]["featured"] is False
    assert [c["id"] for c in _listing(client, "featured")] == [reply, first]
    assert _listing(client, "featured") == _listing(client, "featured")  # cached, same page
    r = client.delete(f"/api/v1/moderation/comments/{first}/feature", headers=cast.h(cast.mod))
    assert r.status_code == 200 and r.json()["featured"] is False
    assert [c["id"] for c in _listing(client, "featured")] == [reply]
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.target_id == str(first))
    ).all()
    assert list(actions) == ["comment.feature", "comment.unfeature"]


def test_featuring_refuses_what_cannot_be_featured(client: TestClient, cast: Cast) -> None:
    removed = post(client, cast, cast.author, "Removed before anyone features it.")
    r = client.post(
        f"/api/v1/moderation/comments/{removed}/decisions",
        json={"action": "remove", "rule_id": RULE},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 201
    mod = cast.h(cast.mod)
    r = client.put(f"/api/v1/moderation/comments/{removed}/feature", headers=mod)
    assert r.status_code == 409 and r.json()["error"]["code"] == "comment_not_editable"
    r = client.put("/api/v1/moderation/comments/999999/feature", headers=mod)
    assert r.status_code == 404 and r.json()["error"]["code"] == "comment_not_found"
    assert client.put("/api/v1/moderation/comments/abc/feature", headers=mod).status_code == 422
    r = client.put(f"/api/v1/moderation/comments/{removed}/feature", headers=cast.h(cast.other_mod))
    assert r.status_code == 403


def test_an_announcement_is_pinned_sanitised_and_taken_down(client: TestClient, cast: Cast) -> None:
    post(client, cast, cast.author, "Creates the story.")
    url = f"{STORY}/announcement"
    text = "We will close comments at **6pm**. <script>alert(1)</script>"
    r = client.put(url, json={"text": text}, headers=cast.h(cast.mod))
    assert r.status_code == 200, r.text
    story = client.get(STORY).json()
    assert "<strong>6pm</strong>" in story["announcement"]["html"]
    assert "<script" not in story["announcement"]["html"]
    for bad in ({"text": ""}, {"text": "x" * 2001}, {"text": 5}, {"words": "hi"}):
        assert client.put(url, json=bad, headers=cast.h(cast.mod)).status_code == 422
    r = client.put(
        "/api/v1/sites/gazette/stories/no-such-story/announcement",
        json={"text": "hi"},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 404
    assert client.get(STORY).json()["announcement"]["html"].startswith("<p>We will close")
    assert client.delete(url, headers=cast.h(cast.mod)).status_code == 204
    assert client.get(STORY).json()["announcement"] is None


def test_staff_and_subscriber_badges(client: TestClient, cast: Cast, session: Session) -> None:
    post(client, cast, cast.mod, "A note from the moderation team.")
    post(client, cast, cast.author, "My subscription lapses after this.")
    post(client, cast, cast.reader, "I pay for this newspaper.")
    badges = {c["author"]["display_name"]: c["author"]["badges"] for c in _listing(client)}
    assert badges == {"Mona Moderator": ["staff"], "Rita Reader": [], "Arthur Author": []}
    cast.author.is_subscriber = False
    site = session.get(Site, "gazette")
    assert site is not None
    site.settings = {**(site.settings or {}), "subscriber_badge": True}
    session.commit()
    post(client, cast, cast.reader, "A new comment moves the story version.")
    badges = {c["author"]["display_name"]: c["author"]["badges"] for c in _listing(client)}
    assert badges["Rita Reader"] == ["subscriber"] and badges["Arthur Author"] == []


def test_dashboard_story_switches_search_and_thread_link(
    client: TestClient, cast: Cast, client_factory: Callable[..., TestClient]
) -> None:
    reported = post(client, cast, cast.author, "Everyone who disagrees is wrong about turnips.")
    assert report(client, cast, cast.reader, reported).status_code == 201
    browser = client_factory(base_url=BASE, follow_redirects=False)
    csrf = sign_in(browser, cast.mod)
    queue = browser.get("/moderate?queue=reported").text
    link = f"/moderate/stories/story-1/thread?comment={reported}#comment-{reported}"
    assert link.replace("&", "&amp;") in queue or link in queue
    thread = browser.get(f"/moderate/stories/story-1/thread?comment={reported}")
    assert thread.status_code == 200 and f'id="comment-{reported}"' in thread.text
    assert "is-highlighted" in thread.text
    found = browser.get("/moderate/search", params={"q": "turnips"}).text
    assert "1 comment found" in found and "turnips" in found
    assert "1 comment found" in browser.get("/moderate/search", params={"author": "Arthur"}).text
    assert "0 comments found" in browser.get("/moderate/search", params={"q": "100%_"}).text
    assert browser.get("/moderate/search", params={"q": "x" * 201}).status_code == 422
    r = browser.post(
        "/moderate/stories/story-1/options", data={"closed": "true", "csrf_token": csrf}
    )
    assert r.status_code == 303
    r = client.post(COMMENTS_URL, json={"body": "Too late."}, headers=cast.h(cast.reader))
    assert r.status_code in (403, 409) and r.json()["error"]["code"] == "commenting_closed"
    assert "Open comments" in browser.get("/moderate/stories").text
    r = browser.post(
        "/moderate/stories/story-1/announcement",
        data={"text": "Closed for the night.", "csrf_token": csrf},
    )
    assert r.status_code == 303
    assert "Closed for the night." in client.get(STORY).json()["announcement"]["html"]
    r = browser.post(f"/moderate/comments/{reported}/feature", data={"featured": "true"})
    assert r.status_code in (403, 422)  # no CSRF token
    r = browser.post(
        f"/moderate/comments/{reported}/feature", data={"featured": "true", "csrf_token": csrf}
    )
    assert r.status_code == 303 and _listing(client)[0]["featured"] is True
