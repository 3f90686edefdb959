"""Sanctions: warnings must be acknowledged, suspensions and bans block posting, admins lift."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from belowline.accounts.models import User
from tests.cast import COMMENTS_URL, Cast, post


def _sanction(client: TestClient, cast: Cast, actor: User, target: User, **body: Any) -> Any:
    body.setdefault("rule_id", "respect")
    return client.post(
        f"/api/v1/moderation/users/{target.id}/sanctions", json=body, headers=cast.h(actor)
    )


def _try_post(client: TestClient, cast: Cast, user: User) -> Any:
    return client.post(COMMENTS_URL, json={"body": "Trying again"}, headers=cast.h(user))


def test_warning_blocks_posting_until_acknowledged(client: TestClient, cast: Cast) -> None:
    r = _sanction(client, cast, cast.mod, cast.author, kind="warn", message="Tone it down")
    assert r.status_code == 201, r.text
    warning_id = r.json()["id"]
    blocked = _try_post(client, cast, cast.author)
    assert blocked.status_code == 403
    assert blocked.json()["error"]["code"] == "warning_not_acknowledged"
    assert blocked.json()["error"]["warning_id"] == warning_id
    inbox = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()
    assert inbox["items"][0]["kind"] == "sanction"
    assert "Tone it down" in inbox["items"][0]["body"]
    other = client.post(
        f"/api/v1/me/warnings/{warning_id}/acknowledge", headers=cast.h(cast.reader)
    )
    assert other.status_code == 404
    ack = client.post(f"/api/v1/me/warnings/{warning_id}/acknowledge", headers=cast.h(cast.author))
    assert ack.status_code == 200, ack.text
    assert ack.json()["acknowledged_at"] is not None
    assert _try_post(client, cast, cast.author).status_code == 201


def test_suspension_gives_user_suspended_with_end_time(client: TestClient, cast: Cast) -> None:
    r = _sanction(client, cast, cast.mod, cast.author, kind="suspend", until="2026-12-07T10:00:00Z")
    assert r.status_code == 201, r.text
    blocked = _try_post(client, cast, cast.author)
    assert blocked.status_code == 403
    err = blocked.json()["error"]
    assert err["code"] == "user_suspended"
    assert err["until"].startswith("2026-12-07T10:00")
    cast.clock.advance(days=8)
    assert _try_post(client, cast, cast.author).status_code == 201


def test_ban_blocks_and_admin_lift_restores(client: TestClient, cast: Cast) -> None:
    sid = _sanction(client, cast, cast.mod, cast.author, kind="ban").json()["id"]
    assert _try_post(client, cast, cast.author).json()["error"]["code"] == "user_suspended"
    lift_url = f"/api/v1/moderation/users/{cast.author.id}/sanctions/{sid}/lift"
    assert client.post(lift_url, headers=cast.h(cast.mod)).status_code == 403
    r = client.post(lift_url, json={"note": "appeal upheld"}, headers=cast.h(cast.admin))
    assert r.status_code == 200, r.text
    assert r.json()["lifted_by"] == cast.admin.id
    assert _try_post(client, cast, cast.author).status_code == 201
    again = client.post(lift_url, headers=cast.h(cast.admin))
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_action"


def test_lifting_one_sanction_leaves_another_in_force(client: TestClient, cast: Cast) -> None:
    ban = _sanction(client, cast, cast.mod, cast.author, kind="ban").json()["id"]
    _sanction(client, cast, cast.mod, cast.author, kind="suspend", until="2026-12-30T00:00:00Z")
    client.post(
        f"/api/v1/moderation/users/{cast.author.id}/sanctions/{ban}/lift",
        headers=cast.h(cast.admin),
    )
    err = _try_post(client, cast, cast.author).json()["error"]
    assert err["code"] == "user_suspended"
    assert err["until"].startswith("2026-12-30")


def test_premoderation_holds_new_comments(client: TestClient, cast: Cast) -> None:
    r = _sanction(
        client, cast, cast.mod, cast.author, kind="premoderate", until="2026-12-07T10:00:00Z"
    )
    assert r.status_code == 201
    posted = _try_post(client, cast, cast.author)
    assert posted.status_code == 201
    assert posted.json()["status"] == "held"
    held = client.get("/api/v1/moderation/queues/held", headers=cast.h(cast.mod)).json()
    assert [i["comment"]["id"] for i in held["items"]] == [posted.json()["id"]]


def test_moderators_cannot_sanction_staff_or_themselves(client: TestClient, cast: Cast) -> None:
    assert _sanction(client, cast, cast.mod, cast.admin, kind="warn").status_code == 403
    assert _sanction(client, cast, cast.mod, cast.mod, kind="warn").status_code == 403
    assert _sanction(client, cast, cast.admin, cast.mod, kind="warn").status_code == 201


def test_user_history_shows_comments_removals_sanctions_and_notes(
    client: TestClient, cast: Cast
) -> None:
    cid = post(client, cast, cast.author, "Rude remark")
    post(client, cast, cast.author, "Polite remark")
    client.post(
        f"/api/v1/moderation/comments/{cid}/decisions",
        json={"action": "remove", "rule_id": "respect"},
        headers=cast.h(cast.mod),
    )
    _sanction(client, cast, cast.mod, cast.author, kind="warn")
    note = client.post(
        f"/api/v1/moderation/users/{cast.author.id}",
        json={"note": "Repeat offender on transport stories"},
        headers=cast.h(cast.mod),
    )
    assert note.status_code == 201, note.text
    h = client.get(f"/api/v1/moderation/users/{cast.author.id}", headers=cast.h(cast.mod)).json()
    assert h["summary"]["line"] == "2 comments · 1 removal · 1 sanction"
    assert len(h["comments"]) == 2
    assert [d["comment_id"] for d in h["removals"]] == [cid]
    assert h["sanctions"][0]["kind"] == "warn"
    assert h["notes"][0]["body"] == "Repeat offender on transport stories"
    assert h["notes"][0]["author"]["id"] == cast.mod.id
