"""Story links are web addresses on the way in and on the way out; live streams need a story."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.stories.models import Story
from tests.factories import make_world
from tests.moderation.cast import make_cast, post, report
from tests.moderation.test_pages import BASE, sign_in

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
