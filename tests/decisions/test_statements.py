"""Statements of reasons carry every Art. 17(3) element once, and are never rewritten."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.notifications.models import Notification
from tests.cast import Cast, decide, post, report


def _statement(client: TestClient, cast: Cast) -> dict[str, str]:
    items = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()["items"]
    first: dict[str, str] = items[0]
    return first


def test_a_removal_statement_is_complete(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "The councillor is wrong about the bridge budget")
    report(client, cast, cast.reader, cid)
    decide(client, cast, cast.mod, cid, action="remove", message="Please argue the point.")
    note = _statement(client, cast)
    body = note["body"]
    assert "removed your comment" in body
    assert "no longer shown to anyone" in body and "The Test Gazette" in body  # scope
    assert "stays removed unless it is restored" in body  # duration
    assert "1 reader reported it" in body  # the facts: how it came to us
    assert "Automated means: none" in body
    assert "“Be civil” (community rules, version 1)" in body
    assert "Criticise ideas, not people." in body  # the rule's text as it stood
    assert "http://127.0.0.1:8000/sites/gazette/rules#rule-respect" in body  # a link, not a path
    assert "(respect)" not in body
    assert body.count("The councillor is wrong about the bridge budget") == 1  # no fact twice
    assert body.count("Be civil") == 1
    assert "out-of-court dispute settlement" in note["contest"]
    assert "courts" in note["contest"]
    assert "14 days" in note["contest"]


def test_an_amendment_shows_what_was_changed(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "The plan is stupid and Bob Smith is a thief.")
    decide(client, cast, cast.mod, cid, action="amend", body="The plan is stupid.")
    body = _statement(client, cast)["body"]
    assert (
        "What was changed: removed “stupid and Bob Smith is a thief.”, and added “stupid.”." in body
    )
    assert "We found it in our own review" in body


def test_a_flagged_comment_says_automated_means_detected_it(
    client: TestClient, cast: Cast, session: Session
) -> None:
    from belowline.comments import service as comments_service
    from belowline.queues import service as queues
    from belowline.queues.models import QueueName

    cid = post(client, cast, cast.author, "Buy cheap watches at example dot com")
    comment, _ = comments_service.get_comment(session, comment_id=cid)
    queues.open_item(
        session, comment=comment, queue=QueueName.FLAGGED, now=cast.clock(), reason="spam"
    )
    session.commit()
    decide(client, cast, cast.mod, cid, action="remove", rule_id="no-spam")
    body = _statement(client, cast)["body"]
    assert "flagged by our automated system; a person took this decision" in body


def test_a_sent_statement_cannot_be_rewritten(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cid = post(client, cast, cast.author, "Something rude")
    decide(client, cast, cast.mod, cid, action="remove")
    note = session.query(Notification).one()
    note.body = "Something else entirely"
    with pytest.raises(ValueError, match="cannot be rewritten"):
        session.flush()
    session.rollback()
    note = session.query(Notification).one()
    note.read_at = cast.clock()  # its read state may change
    session.flush()
    session.commit()


def test_a_sanction_statement_gives_scope_duration_and_rule(client: TestClient, cast: Cast) -> None:
    r = client.post(
        f"/api/v1/moderation/users/{cast.author.id}/sanctions",
        json={"kind": "suspend", "rule_id": "respect", "until": "2026-12-03T10:00:00Z"},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 201, r.text
    body = _statement(client, cast)["body"]
    assert "suspended from commenting until 03 December 2026" in body
    assert "your account on The Test Gazette" in body
    assert "(a person decided)" in body
    assert "#rule-respect" in body and "(respect)" not in body
