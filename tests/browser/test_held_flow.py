"""Outside staffed hours: a toxic comment is held for its author only until a moderator approves it.

Real Chromium, real servers. The admin makes today a dated exception with nobody on duty in the
dashboard's schedule editor; a subscriber's abusive comment is then held ("Awaiting review" for
the author, nothing for other readers); a moderator approves it from the Held tab and it arrives
live on another reader's page. A brigade of brand-new accounts reporting a comment does not hide
it. The Overview and the schedule editor are screenshotted at 1280 px.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from belowline.accounts.models import Role, User
from belowline.accounts.tokens import issue_access_token
from belowline.comments.models import Comment
from belowline.reports.models import Report
from tests.browser.conftest import SECRET, SITE_ID, Service
from tests.browser.test_embed import Reader, seed_comment, seed_user
from tests.browser.test_moderation_flow import LIVE, Tab, api, sign_in, staff

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
TOXIC = "You stupid cunt, nobody wants you here"


def _today_in_london() -> str:
    return datetime.now(UTC).astimezone(ZoneInfo("Europe/London")).date().isoformat()


def _seed_volume(service: Service) -> None:
    """Four weeks of comments and some reports, shaped like a news site's day, for the chart."""
    rng = random.Random(4)
    now = datetime.now(UTC)
    with service.session() as s:
        writers = [seed_user(s, f"Writer{i} Person") for i in range(8)]
        subjects = ("the bridge", "the budget", "the traffic plan", "the ferry", "the tolls")
        made: list[Comment] = []
        for n in range(260):
            hour = rng.choices(
                range(24),
                weights=[
                    1,
                    1,
                    1,
                    1,
                    1,
                    2,
                    4,
                    8,
                    10,
                    9,
                    8,
                    8,
                    9,
                    8,
                    7,
                    7,
                    8,
                    9,
                    11,
                    12,
                    10,
                    7,
                    4,
                    2,
                ],
            )[0]
            days_ago = rng.randrange(1, 28)
            at = (now - timedelta(days=days_ago)).replace(hour=hour, minute=rng.randrange(60))
            minutes_ago = (now - at).total_seconds() / 60
            if minutes_ago <= 60:
                continue
            adjective = rng.choice(("closer", "fresh", "second", "public"))
            body = f"Point {n}: I think {rng.choice(subjects)} needs a {adjective} look."
            made.append(seed_comment(s, writers[n % len(writers)], body, minutes_ago=minutes_ago))
        for n, comment in enumerate(made[::9]):
            s.add(
                Report(
                    site_id=SITE_ID,
                    comment_id=comment.id,
                    reporter_id=writers[(n + 1) % len(writers)].id
                    if comment.author_id != writers[(n + 1) % len(writers)].id
                    else writers[(n + 2) % len(writers)].id,
                    reason="abusive",
                    created_at=comment.created_at + timedelta(minutes=20),
                )
            )
        s.commit()


