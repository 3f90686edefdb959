"""The UK notice of complaint with time travel: clocks in working hours, across a weekend and a
bank holiday, escalated when at risk with nobody on duty; disclosure only with consent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.audit.models import AuditEntry
from belowline.comments.models import Comment
from tests.cast import Cast, post
from tests.notices.helpers import emails, file

COMPLAINT = {
    "statement": "Cllr Doe took bribes for the bridge contract",
    "meaning": "That I am corrupt and committed a crime",
    "why_defamatory": "It accuses me of a criminal offence and damages my reputation",
    "inaccurate": "I have never taken a bribe; the contract was awarded by an open tender",
    "poster_unknown": True,
}
SCHEDULE = {
    "timezone": "Europe/London",
    "default": "none",
    "weekly": [
        {
            "days": ["mon", "tue", "wed", "thu", "fri"],
            "start": "09:00",
            "end": "18:00",
            "coverage": "full",
        }
    ],
}


def _complaint(client: TestClient, cast: Cast, cid: int, **over: Any) -> int:
    r = file(
        client,
        cast,
        cid,
        reason="defamation",
        explanation="The comment says I took bribes. It is false.",
        uk_complaint={**COMPLAINT, **over},
    )
    assert r.status_code == 201, r.text
    notice_id: int = r.json()["id"]
    return notice_id


def _item(client: TestClient, cast: Cast, nid: int, status: str = "open") -> dict[str, Any]:
    items = client.get(
        f"/api/v1/moderation/queues/notices?site_id=gazette&status={status}",
        headers=cast.h(cast.mod),
    ).json()["items"]
    return next(i for i in items if i["id"] == nid)


def _steps(session: Session, nid: int) -> list[str]:
    session.expire_all()
    rows = session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.target_type == "notice", AuditEntry.target_id == str(nid))
        .order_by(AuditEntry.id)
    ).all()
    return list(rows)


def test_contact_the_poster_across_a_bank_holiday_weekend(
    client: TestClient, cast: Cast, session: Session
) -> None:
    r = client.put(
        "/api/v1/sites/gazette/moderation/schedule", json=SCHEDULE, headers=cast.h(cast.admin)
    )
    assert r.status_code == 200, r.text
    # Friday 28 August 2026, 16:59:55 BST; Monday 31 August is the summer bank holiday.
    cast.clock.at = datetime(2026, 8, 28, 15, 59, 55, tzinfo=UTC)
    cid = post(client, cast, cast.author, "Cllr Doe took bribes for the bridge contract.")
    nid = _complaint(client, cast, cid)  # received at 17:00:00 BST
    clock = _item(client, cast, nid)["uk_complaint"]["clock"]
    assert clock["due_at"] == "2026-09-02T16:00:00Z"  # Wednesday 17:00 BST: 48 working hours
    assert clock["working_hours_left"] == 48.0
    assert clock["at_risk"] is False

    # Tuesday 1 September 10:00 BST: 7 hours of Friday and 10 of Tuesday have gone.
    cast.clock.at = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    clock = _item(client, cast, nid)["uk_complaint"]["clock"]
    assert clock["working_hours_left"] == 31.0  # the weekend and the bank holiday did not count
    # Wednesday 02:00 BST: at risk, and nobody is on duty: escalated.
    cast.clock.at = datetime(2026, 9, 2, 1, 0, tzinfo=UTC)
    clock = _item(client, cast, nid)["uk_complaint"]["clock"]
    assert (clock["at_risk"], clock["escalated"], clock["coverage_now"]) == (True, True, "none")
    # Wednesday 10:00 BST: still at risk, but staffed, so not escalated.
    cast.clock.at = datetime(2026, 9, 2, 9, 0, tzinfo=UTC)
    clock = _item(client, cast, nid)["uk_complaint"]["clock"]
    assert (clock["at_risk"], clock["escalated"]) == (True, False)

    r = client.post(
        f"/api/v1/moderation/notices/{nid}/route",
        json={"route": "contact_poster"},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 200, r.text
    uk = r.json()["uk_complaint"]
    # Five working days after Wednesday 2 September: Thu 3 … Wed 9, to midnight.
    assert uk["reply_due_at"] == "2026-09-09T23:00:00Z"
    assert uk["clock"]["due_at"] == "2026-09-11T23:00:00Z"  # then 48 working hours to remove
    # The poster is told in their inbox, without the complainant's name or email.
    [told] = [
        n
        for n in client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()["items"]
        if n["action"] == "notice_of_complaint"
    ]
    assert "Cllr Doe took bribes" in told["body"]
    assert "jane.doe@example.org" not in told["body"] and "Jane Doe" not in told["body"]
    poster_mail = emails(session, cast.author.email)[-1]
    assert poster_mail["user_id"] == cast.author.id and poster_mail["category"] == "notice"
    # …and the complainant is told what was done.
    assert (
        "sent the poster of the comment a copy"
        in emails(session, "jane.doe@example.org")[-1]["text"]
    )

    # A second route is refused; a stranger cannot answer for the poster.
    again = client.post(
        f"/api/v1/moderation/notices/{nid}/route",
        json={"route": "remove_on_notice"},
        headers=cast.h(cast.mod),
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_step"
    stranger = client.post(
        f"/api/v1/me/notices/{nid}/reply", json={"choice": "remove"}, headers=cast.h(cast.reader)
    )
    assert stranger.status_code == 404

    # The poster objects without an address: refused, field named, nothing changed.
    bad = client.post(
        f"/api/v1/me/notices/{nid}/reply",
        json={"choice": "object", "full_name": "Arthur Author"},
        headers=cast.h(cast.author),
    )
    assert bad.status_code == 422
    assert [f["field"] for f in bad.json()["error"]["fields"]] == ["postal_address"]
    # Disclosure is refused before any consent.
    refused = client.post(f"/api/v1/moderation/notices/{nid}/disclose", headers=cast.h(cast.mod))
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "consent_required"

    ok = client.post(
        f"/api/v1/me/notices/{nid}/reply",
        json={
            "choice": "object",
            "full_name": "Arthur Author",
            "postal_address": "1 High Street, Anytown AN1 1AA",
            "consent_disclosure": True,
        },
        headers=cast.h(cast.author),
    )
    assert ok.status_code == 200, ok.text
    objected = emails(session, "jane.doe@example.org")[-1]["text"]
    assert "The poster objects" in objected and "1 High Street" not in objected
    r = client.post(f"/api/v1/moderation/notices/{nid}/disclose", headers=cast.h(cast.mod))
    assert r.status_code == 200, r.text
    assert "1 High Street, Anytown" in emails(session, "jane.doe@example.org")[-1]["text"]
    assert _steps(session, nid) == [
        "notice.received",
        "notice.route.contact_poster",
        "notice.poster_told",
        "notice.poster_reply.object",
        "notice.disclosed",
    ]
    session.expire_all()
    comment = session.get(Comment, cid)
    assert comment is not None and comment.status == "published"  # the statement stays


def test_no_answer_in_five_working_days_makes_removal_due_and_removal_closes_it(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cast.clock.at = datetime(2026, 12, 23, 12, 0, tzinfo=UTC)  # Wednesday before Christmas
    cid = post(client, cast, cast.author, "Cllr Doe took bribes.")
    nid = _complaint(client, cast, cid, share_details=True)
    client.post(
        f"/api/v1/moderation/notices/{nid}/route",
        json={"route": "contact_poster"},
        headers=cast.h(cast.mod),
    )
    told = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()["items"][0]
    assert "Cllr Jane Doe (jane.doe@example.org)" in told["body"]  # they agreed to be named
    uk = _item(client, cast, nid)["uk_complaint"]
    # 24, 29, 30, 31 December and 4 January (25, 28 December and 1 January are off).
    assert uk["reply_due_at"] == "2027-01-05T00:00:00Z"
    cast.clock.at = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
    clock = _item(client, cast, nid)["uk_complaint"]["clock"]
    assert clock["for"] == "remove the statement: the poster has not answered"
    assert clock["working_hours_left"] == 39.0  # Tuesday 09:00 to Thursday 00:00
    late = client.post(
        f"/api/v1/moderation/notices/{nid}/decision",
        json={
            "outcome": "action",
            "action": "remove",
            "rule_id": "truthful",
            "reason": "No answer.",
        },
        headers=cast.h(cast.mod),
    )
    assert late.status_code == 200, late.text
    session.expire_all()
    comment = session.get(Comment, cid)
    assert comment is not None and comment.status == "removed"
    assert _steps(session, nid)[-1] == "notice.action"


def test_remove_on_notice(client: TestClient, cast: Cast, session: Session) -> None:
    cid = post(client, cast, cast.author, "Cllr Doe took bribes.")
    nid = _complaint(client, cast, cid)
    bad = client.post(
        f"/api/v1/moderation/notices/{nid}/route",
        json={"route": "ignore"},
        headers=cast.h(cast.mod),
    )
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "route"
    r = client.post(
        f"/api/v1/moderation/notices/{nid}/route",
        json={"route": "remove_on_notice"},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "decided" and r.json()["outcome"] == "action"
    session.expire_all()
    comment = session.get(Comment, cid)
    assert comment is not None and comment.status == "removed"
    assert _steps(session, nid) == [
        "notice.received",
        "notice.route.remove_on_notice",
        "notice.action",
    ]


def test_the_poster_may_ask_for_removal(client: TestClient, cast: Cast, session: Session) -> None:
    cid = post(client, cast, cast.author, "Cllr Doe took bribes.")
    nid = _complaint(client, cast, cid)
    client.post(
        f"/api/v1/moderation/notices/{nid}/route",
        json={"route": "contact_poster"},
        headers=cast.h(cast.mod),
    )
    r = client.post(
        f"/api/v1/me/notices/{nid}/reply", json={"choice": "remove"}, headers=cast.h(cast.author)
    )
    assert r.status_code == 200, r.text
    clock = _item(client, cast, nid)["uk_complaint"]["clock"]
    assert clock["for"] == "remove the statement: the poster asked for it"
    again = client.post(
        f"/api/v1/me/notices/{nid}/reply", json={"choice": "remove"}, headers=cast.h(cast.author)
    )
    assert again.status_code == 409
