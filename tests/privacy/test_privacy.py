"""A reader's export and erasure, and an admin's data requests, end to end over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.models import AuditEntry, Decision, Report, User
from belowline.privacy.retention import run_retention
from tests.cast import COMMENTS_URL, Cast, decide, post, report

ME = "/api/v1/me"


def _seed(client: TestClient, cast: Cast) -> tuple[int, int]:
    mine = post(client, cast, cast.author, "Councillor Smith is wrong about the bridge.")
    theirs = post(client, cast, cast.reader, "I disagree with you.", parent_id=mine)
    h = cast.h(cast.author)
    assert client.post(f"/api/v1/comments/{theirs}/reactions", headers=h).status_code == 200
    assert report(client, cast, cast.author, theirs, reason="off_topic").status_code == 201
    assert decide(client, cast, cast.mod, mine, action="amend", body="[edited]").status_code == 201
    client.put(f"{ME}/preferences", json={"email_replies": True}, headers=h)
    return mine, theirs


def test_export_holds_everything_about_the_reader(client: TestClient, cast: Cast) -> None:
    mine, theirs = _seed(client, cast)
    r = client.get(f"{ME}/export", headers=cast.h(cast.author))
    assert r.status_code == 200 and r.headers["cache-control"] == "private, no-store"
    data = r.json()
    assert data["account"]["email"] == cast.author.email
    assert data["account"]["display_name"] == "Arthur Author"
    [comment] = data["comments"]
    assert comment["id"] == mine and comment["body"] == "[edited]"
    assert [rev["by"] for rev in comment["revisions"]] == ["you", "a moderator"]
    assert data["reactions"] == [
        {"comment_id": theirs, "created_at": data["reactions"][0]["created_at"]}
    ]
    assert [rep["comment_id"] for rep in data["reports_made"]] == [theirs]
    assert [d["action"] for d in data["decisions_about_you"]] == ["amend"]
    assert any(n["kind"] == "decision" for n in data["notifications"])
    assert data["preferences"]["email_replies"] is True
    text = r.text
    assert "Mona Moderator" not in text and cast.mod.email not in text  # nobody else's data
    assert client.get(f"{ME}/export").status_code == 401


def test_erasure_removes_the_name_from_threads_and_ends_the_session(
    client: TestClient, cast: Cast, session: Session
) -> None:
    mine, _ = _seed(client, cast)
    before = client.get(COMMENTS_URL).json()  # anonymous read fills the page cache
    assert "Arthur Author" in str(before)
    h = cast.h(cast.author)
    for bad in ({}, {"confirm": False}, {"confirm": "yes"}, {"confirm": True, "x": 1}):
        r = client.request("DELETE", ME, json=bad, headers=h)
        assert r.status_code == 422, bad
    r = client.request("DELETE", ME, json={"confirm": True}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["comments"] == "anonymise" and r.json()["stories_refreshed"] == 1
    after = client.get(COMMENTS_URL)
    assert "Arthur Author" not in after.text and "Former reader" in after.text
    assert client.get(f"{ME}/notifications", headers=h).status_code == 401  # token dead
    session.expire_all()
    user = session.get(User, cast.author.id)
    assert user is not None and user.email is None and user.external_id is None
    # Moderation records keep the decision, by id; the audit log gained a row, lost none.
    assert session.scalar(select(Decision).where(Decision.comment_id == mine))
    assert session.scalar(select(Report).where(Report.reporter_id == cast.author.id))
    actions = [a.action for a in session.scalars(select(AuditEntry))]
    assert "privacy.erase" in actions and "comment.amend" in actions


def test_site_can_delete_erased_readers_comments(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _mine, theirs = _seed(client, cast)
    url = "/api/v1/sites/gazette/privacy/settings"
    for bad in ({"erase_comments": "burn"}, {"mail_days": 0}, {"nope": 1}):
        assert client.put(url, json=bad, headers=cast.h(cast.admin)).status_code == 422
    r = client.put(url, json={"erase_comments": "delete"}, headers=cast.h(cast.admin))
    assert r.status_code == 200 and r.json()["erase_comments"] == "delete"
    # A data request by email: the admin finds the person by address, exports, erases.
    base = "/api/v1/sites/gazette/privacy"
    assert (
        client.get(f"{base}/export?email=nobody@x.example", headers=cast.h(cast.admin)).status_code
        == 404
    )
    assert client.get(f"{base}/export", headers=cast.h(cast.admin)).status_code == 422
    r = client.get(f"{base}/export?email={cast.author.email.upper()}", headers=cast.h(cast.admin))
    assert r.status_code == 200 and r.json()["account"]["id"] == cast.author.id
    r = client.post(
        f"{base}/erase",
        json={"email": cast.author.email, "confirm": True},
        headers=cast.h(cast.admin),
    )
    assert r.status_code == 200 and r.json()["comments"] == "delete"
    again = client.post(
        f"{base}/erase",
        json={"user_id": cast.author.id, "confirm": True},
        headers=cast.h(cast.admin),
    )
    assert again.status_code == 409
    thread = client.get(COMMENTS_URL).json()
    assert "Councillor Smith" not in str(thread)
    reply = client.get(f"/api/v1/comments/{theirs}").json()
    assert reply["body_html"]  # the other reader's reply stays in place


def test_retention_purges_old_email_records(
    client: TestClient, cast: Cast, session: Session
) -> None:
    from belowline.mail.service import MailCategory, queue_email
    from belowline.outbox.models import OutboxMessage, OutboxStatus

    msg = queue_email(
        session,
        site_id="gazette",
        to="a@example.com",
        subject="s",
        text="t",
        now=cast.clock(),
        category=MailCategory.NOTICE,
    )
    msg.status = OutboxStatus.SENT
    session.commit()
    assert run_retention(session, now=cast.clock()) == {"emails": 0, "mail_log": 0}
    cast.clock.advance(days=31)
    assert run_retention(session, now=cast.clock()) == {"emails": 1, "mail_log": 0}
    session.commit()
    assert session.scalar(select(OutboxMessage)) is None
