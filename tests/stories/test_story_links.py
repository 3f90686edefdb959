"""Story links are web addresses on the way in and on the way out; live streams need a story."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.stories.models import Story
from tests.cast import make_cast, post, report
from tests.dashboard.test_pages import BASE, sign_in
from tests.factories import make_world

STORY = "/api/v1/sites/gazette/stories/story-2"


def test_put_refuses_a_non_web_story_url(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    world = make_world(session, clock())
    headers = {"Authorization": f"Bearer {world.api_key}"}
    for bad in (
        "javascript:alert(document.cookie)",
        " javascript:x",
        "data:text/html,x",
        "ftp://x",
    ):
        r = client.put(STORY, json={"title": "T", "url": bad}, headers=headers)
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["error"]["code"] == "validation_error"
    r = client.put(STORY, json={"title": "T", "url": "https://news.example/t"}, headers=headers)
    assert r.status_code == 200, r.text


def test_the_dashboard_never_renders_a_script_link(
    client: TestClient, client_factory: object, session: Session, clock: FrozenClock
) -> None:
    cast = make_cast(session, clock)
    comment_id = post(client, cast, cast.author, "A comment on an old story.")
    assert report(client, cast, cast.reader, comment_id).status_code == 201
    story = session.get(Story, cast.world.story.id)
    assert story is not None
    story.url = "javascript:alert(document.domain)"  # a row from before the check
    session.commit()
    browser = client_factory(base_url=BASE, follow_redirects=False)  # type: ignore[operator]
    sign_in(browser, cast.mod)
    page = browser.get("/moderate?queue=reported")
    assert page.status_code == 200
    assert "javascript:" not in page.text
    assert 'href="#"' in page.text


def test_events_need_a_known_site_and_story(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    make_world(session, clock())
    for path in ("nowhere/stories/story-1", "gazette/stories/nothing-here"):
        r = client.get(f"/api/v1/sites/{path}/events")
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "story_not_found"


def test_a_story_token_opens_the_stream_of_a_story_not_created_yet(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    from belowline.stories.story_token import sign_story_token
    from tests.factories import SSO_SECRET

    make_world(session, clock())
    url = "/api/v1/sites/gazette/stories/coming-soon/events"
    wrong = sign_story_token(secret=SSO_SECRET, site_id="gazette", story_id="another")
    assert client.get(url, params={"story_token": wrong}).status_code == 404
    token = sign_story_token(secret=SSO_SECRET, site_id="gazette", story_id="coming-soon")
    with client.stream("GET", url, params={"story_token": token}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        first = next(r.iter_bytes())
        assert b"connected" in first
