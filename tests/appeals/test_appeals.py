"""Appeals through the app: filing, refusals that write nothing, resolving by another moderator."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.appeals.models import Appeal
from belowline.models import AuditEntry, Comment, Notification, Sanction
from tests.cast import Cast, decide, post, row_counts

APPEALS = "/api/v1/me/appeals"


def _counts(session: Session) -> dict[str, int]:
    counts = row_counts(session)
    counts["appeals"] = int(session.scalar(select(func.count(Appeal.id))) or 0)
    return counts


def _removed(
    client: TestClient, cast: Cast, text: str = "You are all idiots here."
) -> tuple[int, int]:
    comment_id = post(client, cast, cast.author, text)
    r = decide(client, cast, cast.mod, comment_id, action="remove", message="Please be civil.")
    assert r.status_code == 201, r.text
    decision_id: int = r.json()["decision"]["id"]
    return comment_id, decision_id


def _appeal(client: TestClient, cast: Cast, user: Any, **body: Any) -> Any:
    body.setdefault("statement", "I was quoting the councillor, not insulting anyone.")
    return client.post(APPEALS, json=body, headers=cast.h(user))


def _resolve(client: TestClient, cast: Cast, user: Any, appeal_id: int, **body: Any) -> Any:
    body.setdefault("note", "Read in context it is a quotation.")
    return client.post(
        f"/api/v1/moderation/appeals/{appeal_id}/resolve", json=body, headers=cast.h(user)
    )


def test_author_appeals_and_another_moderator_overturns(
    client: TestClient, session: Session, cast: Cast
) -> None:
    comment_id, decision_id = _removed(client, cast)
    inbox = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()
    statement = next(n for n in inbox["items"] if n["decision_id"] == decision_id)
    assert "14 days" in statement["contest"]

    r = _appeal(client, cast, cast.author, decision_id=decision_id)
    assert r.status_code == 201, r.text
    appeal = r.json()
    assert appeal["status"] == "open"
    assert appeal["comment_id"] == comment_id
    assert client.get(APPEALS, headers=cast.h(cast.author)).json()["items"][0]["id"] == appeal["id"]

    listing = client.get("/api/v1/moderation/appeals", headers=cast.h(cast.admin)).json()
    [item] = listing["items"]
    assert item["decision"]["actor"] == {"id": cast.mod.id, "display_name": "Mona Moderator"}
    assert item["comment"]["original"] == "You are all idiots here."
    assert item["comment"]["status"] == "removed"
    assert item["statement"].startswith("I was quoting")
    assert item["appellant"]["display_name"] == "Arthur Author"

    cast.clock.advance(hours=3)
    r = _resolve(client, cast, cast.admin, appeal["id"], outcome="overturned")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "overturned"

    session.expire_all()
    comment = session.get(Comment, comment_id)
    assert comment is not None
    assert comment.status == "published"
    thread = client.get("/api/v1/sites/gazette/stories/story-1/comments").json()
    assert any(c["id"] == comment_id for c in thread["items"])

    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["appeal.file", "comment.restore", "appeal.overturned"]
    inbox = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()
    outcome = inbox["items"][0]
    assert outcome["kind"] == "appeal"
    assert outcome["title"] == "Your appeal was successful"
    assert "Read in context it is a quotation." in outcome["body"]
    assert outcome["rule"]["id"] == "respect"
    assert outcome["contest"] is None


def test_upheld_leaves_the_decision_standing(
    client: TestClient, session: Session, cast: Cast
) -> None:
    comment_id, decision_id = _removed(client, cast)
    appeal_id = _appeal(client, cast, cast.author, decision_id=decision_id).json()["id"]
    r = _resolve(client, cast, cast.admin, appeal_id, outcome="upheld", note="It is an insult.")
    assert r.status_code == 200, r.text
    session.expire_all()
    assert session.get(Comment, comment_id).status == "removed"  # type: ignore[union-attr]
    titles = [
        n["title"]
        for n in client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()["items"]
    ]
    assert titles[0] == "Your appeal was not upheld"
    # Resolved once: a second resolution is a conflict and changes nothing.
    before = _counts(session)
    r = _resolve(client, cast, cast.mod, appeal_id, outcome="overturned")
    assert r.status_code == 409
    assert _counts(session) == before


def test_sanction_appeal_overturned_lifts_it(
    client: TestClient, session: Session, cast: Cast
) -> None:
    r = client.post(
        f"/api/v1/moderation/users/{cast.author.id}/sanctions",
        json={"kind": "warn", "rule_id": "respect"},
        headers=cast.h(cast.mod),
    )
    sanction_id = r.json()["id"]
    appeal_id = _appeal(client, cast, cast.author, sanction_id=sanction_id).json()["id"]
    r = _resolve(client, cast, cast.admin, appeal_id, outcome="overturned")
    assert r.status_code == 200, r.text
    session.expire_all()
    assert session.get(Sanction, sanction_id).lifted_at is not None  # type: ignore[union-attr]


def test_bad_appeals_are_refused_and_write_nothing(
    client: TestClient, session: Session, cast: Cast
) -> None:
    _, decision_id = _removed(client, cast)
    before = _counts(session)

    def refused(user: Any, status: int, code: str, **body: Any) -> None:
        r = _appeal(client, cast, user, **body)
        assert r.status_code == status, r.text
        assert r.json()["error"]["code"] == code
        assert _counts(session) == before

    refused(cast.author, 422, "validation_error", decision_id=decision_id, statement="x" * 1001)
    refused(cast.author, 422, "validation_error", decision_id=decision_id, statement="   ")
    refused(cast.author, 422, "validation_error", statement="No subject given.")
    refused(cast.reader, 403, "forbidden", decision_id=decision_id)
    refused(cast.mod, 403, "forbidden", decision_id=decision_id)
    refused(cast.other_mod, 404, "not_found", decision_id=decision_id)
    refused(cast.author, 404, "not_found", decision_id=999_999)
    assert _appeal(client, cast, None, decision_id=decision_id).status_code == 401

    # A statement of exactly 1000 characters is fine; a second appeal is not.
    r = _appeal(client, cast, cast.author, decision_id=decision_id, statement="y" * 1000)
    assert r.status_code == 201, r.text
    before = _counts(session)
    refused(cast.author, 409, "already_appealed", decision_id=decision_id)


def test_appeal_window_closes_after_14_days(
    client: TestClient, session: Session, cast: Cast
) -> None:
    _, decision_id = _removed(client, cast)
    cast.clock.advance(days=14, seconds=1)
    before = _counts(session)
    r = _appeal(client, cast, cast.author, decision_id=decision_id)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "appeal_window_closed"
    assert _counts(session) == before


def test_appeal_just_inside_the_window(client: TestClient, cast: Cast) -> None:
    _, decision_id = _removed(client, cast)
    cast.clock.advance(days=13, hours=23)
    assert _appeal(client, cast, cast.author, decision_id=decision_id).status_code == 201


def test_approvals_and_superseded_decisions_cannot_be_appealed(
    client: TestClient, session: Session, cast: Cast
) -> None:
    comment_id, decision_id = _removed(client, cast)
    r = decide(client, cast, cast.admin, comment_id, action="restore")
    assert r.status_code == 201, r.text
    restore_id = r.json()["decision"]["id"]
    before = _counts(session)
    for target in (decision_id, restore_id):
        r = _appeal(client, cast, cast.author, decision_id=target)
        assert r.status_code == 409, r.text
        assert r.json()["error"]["code"] == "not_appealable"
    assert _counts(session) == before


def test_the_deciding_moderator_cannot_resolve(
    client: TestClient, session: Session, cast: Cast
) -> None:
    comment_id, decision_id = _removed(client, cast)
    appeal_id = _appeal(client, cast, cast.author, decision_id=decision_id).json()["id"]
    before = _counts(session)
    r = _resolve(client, cast, cast.mod, appeal_id, outcome="overturned")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "same_moderator"
    for body, code in (
        ({"outcome": "maybe"}, "validation_error"),
        ({"outcome": "upheld", "note": " "}, "validation_error"),
    ):
        r = _resolve(client, cast, cast.admin, appeal_id, **body)
        assert r.status_code == 422, r.text
        assert r.json()["error"]["code"] == code
    assert _resolve(client, cast, cast.other_mod, appeal_id, outcome="upheld").status_code == 404
    assert _resolve(client, cast, cast.reader, appeal_id, outcome="upheld").status_code == 403
    assert _counts(session) == before
    session.expire_all()
    assert session.get(Comment, comment_id).status == "removed"  # type: ignore[union-attr]
    assert session.get(Appeal, appeal_id).status == "open"  # type: ignore[union-attr]
    assert session.scalar(select(func.count(Notification.id))) == before["notifications"]
