"""Muting another reader: stored per reader, shown in /me, never in the shared page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.models import Mute
from tests.cast import COMMENTS_URL, Cast, post


def test_mute_follows_the_reader_and_stays_out_of_the_shared_page(
    client: TestClient, session: Session, cast: Cast
) -> None:
    post(client, cast, cast.author, "Something Rita would rather not read")
    r = client.put(f"/api/v1/me/mutes/{cast.author.id}", headers=cast.h(cast.reader))
    assert r.status_code == 200, r.text
    assert r.json() == {"muted_user_ids": [cast.author.id]}
    again = client.put(f"/api/v1/me/mutes/{cast.author.id}", headers=cast.h(cast.reader))
    assert again.json() == {"muted_user_ids": [cast.author.id]}  # idempotent
    me = client.get("/api/v1/me", headers=cast.h(cast.reader)).json()
    assert me["muted_user_ids"] == [cast.author.id]
    # Another reader's /me, and the public page anyone may cache, know nothing of it.
    assert client.get("/api/v1/me", headers=cast.h(cast.reader2)).json()["muted_user_ids"] == []
    page = client.get(COMMENTS_URL)
    assert "mute" not in page.text
    assert page.json()["items"][0]["author"]["id"] == cast.author.id
    r = client.delete(f"/api/v1/me/mutes/{cast.author.id}", headers=cast.h(cast.reader))
    assert r.status_code == 200 and r.json() == {"muted_user_ids": []}
    r = client.delete(f"/api/v1/me/mutes/{cast.author.id}", headers=cast.h(cast.reader))
    assert r.status_code == 200 and r.json() == {"muted_user_ids": []}


def test_bad_mutes_are_refused_and_write_nothing(
    client: TestClient, session: Session, cast: Cast
) -> None:
    h = cast.h(cast.reader)
    cases = [
        ("PUT", f"/api/v1/me/mutes/{cast.reader.id}", 422, "cannot_mute_self"),
        ("PUT", f"/api/v1/me/mutes/{cast.other_mod.id}", 404, "user_not_found"),
        ("PUT", "/api/v1/me/mutes/999999", 404, "user_not_found"),
        ("PUT", "/api/v1/me/mutes/0", 422, None),
        ("PUT", "/api/v1/me/mutes/abc", 422, None),
        ("PUT", "/api/v1/me/mutes/99999999999999", 422, None),
        ("DELETE", "/api/v1/me/mutes/-4", 422, None),
    ]
    for method, path, status, code in cases:
        r = client.request(method, path, headers=h)
        assert r.status_code == status, (path, r.text)
        assert "code" in r.json()["error"]
        if code:
            assert r.json()["error"]["code"] == code
    assert client.put(f"/api/v1/me/mutes/{cast.author.id}").status_code == 401
    assert session.scalar(select(func.count()).select_from(Mute)) == 0


def test_erasure_forgets_whom_a_reader_muted(
    client: TestClient, session: Session, cast: Cast
) -> None:
    h = cast.h(cast.reader)
    assert client.put(f"/api/v1/me/mutes/{cast.author.id}", headers=h).status_code == 200
    assert client.get("/api/v1/me/export", headers=h).json()["muted_user_ids"] == [cast.author.id]
    assert (
        client.request("DELETE", "/api/v1/me", json={"confirm": True}, headers=h).status_code == 200
    )
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Mute)) == 0
