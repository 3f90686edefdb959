"""The demo's Q&A story: in Q&A mode, with answered and unanswered questions, over the real API."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.demo import qa as qa_demo
from belowline.demo.seed import SITE_ID
from tests.demo.test_seed import run_seed


def test_the_demo_has_a_story_in_qa_mode(
    session: Session, clock: FrozenClock, client: TestClient
) -> None:
    run_seed(session, clock)
    session.commit()
    url = f"/api/v1/sites/{SITE_ID}/stories/{qa_demo.QA_SLUG}/qa"
    data = client.get(url).json()
    assert data["mode"] == "open"
    assert {e["display_name"] for e in data["experts"]} == {"Megan Holt", "Mo Haddad"}
    assert data["counts"] == {"all": 6, "answered": 3, "unanswered": 3}
    answered = client.get(url, params={"filter": "answered"}).json()["items"]
    assert {i["answer"]["author"]["display_name"] for i in answered} == {"Megan Holt", "Mo Haddad"}
    assert all(i["answer"]["parent_id"] == i["question"]["id"] for i in answered)
    waiting = client.get(url, params={"filter": "unanswered"}).json()["items"]
    assert all(i["answer"] is None for i in waiting) and len(waiting) == 3
    # The answers are ordinary replies too: the story's count and thread include them.
    story = client.get(f"/api/v1/sites/{SITE_ID}/stories/{qa_demo.QA_SLUG}").json()
    assert story["comment_count"] == 9
