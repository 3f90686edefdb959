"""Reporting a comment: receipt, queue entry, one per reader, and refusals that write nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.cast import Cast, decide, post, report, row_counts


def test_report_comment_gives_receipt_and_queues_it(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "You are all idiots")
    r = report(client, cast, cast.reader, cid, "abusive", detail="Name-calling")
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["message"] == "Thanks — a moderator will look at this"
    assert data["id"] > 0
    assert data["received_at"].startswith("2026-11-30T10:00")

    cast.clock.advance(minutes=5)
    q = client.get("/api/v1/moderation/queues/reported", headers=cast.h(cast.mod))
    assert q.status_code == 200, q.text
    [item] = q.json()["items"]
    assert item["comment"]["id"] == cid
    assert item["report_count"] == 1
    assert item["reports"][0]["reason"] == "abusive"
    assert item["reports"][0]["detail"] == "Name-calling"
    assert item["sla"]["waiting_seconds"] == 300
    assert item["context"]["story"]["id"] == "story-1"
    assert item["author_history"]["line"] == "1 comment · 0 removals · no sanctions"


def test_report_comment_twice_is_rejected(client: TestClient, cast: Cast, session: Session) -> None:
    cid = post(client, cast, cast.author, "Hello")
    assert report(client, cast, cast.reader, cid).status_code == 201
    before = row_counts(session)
    r = report(client, cast, cast.reader, cid, "spam")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "already_reported"
    assert row_counts(session) == before


def test_queue_orders_by_weighted_reports_then_age(client: TestClient, cast: Cast) -> None:
    cast.clock.advance(days=30)  # established accounts: a new account's report weighs less
    first = post(client, cast, cast.author, "First, reported once")
    second = post(client, cast, cast.author, "Second, reported twice")
    third = post(client, cast, cast.author, "Third, reported once, later")
    report(client, cast, cast.reader, first)
    cast.clock.advance(minutes=1)
    report(client, cast, cast.reader, second)
    report(client, cast, cast.reader2, second, "off_topic")
    cast.clock.advance(minutes=1)
    report(client, cast, cast.reader, third)
    items = client.get("/api/v1/moderation/queues/reported", headers=cast.h(cast.mod)).json()[
        "items"
    ]
    assert [i["comment"]["id"] for i in items] == [second, first, third]
    assert items[0]["report_weight"] == 2.0


def test_queue_filters_by_story_and_reason(client: TestClient, cast: Cast) -> None:
    a = post(client, cast, cast.author, "Abusive one")
    b = post(client, cast, cast.author, "Spammy one")
    report(client, cast, cast.reader, a, "abusive")
    report(client, cast, cast.reader, b, "spam")
    h = cast.h(cast.mod)
    url = "/api/v1/moderation/queues/reported"
    spam = client.get(url, params={"reason": "spam"}, headers=h).json()["items"]
    assert [i["comment"]["id"] for i in spam] == [b]
    none = client.get(url, params={"story_id": "another-story"}, headers=h).json()["items"]
    assert none == []
    both = client.get(url, params={"site_id": "gazette", "story_id": "story-1"}, headers=h)
    assert len(both.json()["items"]) == 2


def test_report_after_approval_reopens_the_item(client: TestClient, cast: Cast) -> None:
    cid = post(client, cast, cast.author, "Borderline")
    report(client, cast, cast.reader, cid)
    assert decide(client, cast, cast.mod, cid, action="approve").status_code == 201
    q = client.get("/api/v1/moderation/queues/reported", headers=cast.h(cast.mod)).json()
    assert q["items"] == []
    cast.clock.advance(hours=1)
    report(client, cast, cast.reader2, cid, "untrue")
    [item] = client.get("/api/v1/moderation/queues/reported", headers=cast.h(cast.mod)).json()[
        "items"
    ]
    assert item["report_count"] == 1
    assert item["first_reported_at"].startswith("2026-11-30T11:00")


def test_dismissed_reports_lower_the_reporters_weight(client: TestClient, cast: Cast) -> None:
    for n in range(3):
        cid = post(client, cast, cast.author, f"Fine comment {n}")
        report(client, cast, cast.reader, cid)
        decide(client, cast, cast.mod, cid, action="approve")
    cid = post(client, cast, cast.author, "Another")
    report(client, cast, cast.reader, cid)
    [item] = client.get("/api/v1/moderation/queues/reported", headers=cast.h(cast.mod)).json()[
        "items"
    ]
    assert item["reports"][0]["weight"] < 1.0
    history = client.get(
        f"/api/v1/moderation/users/{cast.reader.id}", headers=cast.h(cast.mod)
    ).json()
    assert history["as_reporter"] == {"reports": 4, "upheld": 0, "dismissed": 3}
