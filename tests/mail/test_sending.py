"""Email through a real SMTP server: headers, both parts, preferences, one-click unsubscribe,
retries on 4xx, no retries on 5xx, and mail for erased or address-less readers dropped."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.mail.digest import run_digest
from belowline.models import MailLogEntry, Notification
from belowline.outbox.models import OutboxMessage, OutboxStatus
from tests.asyncrun import run_async
from tests.cast import Cast, decide, post
from tests.mail.smtp import SmtpServer


def drain(app: FastAPI) -> int:
    return int(run_async(app.state.outbox_worker.run_once))


def email_rows(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "email").order_by(OutboxMessage.id)
        ).all()
    )


def log_rows(session: Session) -> list[MailLogEntry]:
    session.expire_all()
    return list(session.scalars(select(MailLogEntry).order_by(MailLogEntry.id)).all())


def test_statement_of_reasons_arrives_with_both_parts_and_one_click_unsubscribe(
    client: TestClient, app: FastAPI, cast: Cast, smtp: SmtpServer, session: Session
) -> None:
    cid = post(client, cast, cast.author, "The councillor is a <b>crook</b> & a liar")
    assert decide(client, cast, cast.mod, cid, action="remove").status_code == 201
    assert smtp.inbox.received == []  # never inside the request
    assert drain(app) == 1
    [got] = smtp.inbox.received
    msg = got.message
    assert got.rcpt_tos == [cast.author.email]
    assert msg["From"] == "The Gazette comments <comments@gazette.example>"
    assert msg["To"] == cast.author.email
    assert msg["Subject"] == "A moderator removed your comment"
    assert msg["Message-ID"].endswith("@gazette.example>")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = msg["List-Unsubscribe"].strip("<>")
    assert f"\r\nList-Unsubscribe: <{link}>\r\n".encode() in got.raw  # a bare URI, not encoded
    assert link.startswith("http://testserver/mail/unsubscribe/")
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    text_body, html_body = text.get_content(), html.get_content()
    assert "removed your comment" in text_body and "14 days" in text_body
    assert link in text_body and f'href="{link}"' in html_body
    assert "&lt;b&gt;crook&lt;/b&gt; &amp; a liar" in html_body  # the reader's text is escaped
    assert "<b>crook</b>" not in html_body
    [entry] = log_rows(session)
    assert entry.outcome == "sent" and entry.message_id == msg["Message-ID"]

    path = urlsplit(link).path
    page = client.get(path)
    assert page.status_code == 200 and "Unsubscribe" in page.text
    prefs = client.get("/api/v1/me/preferences", headers=cast.h(cast.author)).json()
    assert prefs["email_decisions"] is True  # GET only asks
    r = client.post(
        path,
        content="List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 200 and "You are unsubscribed" in r.text
    prefs = client.get("/api/v1/me/preferences", headers=cast.h(cast.author)).json()
    assert prefs == {
        "email_replies": False,
        "email_decisions": False,
        "email_report_outcomes": True,
        "digest": "off",
    }
    # The next statement is still in the inbox; its email is dropped, logged, not retried.
    assert decide(client, cast, cast.mod, cid, action="restore").status_code == 201
    assert drain(app) == 1
    assert len(smtp.inbox.received) == 1
    last = log_rows(session)[-1]
    assert last.outcome == "dropped" and last.reason == "preference email_decisions is off"
    assert all(m.status == OutboxStatus.SENT for m in email_rows(session))
    session.expire_all()
    kinds = [
        n.title
        for n in session.scalars(select(Notification).where(Notification.user_id == cast.author.id))
    ]
    assert "Your comment was restored" in kinds


def test_tampered_unsubscribe_link_is_refused(client: TestClient) -> None:
    r = client.post("/mail/unsubscribe/eyJ1IjoxLCJjIjoiZGVjaXNpb24ifQ.forged")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_replies_are_opt_in_and_can_come_as_a_daily_digest(
    client: TestClient, app: FastAPI, cast: Cast, smtp: SmtpServer, session: Session
) -> None:
    parent = post(client, cast, cast.author, "The bridge is worth every penny.")
    post(client, cast, cast.reader, "Not at that price.", parent_id=parent)
    assert email_rows(session) == []  # replies are off by default: nothing queued
    r = client.put(
        "/api/v1/me/preferences", json={"email_replies": True}, headers=cast.h(cast.author)
    )
    assert r.status_code == 200 and r.json()["email_replies"] is True
    post(client, cast, cast.reader2, "It will last a century.", parent_id=parent)
    post(client, cast, cast.author, "Replying to myself sends nothing.", parent_id=parent)
    assert drain(app) == 1
    [got] = smtp.inbox.received
    assert got.message["Subject"] == "Rob Reader replied to your comment"
    assert "It will last a century." in got.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    # Daily digest: immediate reply emails are dropped at send time, one digest a day instead.
    client.put("/api/v1/me/preferences", json={"digest": "daily"}, headers=cast.h(cast.author))
    post(client, cast, cast.reader, "A third view.", parent_id=parent)
    drain(app)
    assert log_rows(session)[-1].reason == "replies go in the daily digest"
    cast.clock.advance(hours=1)
    assert run_digest(session, now=cast.clock()) == 1
    session.commit()
    assert run_digest(session, now=cast.clock()) == 0  # once a day
    session.commit()
    drain(app)
    assert len(smtp.inbox.received) == 2
    digest = smtp.inbox.received[-1].message
    assert digest["Subject"] == "Replies to your comments: 3 new"
    assert digest["List-Unsubscribe"]
    body = digest.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "A third view." in body and "Not at that price." in body


def test_temporary_smtp_failure_is_retried_and_permanent_is_not(
    client: TestClient, app: FastAPI, cast: Cast, smtp: SmtpServer, session: Session
) -> None:
    cid = post(client, cast, cast.author, "A comment to decide twice")
    smtp.inbox.reply = "451 4.3.0 Try again later"
    decide(client, cast, cast.mod, cid, action="remove")
    drain(app)
    [row] = email_rows(session)
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.last_error is not None and "451" in row.last_error
    assert drain(app) == 0  # backing off
    smtp.inbox.reply = "250 OK"
    cast.clock.advance(minutes=5)
    assert drain(app) == 1
    [row] = email_rows(session)
    assert row.status == OutboxStatus.SENT and row.attempts == 2
    assert len(smtp.inbox.received) == 1

    smtp.inbox.reply = "550 5.1.1 No such mailbox"
    decide(client, cast, cast.mod, cid, action="restore")
    drain(app)
    rows = email_rows(session)
    assert rows[-1].status == OutboxStatus.DEAD and rows[-1].attempts == 1
    assert log_rows(session)[-1].outcome == "rejected"
    cast.clock.advance(hours=2)
    assert drain(app) == 0  # never tried again
    session.expire_all()
    assert session.scalar(
        select(Notification).where(Notification.title == "Your comment was restored")
    )


def test_mail_for_readers_without_an_address_or_erased_is_dropped(
    client: TestClient, app: FastAPI, cast: Cast, smtp: SmtpServer, session: Session
) -> None:
    cid = post(client, cast, cast.author, "Soon to be without an address")
    author = session.merge(cast.author)
    author.email = None
    session.commit()
    decide(client, cast, cast.mod, cid, action="remove")
    drain(app)
    assert smtp.inbox.received == []
    assert log_rows(session)[-1].reason == "no email address"
    assert email_rows(session)[-1].status == OutboxStatus.SENT  # handled, not retried


def test_preferences_refuse_bad_input(client: TestClient, cast: Cast, session: Session) -> None:
    h = cast.h(cast.reader)
    for body in (
        {"email_replies": "yes"},
        {"email_replies": 1},
        {"digest": "weekly"},
        {"unknown": True},
        [],
    ):
        r = client.put("/api/v1/me/preferences", json=body, headers=h)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["error"]["code"]
    r = client.put(
        "/api/v1/me/preferences", content="x", headers={**h, "content-type": "text/plain"}
    )
    assert r.status_code == 415
    assert client.get("/api/v1/me/preferences").status_code == 401
    assert client.get("/api/v1/me/preferences", headers=h).json()["email_replies"] is False
