"""Decisions: remove leaves a tombstone, amend keeps the original, restore undoes, races get 409."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.comments.models import CommentRevision
from tests.cast import COMMENTS_URL, Cast, decide, post, report


def _thread(client: TestClient) -> list[dict]:  # type: ignore[type-arg]
    r = client.get(COMMENTS_URL)
    assert r.status_code == 200
    items: list[dict] = r.json()["items"]  # type: ignore[type-arg]
    return items


def test_remove_leaves_tombstone_with_rule_and_keeps_replies(
    client: TestClient, cast: Cast
) -> None:
    parent = post(client, cast, cast.author, "Nasty parent comment")
    reply = post(client, cast, cast.reader, "A sensible reply", parent_id=parent)
    report(client, cast, cast.reader2, parent)
    r = decide(client, cast, cast.mod, parent, action="remove", note="clear insult")
    assert r.status_code == 201, r.text
    assert r.json()["decision"]["action"] == "remove"
    assert r.json()["decision"]["rule"] == {"id": "respect", "title": "Be civil"}
    [top] = _thread(client)
    assert top["id"] == parent
    assert top["status"] == "removed"
    assert top["body_html"] == ""
    assert "Be civil" in top["removal_reason"]
    assert [c["id"] for c in top["replies"]] == [reply]
    assert top["replies"][0]["status"] == "published"
    one = client.get(f"/api/v1/comments/{parent}").json()
    assert one["status"] == "removed"
    assert "Be civil" in one["removal_reason"]
    assert (
        client.get("/api/v1/moderation/queues/reported", headers=cast.h(cast.mod)).json()["items"]
        == []
    )


def test_amend_shows_moderator_edited_and_keeps_original(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cid = post(client, cast, cast.author, "The mayor is a crook and lives at 12 High St")
    r = decide(
        client,
        cast,
        cast.mod,
        cid,
        action="amend",
        rule_id="privacy",
        body="The mayor is a crook [address removed]",
    )
    assert r.status_code == 201, r.text
    shown = client.get(f"/api/v1/comments/{cid}").json()
    assert shown["moderator_edited"] is True
    assert "address removed" in shown["body_html"]
    assert "High St" not in shown["body_html"]
    revisions = session.scalars(
        select(CommentRevision)
        .where(CommentRevision.comment_id == cid)
        .order_by(CommentRevision.id)
    ).all()
    assert [rv.kind for rv in revisions] == ["original", "moderator_amend"]
    assert "12 High St" in revisions[0].body_md
    assert revisions[1].editor_id == cast.mod.id


def test_restore_undoes_a_removal(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "Misjudged comment")
    decide(client, cast, cast.mod, cid, action="remove")
    r = decide(client, cast, cast.admin, cid, action="restore")
    assert r.status_code == 201, r.text
    shown = client.get(f"/api/v1/comments/{cid}").json()
    assert shown["status"] == "published"
    assert "Misjudged" in shown["body_html"]
    assert "removal_reason" not in shown
    assert _thread(client)[0]["id"] == cid


def test_restore_undoes_an_amendment(client: TestClient, cast: Cast, session: Session) -> None:
    cid = post(client, cast, cast.author, "Original words")
    decide(client, cast, cast.mod, cid, action="amend", body="Amended words")
    r = decide(client, cast, cast.mod, cid, action="restore")
    assert r.status_code == 201, r.text
    shown = client.get(f"/api/v1/comments/{cid}").json()
    assert shown["moderator_edited"] is False
    assert "Original words" in shown["body_html"]
    kinds = session.scalars(
        select(CommentRevision.kind)
        .where(CommentRevision.comment_id == cid)
        .order_by(CommentRevision.id)
    ).all()
    assert kinds == ["original", "moderator_amend", "restore"]


def test_second_moderator_gets_conflict_with_first_decision(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "Contested")
    report(client, cast, cast.reader, cid)
    version = client.get(f"/api/v1/comments/{cid}").json()["version"]
    first = decide(client, cast, cast.mod, cid, action="remove", expected_version=version)
    assert first.status_code == 201
    second = decide(client, cast, cast.admin, cid, action="approve", expected_version=version)
    assert second.status_code == 409
    err = second.json()["error"]
    assert err["code"] == "conflict"
    assert err["current_decision"]["action"] == "remove"
    assert err["current_decision"]["actor"]["id"] == cast.mod.id
    assert err["current_version"] == version + 1
    assert client.get(f"/api/v1/comments/{cid}").json()["status"] == "removed"


def test_held_comment_is_queued_and_approval_publishes_it(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cast.author.premoderated = True
    session.merge(cast.author)
    session.commit()
    cid = post(client, cast, cast.author, "Please check me first")
    assert _thread(client) == []
    [item] = client.get("/api/v1/moderation/queues/held", headers=cast.h(cast.mod)).json()["items"]
    assert item["comment"]["id"] == cid
    assert item["comment"]["status"] == "held"
    r = decide(client, cast, cast.mod, cid, action="approve")
    assert r.status_code == 201, r.text
    assert [c["id"] for c in _thread(client)] == [cid]
    assert (
        client.get("/api/v1/moderation/queues/held", headers=cast.h(cast.mod)).json()["items"] == []
    )


def test_bulk_remove_decides_every_selected_comment(client: TestClient, cast: Cast) -> None:
    ids = [post(client, cast, cast.author, f"Spam {n} buy now") for n in range(3)]
    for cid in ids:
        report(client, cast, cast.reader, cid, "spam")
    r = client.post(
        "/api/v1/moderation/bulk-decisions",
        json={"comment_ids": ids, "action": "remove", "rule_id": "no-spam"},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 200, r.text
    assert len(r.json()["decisions"]) == 3
    assert all(client.get(f"/api/v1/comments/{c}").json()["status"] == "removed" for c in ids)


def test_decided_queue_lists_recent_decisions_as_undoable(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "Gone soon")
    decide(client, cast, cast.mod, cid, action="remove")
    [item] = client.get("/api/v1/moderation/queues/decided", headers=cast.h(cast.mod)).json()[
        "items"
    ]
    assert item["action"] == "remove"
    assert item["undoable"] is True
    assert item["comment"]["body"] == "Gone soon"
