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
from tests.cast import RULE, Cast, post, report
from tests.dashboard.test_pages import BASE, sign_in

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


# --- the schedule editor ------------------------------------------------------------------


def _form(csrf: str | None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "timezone": "Europe/London",
        "default": "part",
        "block": ["0", "1"],
        "b0_days": ["mon", "tue", "wed", "thu", "fri"],
        "b0_start": "08:00",
        "b0_end": "20:00",
        "b0_coverage": "full",
        "b1_days": ["sat", "sun"],
        "b1_start": "00:00",
        "b1_end": "07:00",
        "b1_coverage": "none",
        "ex_date": ["2026-12-25", ""],
        "ex_coverage": ["none", "none"],
    }
    if csrf is not None:
        data["csrf_token"] = csrf
    data.update(extra)
    return data


def test_schedule_editor_is_for_admins(dash: Callable[[], TestClient], cast: Cast) -> None:
    mod = dash()
    csrf = sign_in(mod, cast.mod)
    assert mod.get("/moderate/schedule").status_code == 403
    assert mod.post("/moderate/schedule", data=_form(csrf)).status_code == 403
    admin = dash()
    sign_in(admin, cast.admin)
    page = admin.get("/moderate/schedule")
    assert page.status_code == 200
    assert 'name="timezone"' in page.text
    assert 'value="18:00"' in page.text  # the default block, shown for editing
    assert admin.get("/moderate/overview").text.count("Edit staffed hours") == 1


def test_saving_the_schedule_goes_through_the_service_with_an_audit_entry(
    dash: Callable[[], TestClient], cast: Cast, session: Session
) -> None:
    admin = dash()
    csrf = sign_in(admin, cast.admin)
    r = admin.post("/moderate/schedule", data=_form(csrf))
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/moderate/schedule?saved=1"
    assert _stored_schedule(session) == {
        "timezone": "Europe/London",
        "default": "part",
        "weekly": [
            {
                "days": ["mon", "tue", "wed", "thu", "fri"],
                "start": "08:00",
                "end": "20:00",
                "coverage": "full",
            },
            {"days": ["sat", "sun"], "start": "00:00", "end": "07:00", "coverage": "none"},
        ],
        "exceptions": [{"date": "2026-12-25", "coverage": "none"}],
    }
    [entry] = _schedule_audit(session)
    assert entry.actor_id == cast.admin.id
    page = admin.get("/moderate/schedule?saved=1").text
    assert "Schedule saved" in page
    assert "Full-time moderation until 20:00" in page  # the banner follows at once


@pytest.mark.parametrize(
    ("change", "field_text"),
    [
        ({"b0_start": "25:00"}, "Times are HH:MM"),
        ({"b1_days": []}, "days is a non-empty list"),
        ({"b1_end": "00:00"}, "end must differ from its start"),
        ({"timezone": "Mars/Olympus"}, "IANA time zone"),
        ({"ex_date": ["2026-12-25", "2026-12-25"]}, "Each date may appear once"),
        ({"ex_date": ["Christmas", ""]}, "Dates are YYYY-MM-DD"),
        ({"b1_coverage": "some"}, "Coverage must be full, part or none"),
    ],
)
def test_bad_schedule_input_is_shown_inline_and_nothing_is_written(
    dash: Callable[[], TestClient],
    cast: Cast,
    session: Session,
    change: dict[str, Any],
    field_text: str,
) -> None:
    admin = dash()
    csrf = sign_in(admin, cast.admin)
    r = admin.post("/moderate/schedule", data=_form(csrf, **change))
    assert r.status_code == 422
    assert "Nothing was saved" in r.text
    assert field_text in r.text
    assert 'class="row-error"' in r.text or 'class="field-error"' in r.text
    assert 'value="20:00"' in r.text  # the admin's draft is kept for correcting
    assert _stored_schedule(session) is None
    assert _schedule_audit(session) == []


def test_the_inline_error_sits_on_the_row_at_fault(
    dash: Callable[[], TestClient], cast: Cast
) -> None:
    admin = dash()
    csrf = sign_in(admin, cast.admin)
    html = admin.post("/moderate/schedule", data=_form(csrf, b1_start="7pm")).text
    rows = re.findall(
        r'<div class="block-row[^"]*"(.*?)</div>\s*(?=<div class="block-row|</div>)', html, re.S
    )
    assert len(rows) >= 2
    assert "row-error" not in rows[0]
    assert "Times are HH:MM" in rows[1]


@pytest.mark.parametrize("token", ["missing", "wrong"])
def test_saving_the_schedule_needs_the_csrf_token(
    dash: Callable[[], TestClient], cast: Cast, session: Session, token: str
) -> None:
    admin = dash()
    sign_in(admin, cast.admin)
    data = _form(None if token == "missing" else "x" * 43)
    r = admin.post("/moderate/schedule", data=data)
    assert r.status_code == 403
    assert _stored_schedule(session) is None
    assert _schedule_audit(session) == []


def test_preview_shows_the_week_without_saving(
    dash: Callable[[], TestClient], cast: Cast, session: Session
) -> None:
    admin = dash()
    csrf = sign_in(admin, cast.admin)
    # Monday 30 November 2026, 10:00: make today a dated exception with nobody on duty.
    r = admin.post(
        "/moderate/schedule",
        data=_form(
            csrf, intent="preview", ex_date=["2026-11-30", ""], ex_coverage=["none", "none"]
        ),
    )
    assert r.status_code == 200
    assert "preview, not saved" in r.text
    today = re.search(r'<tr class="is-today">(.*?)</tr>', r.text, re.S)
    assert today is not None
    assert today.group(1).count('class="cov-none') == 24
    assert 'class="cov-none is-now"' in today.group(1)
    assert _stored_schedule(session) is None
    saved = admin.get("/moderate/schedule").text  # the stored (default) week again
    today = re.search(r'<tr class="is-today">(.*?)</tr>', saved, re.S)
    assert today is not None
    assert 'class="cov-full is-now"' in today.group(1)
    assert today.group(1).count('class="cov-full') == 9
