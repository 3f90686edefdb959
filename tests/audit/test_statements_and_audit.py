"""Authors receive statements of reasons; every step lands in the append-only audit log."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from belowline.audit.models import AuditEntry
from belowline.audit.service import digest
from tests.cast import Cast, decide, post, report


def test_author_gets_statement_of_reasons_for_removal(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "Something rude about the council")
    report(client, cast, cast.reader, cid)
    decide(client, cast, cast.mod, cid, action="remove", message="Please keep it civil.")
    inbox = client.get("/api/v1/me/notifications", headers=cast.h(cast.author))
    assert inbox.status_code == 200
    data = inbox.json()
    assert data["unread_count"] == 1
    [note] = data["items"]
    assert note["kind"] == "decision"
    assert note["action"] == "remove"
    assert note["comment_id"] == cid
    assert note["rule"] == {"id": "respect", "title": "Be civil"}
    assert note["automated"] is False
    assert note["created_at"].startswith("2026-11-30T10:00")
    assert "removed your comment" in note["body"]
    assert "Something rude" in note["body"]
    assert "Please keep it civil." in note["body"]
    assert "contest" in note["contest"]
    # The reporter is told the outcome of their report, not sent the author's statement.
    theirs = client.get("/api/v1/me/notifications", headers=cast.h(cast.reader)).json()["items"]
    assert [n["kind"] for n in theirs] == ["report_outcome"]


def test_notifications_can_be_marked_read(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "One")
    decide(client, cast, cast.mod, cid, action="amend", body="One, amended")
    decide(client, cast, cast.mod, cid, action="restore")
    h = cast.h(cast.author)
    assert client.get("/api/v1/me/notifications/unread-count", headers=h).json() == {
        "unread_count": 2
    }
    first = client.get("/api/v1/me/notifications", headers=h).json()["items"][0]["id"]
    assert (
        client.post(
            f"/api/v1/me/notifications/{first}/read", headers=cast.h(cast.reader)
        ).status_code
        == 404
    )
    r = client.post(f"/api/v1/me/notifications/{first}/read", headers=h)
    assert r.json()["read"] is True
    assert client.get("/api/v1/me/notifications?unread=true", headers=h).json()["unread_count"] == 1
    client.post("/api/v1/me/notifications/read-all", headers=h)
    assert (
        client.get("/api/v1/me/notifications/unread-count", headers=h).json()["unread_count"] == 0
    )


def test_audit_log_records_each_step_with_digests(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "Before text")
    report(client, cast, cast.reader, cid, "untrue")
    decide(client, cast, cast.mod, cid, action="amend", body="After text", note="fixed a claim")
    r = client.get("/api/v1/moderation/audit", headers=cast.h(cast.admin))
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["action"] for i in items] == ["comment.amend", "report"]
    amend = items[0]
    assert amend["actor_id"] == cast.mod.id
    assert amend["actor_role"] == "moderator"
    assert amend["target_type"] == "comment"
    assert amend["target_id"] == str(cid)
    assert amend["rule_key"] == "respect"
    assert amend["note"] == "fixed a claim"
    assert amend["before_digest"] == digest("Before text")
    assert amend["after_digest"] == digest("After text")
    assert amend["automated"] is False
    only = client.get(
        "/api/v1/moderation/audit", params={"action": "report"}, headers=cast.h(cast.admin)
    ).json()["items"]
    assert len(only) == 1


def test_audit_log_exports_csv(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "=HYPERLINK(evil)")
    decide(client, cast, cast.mod, cid, action="remove", note="=cmd|' /C calc'!A0")
    r = client.get("/api/v1/moderation/audit.csv", headers=cast.h(cast.admin))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows[0]["action"] == "comment.remove"
    assert rows[0]["note"].startswith("'=")  # neutralised for spreadsheets


def test_audit_rows_cannot_be_changed_or_deleted(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cid = post(client, cast, cast.author, "Anything")
    decide(client, cast, cast.mod, cid, action="remove")
    entry = session.query(AuditEntry).first()
    assert entry is not None
    entry.note = "tampered"
    with pytest.raises(PermissionError):
        session.flush()
    session.rollback()
    for stmt in (
        update(AuditEntry).values(note="tampered"),
        delete(AuditEntry),
        text("UPDATE audit_log SET note = 'x'"),
    ):
        with pytest.raises(DBAPIError):
            session.execute(stmt)
        session.rollback()
    assert session.query(AuditEntry).count() == 1
