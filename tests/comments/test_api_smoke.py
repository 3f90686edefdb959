from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from tests.factories import TEST_SECRET, auth, make_user, make_world


def test_post_and_read_thread(client: TestClient, session: Session, clock: FrozenClock) -> None:
    world = make_world(session, clock())
    user = make_user(session, world.site, clock())
    r = client.post(
        "/api/v1/sites/gazette/stories/story-1/comments",
        json={"body": "Hello **there**"},
        headers=auth(user, clock(), TEST_SECRET),
    )
    assert r.status_code == 201, r.text
    assert r.json()["body_html"] == "<p>Hello <strong>there</strong></p>"
    r = client.get("/api/v1/sites/gazette/stories/story-1/comments")
    assert r.status_code == 200
    assert r.json()["total"] == 1
    assert r.json()["items"][0]["author"]["display_name"] == user.display_name