def test_held_outside_staffed_hours_then_approved_live_and_brigades_do_not_hide(
    service: Service, browser: Any, artifacts: Path
) -> None:
    _seed_volume(service)
    admin_email = staff(service, "Ade Admin", Role.ADMIN)
    mod_email = staff(service, "Maya Moderator", Role.MODERATOR)
    tabs: list[Tab] = []

    def tab() -> Tab:
        t = Tab(browser, DESKTOP)
        tabs.append(t)
        return t

    try:
        # The admin makes today a dated exception with nobody on duty, in the schedule editor.
        admin = tab().page
        sign_in(service, admin, admin_email)
        admin.get_by_role("link", name="Overview").click()
        admin.get_by_role("link", name="Edit staffed hours").click()
        admin.get_by_role("button", name="+ Add a date").click()
        row = admin.locator("#exception-rows .ex-row").last
        row.get_by_label("Date", exact=True).fill(_today_in_london())
        row.get_by_label("Coverage all day").select_option("none")
        admin.get_by_role("button", name="Save the schedule").click()
        expect(admin.locator(".flash-ok")).to_contain_text("Schedule saved")
        expect(admin.locator("[data-coverage]")).to_contain_text("No moderators on duty")
        expect(admin.locator("tr.is-today td.cov-none")).to_have_count(24)
        admin.screenshot(path=str(artifacts / "schedule.png"), full_page=True)
        schedule = api(service, f"/api/v1/sites/{SITE_ID}/moderation/coverage", _admin(service))
        assert schedule["coverage"] == "none"

        # A subscriber posts an obviously abusive comment: held, and only its author sees it.
        author = Reader(
            browser, service.article("/a", sso_token=service.publisher_token("tox", "Tom Oxley"))
        )
        other = Reader(
            browser, service.article("/b", sso_token=service.publisher_token("ona", "Ona Other"))
        )
        a = author.page
        a.get_by_label("Join the discussion").fill(TOXIC)
        a.get_by_label("I accept the community rules").check()
        a.get_by_role("button", name="Post comment").click()
        held = a.locator("article.bl-comment", has_text="nobody wants you here")
        expect(held).to_be_visible()
        expect(held).to_contain_text("Awaiting review")
        comment_id = held.get_attribute("data-comment-id")
        assert comment_id
        expect(other.comment(comment_id)).to_have_count(0)
        expect(other.page.get_by_text("nobody wants you here")).to_have_count(0)
        other.page.reload()
        expect(other.page.locator(".belowline .bl-count")).not_to_be_empty()
        expect(other.page.get_by_text("nobody wants you here")).to_have_count(0)
        with service.session() as s:
            assert s.get(Comment, int(comment_id)).status == "held"  # type: ignore[union-attr]

        # A moderator approves it from the Held tab; it reaches the other reader live.
        desk = tab().page
        sign_in(service, desk, mod_email)
        expect(desk.locator("[data-coverage]")).to_contain_text("No moderators on duty")
        desk.get_by_role("navigation", name="Queues").get_by_role("link", name="Held").click()
        item = desk.locator(f"#item-{comment_id}")
        expect(item).to_be_visible(timeout=LIVE)
        item.get_by_label("Rule").select_option("respect")  # approved: it does not break "Be civil"
        item.get_by_role("button", name="Approve").click()
        expect(item).to_contain_text("Approved", timeout=LIVE)
        expect(other.comment(comment_id)).to_contain_text("nobody wants you here", timeout=LIVE)
        expect(author.comment(comment_id)).not_to_contain_text("Awaiting review", timeout=LIVE)

        # A brigade: ten brand-new accounts report one fair comment; it stays up.
        with service.session() as s:
            fair = seed_comment(
                s,
                seed_user(s, "Fay Fairweather"),
                "The council should publish the bridge costs before the vote.",
                minutes_ago=5,
            )
            newcomers = [seed_user(s, f"Newbie{i} Account") for i in range(10)]
            s.commit()
            fair_id = fair.id
            for user in newcomers:
                s.expunge(user)
        for user in newcomers:
            api(service, f"/api/v1/comments/{fair_id}/reports", user, {"reason": "abusive"})
        public = api(service, f"/api/v1/comments/{fair_id}", _admin(service))
        assert public["status"] == "published"
        with service.session() as s:
            scores = s.get(Comment, fair_id).scores  # type: ignore[union-attr]
            assert scores["reports"]["brigade"] is True
        other.page.reload()
        expect(other.comment(fair_id)).to_contain_text("publish the bridge costs")
        expect(other.comment(fair_id).locator(".bl-tombstone")).to_have_count(0)

        # The Overview, with four weeks of volume behind it.
        admin.goto(f"{service.base}/moderate/overview")
        expect(admin.locator("[data-overview=coverage]")).to_contain_text("No moderators")
        expect(admin.locator("tr[data-queue=reported] td").first).to_have_text("1")
        expect(admin.locator("svg.chart rect.bar-comments").first).to_be_visible()
        path = artifacts / "overview.png"
        admin.screenshot(path=str(path), full_page=True)
        # The same figures as a standalone SVG chart (admins), drawn without a plotting library.
        token = issue_access_token(
            secret=SECRET,
            user_id=_admin(service).id,
            site_id=SITE_ID,
            now=datetime.now(UTC),
            ttl=600,
        )
        chart = admin.request.get(
            f"{service.base}/api/v1/sites/{SITE_ID}/moderation/charts/volume.svg",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert chart.headers["content-type"].startswith("image/svg+xml")
        admin.set_content(f"<!doctype html><body style='margin:0'>{chart.text()}</body>")
        expect(admin.locator("svg polyline")).to_have_count(2)
        expect(admin.get_by_role("img", name="Volume by hour of the week")).to_be_visible()
        admin.locator("svg").screenshot(path=str(artifacts / "volume-chart.png"))
        author.close()
        other.close()
    finally:
        for t in tabs:
            t.close()


def _admin(service: Service) -> User:
    with service.session() as s:
        user: User | None = s.query(User).filter_by(site_id=SITE_ID, role="admin").first()
        assert user is not None
        s.expunge(user)
        return user
