"""The author's notices in the widget, an appeal, and a different moderator overturning it.

Real Chromium, real servers: the author's article page on the publisher's origin, the admin's
dashboard on the service's. The removal is set up through the API; everything after is clicked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from belowline.accounts.models import Role, User
from belowline.rules import service as rules_service
from tests.browser import test_moderation_flow as flow
from tests.browser.conftest import SITE_ID, Service
from tests.browser.test_moderation_flow import LIVE, api, shot, sign_in, staff

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
tabs = flow.tabs  # the fixture: browser contexts that fail the test on script errors
TEXT = "Does anyone know when the number 12 bus timetable changes next month?"


def _user(service: Service, **where: Any) -> User:
    with service.session() as s:
        user: User = s.query(User).filter_by(site_id=SITE_ID, **where).one()
        s.expunge(user)
        return user


def _notices(page: Page) -> Any:
    return page.locator('.belowline [data-role="notices"]')


def test_statement_appeal_and_overturn(service: Service, tabs: Any, artifacts: Path) -> None:
    with service.session() as s:
        rules = rules_service.current_rules(s, site_id=SITE_ID)
        assert rules is not None
        rule = rules.rule("on-topic")
        assert rule is not None
        rule_title = rule.title
    staff(service, "Maya Moderator", Role.MODERATOR)
    admin_email = staff(service, "Ade Admin", Role.ADMIN)
    author_token = service.publisher_token("ana", "Ana Author")
    url = service.article("/bridge", sso_token=author_token)

    # The author posts; a reader keeps the article open.
    author = tabs().page
    author.goto(url)
    author.get_by_label("Join the discussion").fill(TEXT)
    author.get_by_label("I accept the community rules").check()
    author.get_by_role("button", name="Post comment").click()
    mine = author.locator(".belowline article.bl-own")
    expect(mine).to_contain_text(TEXT)
    comment_id = int(mine.get_attribute("data-comment-id") or 0)
    expect(_notices(author)).to_be_visible()
    expect(_notices(author).locator(".bl-badge")).to_be_hidden()

    reader = tabs().page
    reader.goto(
        service.article("/bridge-r", sso_token=service.publisher_token("rob", "Rob Reader"))
    )
    expect(reader.locator(f'.belowline article[data-comment-id="{comment_id}"]')).to_contain_text(
        TEXT
    )
    expect(_notices(reader).locator(".bl-badge")).to_be_hidden()

    # A moderator removes it as off-topic (through the API).
    maya = _user(service, display_name="Maya Moderator")
    api(
        service,
        f"/api/v1/moderation/comments/{comment_id}/decisions",
        maya,
        {"action": "remove", "rule_id": "on-topic", "message": "Please keep to the story."},
    )

    # The author's widget shows the tombstone and, without a reload, a badge.
    expect(mine.locator(".bl-tombstone")).to_be_visible(timeout=LIVE)
    badge = _notices(author).locator(".bl-badge")
    expect(badge).to_have_text("1", timeout=LIVE)
    expect(_notices(author)).to_have_accessible_name(re.compile(r"Notices.*1 unread"))

    # The panel: what, which rule (linked to its anchor), a person, when, how to contest.
    _notices(author).click()
    panel = author.get_by_role("dialog", name="Your notices")
    expect(panel).to_be_visible()
    notice = panel.locator(".bl-notice-item").first
    expect(notice).to_contain_text("A moderator removed your comment")
    expect(notice).to_contain_text("Does anyone know when the number 12 bus")
    expect(notice).to_contain_text("A moderator (a person)")
    expect(notice).to_contain_text("Please keep to the story.")
    expect(notice).to_contain_text("within 14 days")
    rule_link = notice.get_by_role("link", name=re.compile(re.escape(rule_title)))
    expect(rule_link).to_have_attribute(
        "href", re.compile(r"/sites/gazette/rules(\?lang=[a-z]+)?#rule-on-topic$")
    )
    expect(notice.get_by_role("link", name="See it in the thread")).to_be_visible()
    expect(badge).to_be_hidden()  # opened: read
    shot(author, artifacts, "inbox-statement-desktop")

    # Ask for a review.
    notice.get_by_role("button", name="Ask for a review").click()
    statement = notice.get_by_label("Why should this decision be reviewed?")
    expect(statement).to_be_focused()
    statement.fill("The timetable change affects the bridge works: it is on topic.")
    notice.get_by_role("button", name="Send request").click()
    expect(notice.locator('[data-role="appeal-state"]')).to_contain_text("Review requested")
    author.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    expect(_notices(author)).to_be_focused()

    # The admin (not the moderator who decided) overturns it in the Appeals tab.
    desk = tabs().page
    sign_in(service, desk, admin_email)
    expect(desk.locator('[data-count="appeals"]')).to_have_text("1")
    desk.get_by_role("link", name=re.compile(r"^Appeals")).click()
    appeal = desk.locator(".appeal").first
    expect(appeal).to_contain_text("Ana Author appeals a removal")
    expect(appeal).to_contain_text("Decided by Maya Moderator")
    expect(appeal).to_contain_text("it is on topic")
    expect(appeal).to_contain_text(TEXT)
    shot(desk, artifacts, "dashboard-appeals")
    appeal.get_by_role("radio", name=re.compile(r"Overturn")).check()
    appeal.get_by_label("Note to the author").fill(
        "The bus changes are part of the bridge works, so this is on topic."
    )
    appeal.get_by_role("button", name="Resolve appeal").click()
    expect(desk.get_by_role("status").filter(has_text="overturned")).to_be_visible()
    expect(desk.locator('[data-count="appeals"]')).to_have_text("0")

    # The comment comes back, live, on both article pages.
    for page in (reader, author):
        node = page.locator(f'.belowline article[data-comment-id="{comment_id}"]')
        expect(node.locator(".bl-body")).to_contain_text(TEXT, timeout=LIVE)
        expect(node.locator(".bl-tombstone")).to_have_count(0)

    # The author's inbox has the outcome.
    expect(badge).to_have_text("2", timeout=LIVE)  # restored, and the appeal's outcome
    _notices(author).click()
    panel = author.get_by_role("dialog", name="Your notices")
    first = panel.locator(".bl-notice-item").first
    expect(first).to_contain_text("Your appeal was successful")
    expect(first).to_contain_text("so this is on topic")
    removal = panel.locator(".bl-notice-item").filter(has_text="A moderator removed your comment")
    expect(removal.locator('[data-role="appeal-state"]')).to_contain_text("decision was reversed")
    expect(removal.get_by_role("button", name="Ask for a review")).to_have_count(0)
    shot(author, artifacts, "inbox-outcome-desktop")

    # The same panel on a phone.
    phone = tabs(PHONE).page
    phone.goto(url)
    expect(_notices(phone)).to_be_visible()
    _notices(phone).click()
    phone_panel = phone.get_by_role("dialog", name="Your notices")
    expect(phone_panel.locator(".bl-notice-item").first).to_contain_text("Your appeal")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    shot(phone, artifacts, "inbox-outcome-390")


def test_warning_must_be_acknowledged_in_the_composer(service: Service, tabs: Any) -> None:
    staff(service, "Maya Moderator", Role.MODERATOR)
    url = service.article("/bridge", sso_token=service.publisher_token("wes", "Wes Writer"))
    page = tabs().page
    page.goto(url)
    expect(page.get_by_label("Join the discussion")).to_be_visible()
    wes = _user(service, external_id="wes")
    maya = _user(service, display_name="Maya Moderator")
    api(
        service,
        f"/api/v1/moderation/users/{wes.id}/sanctions",
        maya,
        {"kind": "warn", "rule_id": "respect", "message": "Mind your tone with other readers."},
    )
    page.get_by_label("Join the discussion").fill("A calm point about the bridge budget.")
    page.get_by_label("I accept the community rules").check()
    page.get_by_role("button", name="Post comment").click()
    warning = page.locator('.belowline [data-role="warning"]')
    expect(warning).to_contain_text("Mind your tone with other readers.")
    expect(warning.get_by_role("button", name="I understand")).to_be_focused()
    warning.get_by_role("button", name="I understand").click()
    expect(warning).to_have_count(0)
    expect(page.get_by_text("Thank you. You can post again.")).to_be_visible()
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".belowline article.bl-own")).to_contain_text("A calm point")
