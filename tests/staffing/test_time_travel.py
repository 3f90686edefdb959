"""Time travel on the real clock: coverage and the post policy across UK clock changes and shifts.

The app here runs on ``system_clock`` (as in production), not a ``FrozenClock``; time-machine
moves the real clock, so the whole path — the ``Now`` dependency, tokens, the schedule and the
policy — sees the travelled instant.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from belowline.accounts.models import Role
from belowline.app import create_app
from belowline.clock import system_clock
from belowline.comments.models import Comment
from belowline.queues.models import QueueItem
from belowline.settings import Settings
from belowline.staffing.schedule import Coverage, coverage_now
from belowline.stories.models import Site
from tests.factories import TEST_SECRET, auth, make_user, make_world

COMMENTS_URL = "/api/v1/sites/gazette/stories/story-1/comments"
TOXIC = "You stupid cunt, nobody wants you here"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# (instant, coverage under the default schedule: full Mon-Fri 09:00-18:00 London, part else)
MOMENTS = [
    # 2026: clocks go forward at 01:00 UTC on Sunday 29 March, back at 01:00 UTC on 25 October.
    pytest.param(utc(2026, 3, 27, 17, 59), Coverage.FULL, id="2026-03-27 Fri 17:59 GMT"),
    pytest.param(utc(2026, 3, 27, 18, 0), Coverage.PART, id="2026-03-27 Fri 18:00 GMT"),
    pytest.param(utc(2026, 3, 29, 0, 59), Coverage.PART, id="2026-03-29 Sun 00:59 GMT"),
    pytest.param(utc(2026, 3, 29, 1, 0), Coverage.PART, id="2026-03-29 Sun 02:00 BST"),
    pytest.param(utc(2026, 3, 30, 7, 59), Coverage.PART, id="2026-03-30 Mon 08:59 BST"),
    pytest.param(utc(2026, 3, 30, 8, 0), Coverage.FULL, id="2026-03-30 Mon 09:00 BST"),
    pytest.param(utc(2026, 3, 30, 16, 59), Coverage.FULL, id="2026-03-30 Mon 17:59 BST"),
    pytest.param(utc(2026, 3, 30, 17, 0), Coverage.PART, id="2026-03-30 Mon 18:00 BST"),
    pytest.param(utc(2026, 10, 23, 16, 59), Coverage.FULL, id="2026-10-23 Fri 17:59 BST"),
    pytest.param(utc(2026, 10, 23, 17, 0), Coverage.PART, id="2026-10-23 Fri 18:00 BST"),
    pytest.param(utc(2026, 10, 25, 0, 30), Coverage.PART, id="2026-10-25 Sun 01:30 BST"),
    pytest.param(utc(2026, 10, 25, 1, 30), Coverage.PART, id="2026-10-25 Sun 01:30 GMT"),
    pytest.param(utc(2026, 10, 26, 8, 59), Coverage.PART, id="2026-10-26 Mon 08:59 GMT"),
    pytest.param(utc(2026, 10, 26, 9, 0), Coverage.FULL, id="2026-10-26 Mon 09:00 GMT"),
    # 2027: forward on Sunday 28 March, back on Sunday 31 October.
    pytest.param(utc(2027, 3, 26, 17, 59), Coverage.FULL, id="2027-03-26 Fri 17:59 GMT"),
    pytest.param(utc(2027, 3, 29, 7, 59), Coverage.PART, id="2027-03-29 Mon 08:59 BST"),
    pytest.param(utc(2027, 3, 29, 8, 0), Coverage.FULL, id="2027-03-29 Mon 09:00 BST"),
    pytest.param(utc(2027, 10, 29, 16, 59), Coverage.FULL, id="2027-10-29 Fri 17:59 BST"),
    pytest.param(utc(2027, 10, 29, 17, 0), Coverage.PART, id="2027-10-29 Fri 18:00 BST"),
    pytest.param(utc(2027, 11, 1, 8, 59), Coverage.PART, id="2027-11-01 Mon 08:59 GMT"),
    pytest.param(utc(2027, 11, 1, 9, 0), Coverage.FULL, id="2027-11-01 Mon 09:00 GMT"),
    # Ordinary weeks: weekday daytime, weekday evening, weekend daytime.
    pytest.param(utc(2026, 12, 2, 12, 0), Coverage.FULL, id="2026-12-02 Wed noon"),
    pytest.param(utc(2026, 12, 2, 19, 0), Coverage.PART, id="2026-12-02 Wed 19:00"),
    pytest.param(utc(2026, 12, 5, 12, 0), Coverage.PART, id="2026-12-05 Sat noon"),
    pytest.param(utc(2026, 12, 6, 23, 59), Coverage.PART, id="2026-12-06 Sun 23:59"),
    pytest.param(utc(2026, 12, 7, 9, 0), Coverage.FULL, id="2026-12-07 Mon 09:00"),
]


@pytest.fixture
def real_app(settings: Settings, engine: Engine) -> FastAPI:
    """The app on the real clock, as it runs in production."""
    return create_app(settings, clock=system_clock, engine=engine)


@pytest.fixture
def real_client(real_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(real_app) as client:
        yield client


@pytest.mark.parametrize(("instant", "level"), MOMENTS)
def test_coverage_now_follows_the_real_clock(
    session: Session, real_client: TestClient, instant: datetime, level: Coverage
) -> None:
    with time_machine.travel(instant, tick=False):
        now = system_clock()
        assert now == instant
        world = make_world(session, now)
        mod = make_user(session, world.site, now, role=Role.MODERATOR)
        assert coverage_now(session, site_id="gazette", now=system_clock())[0] == level
        r = real_client.get(
            "/api/v1/sites/gazette/moderation/coverage", headers=auth(mod, now, TEST_SECRET)
        )
        assert r.status_code == 200, r.text
        assert r.json()["coverage"] == level.value


def _post_toxic(session: Session, client: TestClient) -> Comment:
    now = system_clock()
    world = make_world(session, now)
    author = make_user(session, world.site, now, name="Arthur Author")
    r = client.post(COMMENTS_URL, json={"body": TOXIC}, headers=auth(author, now, TEST_SECRET))
    assert r.status_code == 201, r.text
    session.expire_all()
    comment = session.get(Comment, r.json()["id"])
    assert comment is not None
    return comment


def _queues(session: Session, comment: Comment) -> set[str]:
    rows = session.scalars(select(QueueItem).where(QueueItem.comment_id == comment.id)).all()
    return {row.queue for row in rows}


@pytest.mark.parametrize(("instant", "level"), MOMENTS)
def test_the_same_toxic_comment_is_held_off_hours_and_flagged_in_hours(
    session: Session, real_client: TestClient, instant: datetime, level: Coverage
) -> None:
    with time_machine.travel(instant, tick=False):
        comment = _post_toxic(session, real_client)
    assert comment.scores is not None
    assert comment.scores["coverage"] == level.value
    assert comment.scores["scored_at"] == instant.isoformat()
    assert comment.created_at.replace(tzinfo=UTC) == instant
    if level == Coverage.FULL:
        assert (comment.status, comment.scores["outcome"]) == ("published", "flag")
        assert _queues(session, comment) == {"flagged"}
    else:
        assert (comment.status, comment.scores["outcome"]) == ("held", "hold")
        assert _queues(session, comment) == {"held"}


def test_a_bank_holiday_with_nobody_on_duty_then_the_weekend(
    session: Session, real_client: TestClient
) -> None:
    """A dated exception wins over the weekday block, for that local day only."""
    christmas = utc(2026, 12, 25, 11, 0)  # a Friday, normally full-time
    with time_machine.travel(christmas, tick=False):
        world = make_world(session, system_clock())
        site = session.get(Site, world.site.id)
        assert site is not None
        admin = make_user(session, site, system_clock(), role=Role.ADMIN)
        r = real_client.put(
            "/api/v1/sites/gazette/moderation/schedule",
            json={
                "timezone": "Europe/London",
                "default": "part",
                "weekly": [
                    {
                        "days": ["mon", "tue", "wed", "thu", "fri"],
                        "start": "09:00",
                        "end": "18:00",
                        "coverage": "full",
                    }
                ],
                "exceptions": [{"date": "2026-12-25", "coverage": "none"}],
            },
            headers=auth(admin, system_clock(), TEST_SECRET),
        )
        assert r.status_code == 200, r.text
        session.expire_all()  # the schedule was saved through the app
        assert coverage_now(session, site_id="gazette", now=system_clock())[0] == Coverage.NONE
        author = make_user(session, site, system_clock(), name="Holly Day")
        r = real_client.post(
            COMMENTS_URL, json={"body": TOXIC}, headers=auth(author, system_clock(), TEST_SECRET)
        )
        assert r.json()["status"] == "held"
        notes = real_client.get(
            "/api/v1/me/notifications", headers=auth(author, system_clock(), TEST_SECRET)
        ).json()["items"]
        assert "no moderator is on duty" in notes[0]["body"]
    with time_machine.travel(utc(2026, 12, 24, 11, 0), tick=False):  # the day before: full
        assert coverage_now(session, site_id="gazette", now=system_clock())[0] == Coverage.FULL
    with time_machine.travel(utc(2026, 12, 26, 0, 0), tick=False):  # Saturday: part again
        assert coverage_now(session, site_id="gazette", now=system_clock())[0] == Coverage.PART
