"""Reporter trust: record and account age set a report's weight; brigades never hide alone."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.comments.models import Comment
from belowline.queues.models import QueueItem
from belowline.reports.models import Report, ReporterStats
from belowline.reports.trust import age_factor, record_weight, report_weight
from tests.cast import Cast, decide, post, report
from tests.factories import make_user
from tests.policy.test_policy import FINE, set_coverage


def test_weight_from_record_and_account_age(cast: Cast) -> None:
    now = cast.clock()
    assert record_weight(0, 0) == 1.0
    assert record_weight(9, 0) > 1.8
    assert record_weight(0, 9) == 0.25
    assert age_factor(now, now) == 0.25
    assert age_factor(now - timedelta(days=7), now) == 0.625
    assert age_factor(now - timedelta(days=400), now) == 1.0
    reader = User(created_at=now - timedelta(days=60))
    assert report_weight(reader, None, now=now) == 1.0
    good = ReporterStats(reports_upheld=4, reports_dismissed=0)
    bad = ReporterStats(reports_upheld=0, reports_dismissed=4)
    assert report_weight(reader, good, now=now) > 1.5
    assert report_weight(reader, bad, now=now) < 0.5
    newcomer = User(created_at=now)
    assert report_weight(newcomer, good, now=now) < report_weight(reader, good, now=now)


def test_upheld_reports_raise_a_readers_weight(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cast.clock.advance(days=30)
    for n in range(3):
        cid = post(client, cast, cast.author, f"{FINE} ({n})")
        report(client, cast, cast.reader, cid, "abusive")
        assert decide(client, cast, cast.mod, cid, action="remove").status_code == 201
    cid = post(client, cast, cast.reader2, FINE)  # the author is pre-moderated by now
    report(client, cast, cast.reader, cid, "abusive")
    weight = session.scalars(
        select(Report.weight).where(Report.comment_id == cid, Report.reporter_id == cast.reader.id)
    ).one()
    assert weight > 1.5


def _newcomers(session: Session, cast: Cast, n: int) -> list[User]:
    return [make_user(session, cast.world.site, cast.clock(), name=f"New {i}") for i in range(n)]


def test_a_brigade_of_new_accounts_does_not_hide_a_comment(
    client: TestClient, cast: Cast, session: Session
) -> None:
    set_coverage(client, cast, "none")  # the easiest time to hide something: nobody on duty
    cid = post(client, cast, cast.author, FINE)
    for user in _newcomers(session, cast, 10):  # 10 x 0.25 = 2.5, past the 2.0 threshold
        assert report(client, cast, user, cid, "abusive").status_code == 201
        cast.clock.advance(minutes=1)
    assert client.get(f"/api/v1/comments/{cid}").status_code == 200
    session.expire_all()
    comment = session.get(Comment, cid)
    assert comment is not None
    assert comment.status == "published"
    assert comment.scores is not None
    assert comment.scores["reports"]["brigade"] is True
    assert comment.scores["reports"]["total_weight"] == 2.5
    item = session.scalars(select(QueueItem).where(QueueItem.comment_id == cid)).one()
    assert item.reason is not None
    assert item.reason.startswith("Likely brigade: 10 reports")
    queue = client.get("/api/v1/moderation/queues/reported", headers=cast.h(cast.mod)).json()
    assert queue["items"][0]["reason"].startswith("Likely brigade")


def test_trusted_readers_still_count_during_a_brigade(
    client: TestClient, cast: Cast, session: Session
) -> None:
    set_coverage(client, cast, "none")
    cast.clock.advance(days=30)  # the cast's readers are now established
    cid = post(client, cast, cast.author, FINE)
    for user in _newcomers(session, cast, 4):
        report(client, cast, user, cid, "abusive")
    report(client, cast, cast.reader, cid, "abusive")
    assert client.get(f"/api/v1/comments/{cid}").status_code == 200  # trusted weight 1.0
    report(client, cast, cast.reader2, cid, "abusive")
    assert client.get(f"/api/v1/comments/{cid}").status_code == 404  # trusted weight 2.0


def test_slow_reports_from_new_accounts_are_not_a_brigade(
    client: TestClient, cast: Cast, session: Session
) -> None:
    set_coverage(client, cast, "none")
    cid = post(client, cast, cast.author, FINE)
    for user in _newcomers(session, cast, 9):
        report(client, cast, user, cid, "abusive")
        cast.clock.advance(hours=2)
    session.expire_all()
    comment = session.get(Comment, cid)
    assert comment is not None
    assert comment.scores is not None
    assert comment.scores["reports"]["brigade"] is False
    # Nine accounts grown a little older over 16 hours: their reports add up and hide it.
    assert comment.status == "held"
