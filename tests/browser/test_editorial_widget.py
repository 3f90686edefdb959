"""Editor tools as a reader sees them, in Chromium: an editor features a comment and pins an
announcement in the dashboard, the widget shows the Featured strip, the banner and the badges;
a poster answers a notice of complaint about their comment from the widget."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from belowline.accounts.models import Role, User
from belowline.comments.models import Comment
from belowline.models import Notice, Site
from belowline.notices import defamation
from belowline.notices import service as notices_service
from belowline.notices.schemas import NoticeIn, UkComplaintIn
from tests.browser.conftest import SITE_ID, Service
from tests.browser.test_embed import DESKTOP, PHONE, Reader, seed_comment, seed_user
from tests.browser.test_moderation_flow import Tab, sign_in, staff

pytestmark = pytest.mark.browser


@pytest.fixture
def tabs(browser: Any) -> Iterator[Any]:
    opened: list[Tab] = []

    def open_tab() -> Tab:
        opened.append(Tab(browser))
        return opened[-1]

    yield open_tab
    for tab in opened:
        tab.close()


def _widget_shot(reader: Reader, artifacts: Path, name: str) -> Path:
    path = artifacts / f"{name}.png"
    reader.page.locator(".belowline").screenshot(path=str(path))
    return path


def test_featured_strip_announcement_and_badges(
    service: Service,
    tabs: Any,
    browser: Any,
    artifacts: Path,
) -> None:
    editor_email = staff(service, "Edith Editor", Role.MODERATOR)
    with service.session() as s:
        site = s.get(Site, SITE_ID)
        site.settings = {**(site.settings or {}), "subscriber_badge": True}
        sue = seed_user(s, "Sue Subscriber")
        writer = seed_user(s, "Dana Desk")  # a journalist answering readers in the thread
        writer.role = Role.MODERATOR
        picked = seed_comment(
            s,
            sue,
            "The bridge will cut my commute by **twenty minutes**. I have waited ten years for "
            "this and the council finally listened to the people who cross the river every day.",
            minutes_ago=50,
        )
        neil = seed_user(s, "Neil Other")
        other = seed_comment(s, neil, "Too expensive.")
        neil.is_subscriber = False  # his subscription lapsed since: no badge
        desk = seed_comment(s, writer, "We will follow the budget closely.", minutes_ago=5)
        s.commit()
        picked_id, other_id, desk_id = picked.id, other.id, desk.id

    # The editor features Sue's comment and pins an announcement, in the dashboard.
    tab: Tab = tabs()
    sign_in(service, tab.page, editor_email)
    tab.page.get_by_role("link", name="Stories").click()
    tab.page.get_by_label("Pinned announcement").fill(
        "Comments close **Friday at noon**. Please keep it civil."
    )
    tab.page.get_by_role("button", name="Save announcement").click()
    tab.page.get_by_role("link", name="View thread").click()
    tab.page.locator(f'[data-feature="{picked_id}"]').click()
    expect(tab.page.locator(f"#comment-{picked_id} .tag-ok")).to_have_text("Featured")

    reader = Reader(browser, service.article("/bridge"), DESKTOP)
    try:
        page = reader.page
        banner = page.locator('.belowline [data-role="announcement"]')
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("From the newsroom")
        expect(banner.locator("strong")).to_have_text("Friday at noon")  # rendered markdown

        strip = page.locator('.belowline [data-role="featured"]')
        expect(strip).to_be_visible()
        expect(strip.get_by_role("heading", name="Featured")).to_be_visible()
        expect(strip.locator("[data-featured-id]")).to_have_count(1)
        card = strip.locator(f'[data-featured-id="{picked_id}"]')
        expect(card).to_contain_text("twenty minutes")
        expect(card.locator('[data-badge="subscriber"]')).to_have_text("Subscriber")
        # The strip sits above the thread, below the composer area.
        above = page.evaluate(
            """() => {
                const strip = document.querySelector('.belowline [data-role="featured"]');
                const list = document.querySelector('.belowline .bl-list');
                return !!(strip.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING);
            }"""
        )
        assert above

        # Badges beside names in the thread: Staff for the desk, Subscriber for Sue, none else.
        expect(reader.comment(desk_id).locator('[data-badge="staff"]')).to_have_text("Staff")
        expect(reader.comment(picked_id).locator('[data-badge="subscriber"]')).to_be_visible()
        expect(reader.comment(other_id).locator("[data-badge]")).to_have_count(0)

        # "See it in the thread" goes to the comment's place below.
        card.get_by_role("link", name="See it in the thread").click()
        expect(page).to_have_url(f"{service.host.origin}/bridge#comment-{picked_id}")
        page.evaluate("window.scrollTo(0, 0)")
        _widget_shot(reader, artifacts, "widget-featured-desktop")
    finally:
        reader.close()

    # Unfeatured in the dashboard while a phone reader has the page open: the strip goes at
    # once, without a reload (a live update).
    phone = Reader(browser, service.article("/bridge"), PHONE)
    try:
        expect(phone.page.locator('.belowline [data-role="announcement"]')).to_be_visible()
        expect(phone.page.locator(".belowline .bl-list article").first).to_be_visible()
        expect(phone.page.locator('.belowline [data-role="featured"]')).to_be_visible()
        tab.page.locator(f'[data-feature="{picked_id}"]').click()
        expect(tab.page.locator(f'[data-feature="{picked_id}"]')).to_have_text("Feature")
        expect(phone.page.locator('.belowline [data-role="featured"]')).to_be_hidden()
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        # Featured again: it comes back, live too.
        tab.page.locator(f'[data-feature="{picked_id}"]').click()
        expect(tab.page.locator(f"#comment-{picked_id} .tag-ok")).to_have_text("Featured")
        expect(phone.page.locator(f'.belowline [data-featured-id="{picked_id}"]')).to_be_visible()
    finally:
        phone.close()


def _complaint_about(service: Service, comment_id: int) -> int:
    """A UK notice of complaint, routed to the poster by a moderator (the statutory route)."""
    now = datetime.now(UTC)
    with service.session() as s:
        mod = s.query(User).filter_by(role=Role.MODERATOR).first()
        notice = notices_service.file_notice(
            s,
            site_id=SITE_ID,
            data=NoticeIn(
                comment_id=comment_id,
                reason="defamation",
                explanation="The comment says I took bribes for the bridge. It is false.",
                name="Cllr Jane Doe",
                email="jane.doe@example.org",
                good_faith=True,
                uk_complaint=UkComplaintIn(
                    statement="Cllr Doe took bribes for the bridge contract",
                    meaning="That I am corrupt and committed a crime",
                    why_defamatory="It accuses me of a criminal offence",
                    inaccurate="I have never taken a bribe; the contract was an open tender",
                    poster_unknown=True,
                ),
            ),
            now=now,
        )
        s.flush()
        defamation.choose_route(s, actor=mod, notice_id=notice.id, route="contact_poster", now=now)
        s.commit()
        return notice.id


def test_the_poster_answers_a_notice_of_complaint_in_the_widget(
    service: Service, browser: Any, artifacts: Path
) -> None:
    staff(service, "Mo Moderator", Role.MODERATOR)
    with service.session() as s:
        poster = seed_user(s, "Pat Poster")
        comment: Comment = seed_comment(s, poster, "Cllr Doe took bribes for the bridge contract.")
        s.commit()
        sub, comment_id = poster.external_id or "pat", comment.id
    notice_id = _complaint_about(service, comment_id)

    token = service.publisher_token(sub, "Pat Poster")
    reader = Reader(browser, service.article("/bribes", sso_token=token), DESKTOP)
    try:
        page = reader.page
        panel = page.locator('.belowline [data-role="complaint"]')
        expect(panel).to_be_visible()
        expect(panel.get_by_role("heading")).to_have_text(
            "A complaint about your comment: please answer"
        )
        expect(panel).to_contain_text("Someone says your comment")  # not named: no consent
        expect(panel).not_to_contain_text("Jane Doe")
        expect(panel).to_contain_text("That I am corrupt")
        expect(panel).to_contain_text("Please answer by")
        _widget_shot(reader, artifacts, "widget-complaint")

        # Objecting needs a full name and a postal address: refused in the form first.
        panel.get_by_label("I object to its removal").check()
        panel.get_by_role("button", name="Send my answer").click()
        expect(panel.get_by_role("alert")).to_have_text(
            "To object, give your full name and postal address."
        )
        panel.get_by_label("Full name", exact=True).fill("Patricia Poster")
        panel.get_by_label("Postal address").fill("1 High Street\nTown TN1 1AA")
        panel.get_by_label("You may give my name and address").check()
        panel.get_by_role("button", name="Send my answer").click()
        expect(panel.get_by_role("status")).to_contain_text("Your objection has been recorded")
    finally:
        reader.close()

    with service.session() as s:
        notice = s.get(Notice, notice_id)
        assert notice is not None
        assert notice.poster_reply == "object" and notice.poster_consents is True
        assert notice.poster_full_name == "Patricia Poster"
        assert notice.poster_address == "1 High Street\nTown TN1 1AA"

    # Answered: the panel does not come back.
    again = Reader(browser, service.article("/bribes", sso_token=token), DESKTOP)
    try:
        expect(again.page.locator(".belowline .bl-list article").first).to_be_visible()
        expect(again.page.locator('.belowline [data-role="complaint"]')).to_have_count(0)
    finally:
        again.close()
