"""A permalink's path (`/comments/{id}/context`) and the composer's preview."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.cast import Cast, post


def test_context_gives_the_path_root_first(client: TestClient, cast: Cast) -> None:
    root = post(client, cast, cast.author, "The top")
    mid = post(client, cast, cast.reader, "A reply", parent_id=root)
    leaf = post(client, cast, cast.reader2, "A reply to the reply", parent_id=mid)
    r = client.get(f"/api/v1/comments/{leaf}/context")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["comment"]["id"] == leaf and out["story_id"] == "story-1"
    assert [a["id"] for a in out["ancestors"]] == [root, mid]
    assert out["ancestors"][0]["body_html"] == "<p>The top</p>"
    assert r.headers["cache-control"] == "private, no-store"
    assert client.get(f"/api/v1/comments/{root}/context").json()["ancestors"] == []


def test_context_respects_visibility(client: TestClient, cast: Cast) -> None:
    root = post(client, cast, cast.author, "The top")
    leaf = post(client, cast, cast.reader, "A reply", parent_id=root)
    r = client.post(
        f"/api/v1/moderation/comments/{root}/decisions",
        json={"action": "remove", "rule_id": "respect"},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 201, r.text
    out = client.get(f"/api/v1/comments/{leaf}/context").json()
    assert out["ancestors"][0]["status"] == "removed"
    assert out["ancestors"][0]["body_html"] == ""  # a tombstone, as the thread shows it
    assert client.get(f"/api/v1/comments/{root}/context").json()["comment"]["body_html"] == ""
    r = client.post(
        f"/api/v1/moderation/comments/{leaf}/decisions",
        json={"action": "hold", "rule_id": "respect"},
        headers=cast.h(cast.mod),
    )
    if r.status_code == 201:  # held: hidden from everyone but its author and staff
        assert client.get(f"/api/v1/comments/{leaf}/context").status_code == 404
        mine = client.get(f"/api/v1/comments/{leaf}/context", headers=cast.h(cast.reader))
        assert mine.status_code == 200


def test_context_bad_ids(client: TestClient, cast: Cast) -> None:
    for path, status in [("999999", 404), ("0", 422), ("abc", 422), ("9" * 20, 422)]:
        r = client.get(f"/api/v1/comments/{path}/context")
        assert r.status_code == status, (path, r.text)
        assert r.json()["error"]["code"]


def test_preview_renders_through_the_sanitiser(client: TestClient, cast: Cast) -> None:
    h = cast.h(cast.reader)
    r = client.post(
        "/api/v1/preview",
        json={"body": "**bold** <script>x()</script> [l](javascript:alert(1))"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    html = r.json()["body_html"]
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "&lt;script&gt;" in html  # shown as text, never run
    assert "href" not in html  # the javascript: link is not made a link
    assert client.post("/api/v1/preview", json={"body": "x"}).status_code == 401
    for bad, status in [
        ({}, 422),
        ({"body": "   "}, 422),
        ({"body": 5}, 422),
        ({"body": "x" * 20_001}, 422),
        ({"body": "x", "z": 1}, 422),
    ]:
        r = client.post("/api/v1/preview", json=bad, headers=h)
        assert r.status_code == status, (bad, r.text)
        assert r.json()["error"]["code"]
    r = client.post(
        "/api/v1/preview", content=b"{nope", headers={**h, "content-type": "application/json"}
    )
    assert 400 <= r.status_code < 500
