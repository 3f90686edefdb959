"""Notices from anyone: filed signed out, refused clearly, stored safely, decided with reasons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from belowline import events
from belowline.app import create_app
from belowline.audit.models import AuditEntry
from belowline.clock import FrozenClock
from belowline.comments.models import Comment
from belowline.notices import service as notices
from belowline.notices.models import Notice
from belowline.notices.schemas import NoticeIn
from belowline.outbox.models import OutboxMessage
from belowline.settings import Settings
from tests.cast import Cast, post, row_counts
from tests.factories import TEST_SECRET
from tests.notices.helpers import NOTICES_URL, emails, file, form_token, notice_body

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _counts(session: Session) -> dict[str, int]:
    counts = row_counts(session)
    for table in (Notice, OutboxMessage):
        counts[table.__tablename__] = int(
            session.scalar(select(func.count()).select_from(table)) or 0
        )
    return counts


def test_a_signed_out_reader_files_a_notice_and_gets_a_receipt(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cid = post(client, cast, cast.author, "Jane Doe lives at 12 Acacia Avenue")
    r = file(client, cast, cid)
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) >= {"id", "received_at"}
    assert body["received_at"].startswith("2026-11-30T10:00:05")
    [receipt] = emails(session, "jane.doe@example.org")
    assert receipt["category"] == "notice"
    assert receipt["user_id"] is None
    assert f"notice no. {body['id']}" in receipt["subject"]
    assert "This comment gives my home address" in receipt["text"]
    audit = session.scalars(select(AuditEntry).where(AuditEntry.target_type == "notice")).all()
    assert [a.action for a in audit] == ["notice.received"]


BAD: list[tuple[str, dict[str, Any], set[str]]] = [
    ("no good faith", {"good_faith": False}, {"good_faith"}),
    ("good faith missing", {"good_faith": None}, {"good_faith"}),
    ("no explanation", {"explanation": "   "}, {"explanation"}),
    ("short explanation", {"explanation": "bad"}, {"explanation"}),
    ("bad email", {"email": "jane@"}, {"email"}),
    ("header in email", {"email": "a@b.org\r\nBcc: x@y.org"}, {"email"}),
    ("no email", {"email": None}, {"email"}),
    ("unknown reason", {"reason": "boring"}, {"reason"}),
    (
        "all at once",
        {"good_faith": False, "explanation": "", "email": "x"},
        {"good_faith", "explanation", "email"},
    ),
    (
        "UK complaint incomplete",
        {"reason": "defamation", "uk_complaint": {"statement": "He is a crook"}},
        {
            "uk_complaint.meaning",
            "uk_complaint.why_defamatory",
            "uk_complaint.inaccurate",
            "uk_complaint.poster_unknown",
        },
    ),
]  # fmt: skip


@pytest.mark.parametrize(("case", "over", "named"), BAD, ids=[b[0] for b in BAD])
def test_bad_notices_are_refused_with_the_fields_named_and_nothing_written(
    client: TestClient,
    cast: Cast,
    session: Session,
    case: str,
    over: dict[str, Any],
    named: set[str],
) -> None:
    cid = post(client, cast, cast.author, "A comment")
    before = _counts(session)
    r = file(client, cast, cid, **over)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert {f["field"] for f in error["fields"]} == named
    assert _counts(session) == before


def test_a_comment_of_another_site_or_none_is_not_found(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cid = post(client, cast, cast.author, "A comment")
    before = _counts(session)
    token = form_token(client, cast, "courier")
    r = client.post("/api/v1/sites/courier/notices", json=notice_body(cid, form_token=token))
    assert r.status_code == 404 and r.json()["error"]["code"] == "comment_not_found"
    r = file(client, cast, 999_999)
    assert r.status_code == 404 and r.json()["error"]["code"] == "comment_not_found"
    r = client.post("/api/v1/sites/nowhere/notices", json=notice_body(cid, form_token="x"))
    assert r.status_code in (404, 422)
    assert _counts(session) == before


def test_automated_floods_are_refused(client: TestClient, cast: Cast, session: Session) -> None:
    cid = post(client, cast, cast.author, "A comment")
    before = _counts(session)
    fresh = client.get("/api/v1/sites/gazette/notices/form").json()["form_token"]
    attempts = {
        "honeypot": notice_body(cid, website="http://spam.example", form_token=fresh),
        "no token": notice_body(cid),
        "forged": notice_body(cid, form_token=fresh[:-4] + "AAAA"),
        "too fresh": notice_body(cid, form_token=fresh),
    }
    for case, body in attempts.items():
        r = client.post(NOTICES_URL, json=body)
        assert r.status_code == 422, case
        assert r.json()["error"]["code"] == "invalid_form_token", case
    cast.clock.advance(hours=3)
    r = client.post(NOTICES_URL, json=notice_body(cid, form_token=fresh))
    assert r.json()["error"]["code"] == "invalid_form_token"  # expired
    assert _counts(session) == before


def test_notices_are_rate_limited_per_address(
    engine: Engine, tmp_path: Path, clock: FrozenClock, session: Session, cast: Cast
) -> None:
    settings = Settings(environment="test", data_dir=tmp_path, secret_key=TEST_SECRET)
    app: FastAPI = create_app(settings, clock=clock, engine=engine)
    with TestClient(app) as client:
        cid = post(client, cast, cast.author, "A comment")
        codes = [file(client, cast, cid, email=f"n{i}@example.org").status_code for i in range(6)]
    assert codes == [201] * 5 + [429]


def test_the_email_limit_holds_across_addresses(
    engine: Engine, tmp_path: Path, clock: FrozenClock, session: Session, cast: Cast
) -> None:
    settings = Settings(environment="test", data_dir=tmp_path, secret_key=TEST_SECRET)
    app: FastAPI = create_app(settings, clock=clock, engine=engine)
    with TestClient(app) as client:
        cid = post(client, cast, cast.author, "A comment")
    codes = []
    for i in range(11):  # a different address each time: only the email limit applies
        with TestClient(app, client=(f"10.0.0.{i}", 40000)) as one:
            codes.append(file(one, cast, cid).status_code)
    assert codes[:10] == [201] * 10
    assert codes[10] == 429


def test_script_in_every_field_is_shown_escaped_to_moderators_and_in_email(
    client: TestClient, cast: Cast, session: Session, app: FastAPI
) -> None:
    cid = post(client, cast, cast.author, "A comment")
    r = file(client, cast, cid, name=SCRIPT, explanation=SCRIPT + " and more", location=SCRIPT)
    assert r.status_code == 201, r.text
    listing = client.get(
        "/api/v1/moderation/queues/notices?site_id=gazette", headers=cast.h(cast.mod)
    )
    [item] = listing.json()["items"]
    assert item["name"].startswith("<script>")  # JSON keeps the text; pages escape it
    [receipt] = emails(session, "jane.doe@example.org")
    assert "<script>" not in receipt["html"]
    assert "&lt;script&gt;" in receipt["html"]
    assert "\n" not in receipt["subject"]
    from tests.dashboard.test_pages import sign_in  # the dashboard's sign-in helper

    desk = TestClient(app)
    sign_in(desk, cast.mod)
    page = desk.get("/moderate/notices").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_a_notice_records_notice_created(session: Session, cast: Cast) -> None:
    from belowline.comments.models import Comment as C

    comment = C(
        site_id="gazette",
        story_id=cast.world.story.id,
        author_id=cast.author.id,
        body_md="A comment",
        body_html="<p>A comment</p>",
        status="published",
        created_at=cast.clock(),
    )
    session.add(comment)
    session.flush()
    notice = notices.file_notice(
        session, site_id="gazette", data=NoticeIn(**notice_body(comment.id)), now=cast.clock()
    )
    [event] = [e for e in events.take_pending(session) if isinstance(e, events.NoticeCreated)]
    assert (event.kind, event.notice_id, event.comment_id, event.reason) == (
        "notice.created",
        notice.id,
        comment.id,
        "privacy",
    )
    session.rollback()


def _decide(client: TestClient, cast: Cast, notice_id: int, **body: Any) -> Any:
    return client.post(
        f"/api/v1/moderation/notices/{notice_id}/decision", json=body, headers=cast.h(cast.mod)
    )


def test_no_action_needs_a_reason_and_tells_the_notifier(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cid = post(client, cast, cast.author, "The council's plan is a disgrace")
    nid = file(client, cast, cid, reason="other").json()["id"]
    before = _counts(session)
    r = _decide(client, cast, nid, outcome="no_action")
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "reason"
    r = _decide(client, cast, nid, outcome="maybe", reason="x")
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "outcome"
    assert _counts(session) == before
    r = _decide(
        client, cast, nid, outcome="no_action", reason="It is fair criticism of a public body."
    )
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "no_action" and r.json()["status"] == "decided"
    decision_mail = emails(session, "jane.doe@example.org")[-1]
    assert "no action" in decision_mail["text"]
    assert "fair criticism" in decision_mail["text"]
    assert "No automated means were used" in decision_mail["text"]
    assert "out-of-court" in decision_mail["text"] and "courts" in decision_mail["text"]
    assert "Mona" not in decision_mail["text"]
    again = _decide(client, cast, nid, outcome="no_action", reason="again")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"


def test_acting_on_a_notice_decides_the_comment_and_says_so_in_the_statement(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cid = post(client, cast, cast.author, "Jane Doe lives at 12 Acacia Avenue")
    nid = file(client, cast, cid).json()["id"]
    second = file(client, cast, cid, email="other@example.org").json()["id"]
    before = _counts(session)
    r = _decide(client, cast, nid, outcome="action", action="remove", rule_id="no-such-rule")
    assert r.status_code == 422 and r.json()["error"]["code"] == "rule_not_found"
    assert _counts(session) == before
    r = _decide(client, cast, nid, outcome="action", action="remove", rule_id="privacy")
    assert r.status_code == 200, r.text
    assert r.json()["decision_id"]
    session.expire_all()
    comment = session.get(Comment, cid)
    assert comment is not None and comment.status == "removed"
    other = session.get(Notice, second)
    assert other is not None and other.status == "decided"  # one decision answers both
    statement = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()["items"][
        0
    ]
    assert "notice sent to the newsroom" in statement["body"]
    mail = emails(session, "jane.doe@example.org")[-1]
    assert "removed the comment under our rule “Respect privacy”" in mail["text"]
    assert len(emails(session, "other@example.org")) == 2  # receipt and decision
    listing = client.get(
        "/api/v1/moderation/queues/notices?site_id=gazette", headers=cast.h(cast.mod)
    ).json()
    assert listing["items"] == []


def test_the_queue_has_its_own_sla_clock(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "A comment")
    file(client, cast, cid)
    cast.clock.advance(hours=30)
    [item] = client.get(
        "/api/v1/moderation/queues/notices?site_id=gazette", headers=cast.h(cast.mod)
    ).json()["items"]
    assert item["sla"]["target_seconds"] in (4 * 3600, 12 * 3600, 24 * 3600)
    assert item["sla"]["breached"] is True
    assert item["comment"]["id"] == cid
