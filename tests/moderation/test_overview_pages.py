"""The Overview and the schedule editor over real HTTP: who may see them, CSRF, inline errors."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.models import AuditEntry
from belowline.stories.models import Site
from tests.moderation.cast import RULE, Cast, post, report
from tests.moderation.test_pages import BASE, sign_in

SCHEDULE_KEY = "moderation_schedule"


@pytest.fixture
def dash(client_factory: Callable[..., TestClient]) -> Callable[[], TestClient]:
    """A browser-like client of its own (cookies kept, redirects not followed)."""
    return lambda: client_factory(base_url=BASE, follow_redirects=False)


def _stored_schedule(session: Session) -> Any:
    session.expire_all()
    site = session.get(Site, "gazette")
    assert site is not None
    return (site.settings or {}).get(SCHEDULE_KEY)


def _schedule_audit(session: Session) -> list[AuditEntry]:
    session.expire_all()
    return list(
        session.scalars(select(AuditEntry).where(AuditEntry.action == "schedule.update")).all()
    )


# --- the Overview -----------------------------------------------------------------------


def test_overview_shows_coverage_queues_breaches_and_the_model(
    dash: Callable[[], TestClient], client: TestClient, cast: Cast
) -> None:
    comment_id = post(client, cast, cast.author, "Everyone who disagrees is an idiot.")
    assert report(client, cast, cast.reader, comment_id).status_code == 201
    cast.clock.advance(hours=2)  # Monday 12:00 in London: full cover, 1 h target, so breached
    mod = dash()
    sign_in(mod, cast.mod)
    r = mod.get("/moderate/overview")
    assert r.status_code == 200, r.text
    html = r.text
    assert "Full-time moderation until 18:00" in html  # the banner
    assert 'aria-current="page">Overview' in html
    reported = re.search(r'<tr data-queue="reported">(.*?)</tr>', html, re.S)
    assert reported is not None
    assert re.findall(r'class="r num[^"]*">(?:<span[^>]*>▲ </span>)?(\d+)<', reported.group(1)) == [
        "1",
        "1",
    ]
    assert "Full-time <b>1 h</b>" in html
    assert "Part-time <b>4 h</b>" in html
    assert "Built-in model" in html
    assert '<svg class="chart"' in html
    assert "bar bar-comments" in html
    assert "Show the figures as a table" in html
    assert "Edit staffed hours" not in html  # the schedule editor is for admins


def test_time_to_action_counts_moderators_decisions(
    dash: Callable[[], TestClient], client: TestClient, cast: Cast
) -> None:
    waits = []
    for minutes in (10, 30, 50):
        comment_id = post(client, cast, cast.author, f"You are all idiots, {minutes} times over.")
        assert report(client, cast, cast.reader, comment_id).status_code == 201
        cast.clock.advance(minutes=minutes)
        r = client.post(
            f"/api/v1/moderation/comments/{comment_id}/decisions",
            json={"action": "remove", "rule_id": RULE},
            headers=cast.h(cast.mod),
        )
        assert r.status_code in (200, 201), r.text
        waits.append(minutes)
    mod = dash()
    sign_in(mod, cast.mod)
    html = mod.get("/moderate/overview").text
    row = re.search(r'<tr data-action="reported">(.*?)</tr>', html, re.S)
    assert row is not None
    cells = re.findall(r'<td class="r num">([^<]+)</td>', row.group(1))
    assert cells == ["3", "30m", "50m"]
    cast.clock.advance(days=8)
    html = mod.get("/moderate/overview").text
    row = re.search(r'<tr data-action="reported">(.*?)</tr>', html, re.S)
    assert row is not None
    assert re.findall(r'<td class="r num">([^<]+)</td>', row.group(1)) == ["0", "—", "—"]


def test_volume_csv_has_every_hour_of_the_week(
    dash: Callable[[], TestClient], client: TestClient, cast: Cast
) -> None:
    post(client, cast, cast.author, "A thoughtful point about the bridge budget.")
    mod = dash()
    sign_in(mod, cast.mod)
    r = mod.get("/moderate/overview/volume.csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 7 * 24
    monday_10 = next(x for x in rows if x["day"] == "mon" and x["hour"] == "10:00")
    assert float(monday_10["comments_per_hour"]) == pytest.approx(0.25)  # 1 over 4 weeks
    assert monday_10["coverage"] == "full"
    assert next(x for x in rows if x["day"] == "sun" and x["hour"] == "03:00")["coverage"] == "part"


def test_commenters_get_403_and_strangers_sign_in(
    dash: Callable[[], TestClient], cast: Cast, session: Session
) -> None:
    for url in ("/moderate/overview", "/moderate/overview/volume.csv", "/moderate/schedule"):
        r = dash().get(url)
        assert r.status_code == 303
        assert r.headers["location"].startswith("/moderate/login")
    client = dash()
    sign_in(client, cast.mod)
    user = session.get(User, cast.mod.id)
    assert user is not None
    user.role = "commenter"
    session.commit()
    for url in ("/moderate/overview", "/moderate/overview/volume.csv"):
        assert client.get(url).status_code == 403
