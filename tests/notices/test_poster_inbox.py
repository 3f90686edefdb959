"""`GET /api/v1/me/notices`: the poster finds the complaints awaiting their answer, theirs only."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.cast import Cast, post
from tests.notices.test_defamation import COMPLAINT, _complaint

MINE = "/api/v1/me/notices"


def _route(client: TestClient, cast: Cast, nid: int) -> None:
    r = client.post(
        f"/api/v1/moderation/notices/{nid}/route",
        json={"route": "contact_poster"},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 200, r.text


def test_the_poster_sees_an_awaiting_notice_until_they_answer(
    client: TestClient, cast: Cast
) -> None:
    cid = post(client, cast, cast.author, "Cllr Doe took bribes for the bridge contract.")
    nid = _complaint(client, cast, cid)
    assert client.get(MINE, headers=cast.h(cast.author)).json() == {"items": []}  # not yet told
    _route(client, cast, nid)
    r = client.get(MINE, headers=cast.h(cast.author))
    assert r.status_code == 200, r.text
    [item] = r.json()["items"]
    assert item["id"] == nid and item["comment_id"] == cid
    assert item["statement"] == COMPLAINT["statement"]
    assert item["meaning"] == COMPLAINT["meaning"]
    assert item["complainant"] is None  # they did not agree to be named
    assert item["reply_due_at"] and item["story"]["id"] == "story-1"
    assert "bribes" in item["comment_html"]
    assert "jane.doe@example.org" not in r.text

    # Nobody else sees it; the anonymous get 401.
    assert client.get(MINE, headers=cast.h(cast.reader)).json() == {"items": []}
    assert client.get(MINE).status_code == 401

    r = client.post(f"{MINE}/{nid}/reply", json={"choice": "remove"}, headers=cast.h(cast.author))
    assert r.status_code == 200, r.text
    assert client.get(MINE, headers=cast.h(cast.author)).json() == {"items": []}


def test_a_named_complainant_is_shown_to_the_poster(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "Cllr Doe took bribes again.")
    nid = _complaint(client, cast, cid, share_details=True)
    _route(client, cast, nid)
    [item] = client.get(MINE, headers=cast.h(cast.author)).json()["items"]
    assert item["complainant"]
