"""A reader's report reaches the moderators' dashboard live; decisions reach the thread live.

Real Chromium, real servers: the article page on the publisher's origin, the dashboard on the
service's. Nothing is reloaded between a report and the moderator seeing it.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from belowline.accounts import service as accounts_service
from belowline.accounts.models import Role, User
from belowline.accounts.tokens import issue_access_token
from tests.browser.conftest import SECRET, SITE_ID, Service
from tests.browser.test_embed import seed_comment, seed_user

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "moderator-password-1"
LIVE = 10_000  # ms: a live update must arrive well within this


class Tab:
    """One browser context, failing the test on any script error."""

    def __init__(self, browser: Any, viewport: dict[str, int] = DESKTOP) -> None:
        self.context: BrowserContext = browser.new_context(viewport=viewport)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def close(self) -> None:
        assert not self.errors, self.errors
        self.context.close()


@pytest.fixture
def tabs(browser: Any) -> Iterator[Any]:
    opened: list[Tab] = []

    def open_tab(viewport: dict[str, int] = DESKTOP) -> Tab:
        tab = Tab(browser, viewport)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()


def staff(service: Service, name: str, role: Role) -> str:
    email = f"{name.split()[0].lower()}@desk.example"
    with service.session() as s:
        accounts_service.create_user(
            s,
            site_id=SITE_ID,
            email=email,
            display_name=name,
            password=PASSWORD,
            role=role,
            now=datetime.now(UTC),
        )
        s.commit()
    return email


def sign_in(service: Service, page: Page, email: str) -> None:
    page.goto(f"{service.base}/moderate")
    expect(page).to_have_url(re.compile(r"/moderate/login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Queues")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-live", "on", timeout=LIVE)


def api(service: Service, path: str, user: User, body: dict[str, Any] | None = None) -> Any:
    token = issue_access_token(
        secret=SECRET, user_id=user.id, site_id=SITE_ID, now=datetime.now(UTC), ttl=600
    )
    request = urllib.request.Request(  # noqa: S310 - the test server
        f"{service.base}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return json.load(response)


def shot(page: Page, artifacts: Path, name: str) -> Path:
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def test_report_remove_amend_restore_live(service: Service, tabs: Any, artifacts: Path) -> None:
    with service.session() as s:
        rex = seed_user(s, "Rex Rude")
        bystander = seed_user(s, "Bea Calm")
        insult = seed_comment(
            s, rex, "Only a fool would back this bridge, you clowns.", minutes_ago=50
        )
        fair = seed_comment(
            s, bystander, "The traffic study is worth reading first.", minutes_ago=40
        )
        s.commit()
        insult_id, fair_id, rex_id = insult.id, fair.id, rex.id
    mod_email = staff(service, "Maya Moderator", Role.MODERATOR)
    admin_email = staff(service, "Ade Admin", Role.ADMIN)

    # The moderator opens an empty queue and keeps it open.
    desk = tabs().page
    sign_in(service, desk, mod_email)
    expect(desk.get_by_text("Nothing waiting here.")).to_be_visible()

    # A reader reports the insult from the article page, through the embed's dialog.
    reader = tabs().page
    reader.goto(service.article("/bridge", sso_token=service.publisher_token("ria", "Ria Reader")))
    insult_node = reader.locator(f'.belowline article[data-comment-id="{insult_id}"]')
    insult_node.get_by_role("button", name="Report this comment by Rex Rude").click()
    dialog = reader.get_by_role("dialog", name="Report this comment")
    dialog.get_by_label("Abusive or harassing").check()
    dialog.get_by_label("What is the problem?").fill("Calls other readers clowns.")
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog).to_contain_text("Thanks — a moderator will look at this")
    dialog.get_by_role("button", name="Close").click()

    # It appears in the open queue without a reload, with its report, and the tab counts it.
    item = desk.locator(f"#item-{insult_id}")
    expect(item).to_be_visible(timeout=LIVE)
    expect(item).to_contain_text("Calls other readers clowns.")
    expect(item).to_contain_text("Abusive or harassing")
    expect(desk.locator('[data-count="reported"]')).to_have_text("1", timeout=LIVE)
    desk.keyboard.press("j")
    expect(item).to_be_focused()
    shot(desk, artifacts, "dashboard-reported")

    # Remove, citing a rule, with the keyboard: 1 picks "Be civil", r removes.
    desk.keyboard.press("r")
    expect(item.get_by_label("Rule")).to_be_focused()  # no rule yet: it asks for one
    desk.keyboard.press("Escape")
    desk.keyboard.press("1")
    desk.keyboard.press("r")
    expect(item).to_contain_text("Removed", timeout=LIVE)
    expect(item).to_contain_text("under “Be civil”")
    expect(item).to_contain_text("by you")

    # The article shows the tombstone, live, with the rule named.
    expect(insult_node.locator(".bl-tombstone")).to_contain_text("Be civil", timeout=LIVE)
    expect(reader.get_by_text("Only a fool would back this bridge")).to_have_count(0)

    # The author has the statement of reasons.
    with service.session() as s:
        author = s.get(User, rex_id)
        assert author is not None
        inbox = api(service, "/api/v1/me/notifications", author)
    statement = next(n for n in inbox["items"] if n["comment_id"] == insult_id)
    assert statement["rule"] == {"id": "respect", "title": "Be civil"}
    assert statement["automated"] is False
    assert statement["contest"]

    # The audit log holds the entry (admins read it).
    audit_page = tabs().page
    sign_in(service, audit_page, admin_email)
    audit_page.goto(f"{service.base}/moderate/audit?action=comment.remove")
    row = audit_page.locator("tbody tr").first
    expect(row).to_contain_text("Comment removed")
    expect(row).to_contain_text("Maya Moderator")
    expect(row).to_contain_text("respect")

    # Amend: a second report, seen live; the moderator rewrites the text inline.
    with service.session() as s:
        ria = s.query(User).filter_by(external_id="ria").one()
        api(service, f"/api/v1/comments/{fair_id}/reports", ria, {"reason": "untrue"})
    fair_item = desk.locator(f"#item-{fair_id}")
    expect(fair_item).to_be_visible(timeout=LIVE)
    desk.bring_to_front()  # the audit tab opened last holds the focus otherwise
    fair_item.get_by_label("Rule").select_option("truthful")
    desk.keyboard.press("Escape")
    desk.keyboard.press("e")
    editor = fair_item.get_by_label("Amended text")
    expect(editor).to_be_focused()
    editor.fill("The traffic study is worth reading first (link removed by a moderator).")
    shot(desk, artifacts, "dashboard-amend")
    fair_item.get_by_role("button", name="Save amendment").click()
    expect(fair_item).to_contain_text("Amended", timeout=LIVE)
    fair_node = reader.locator(f'.belowline article[data-comment-id="{fair_id}"]')
    expect(fair_node).to_contain_text("link removed by a moderator", timeout=LIVE)
    expect(fair_node).to_contain_text("Edited by a moderator")

    # Undo (u) restores the author's words, live.
    # The row says "Restored" until the live queue brings the reopened report back as an open
    # item (undoing reopens it): either way the amendment is gone from the desk.
    expect(fair_item.get_by_role("button", name=re.compile("Undo"))).to_be_visible(timeout=LIVE)
    fair_item.focus()  # the saved row was swapped in under the focus: make it the current one
    desk.keyboard.press("u")
    expect(fair_item).not_to_contain_text("Amended", timeout=LIVE)
    expect(fair_node).not_to_contain_text("link removed", timeout=LIVE)
    expect(fair_node).to_contain_text("The traffic study is worth reading first.")

    # Restore the removed comment from the Decided tab; the thread shows it again, live.
    desk.get_by_role("link", name="Decided").click()
    expect(desk).to_have_url(re.compile(r"queue=decided"))
    removed_row = desk.locator(".item.decided.action-remove").first
    expect(removed_row).to_contain_text("Rex Rude")
    shot(desk, artifacts, "dashboard-decided")
    removed_row.get_by_role("button", name=re.compile("Restore")).click()
    expect(desk.locator(".item.decided").first).to_contain_text("Restored", timeout=LIVE)
    expect(insult_node).to_contain_text("Only a fool would back this bridge", timeout=LIVE)

    # The help overlay is a real dialog, opened with ? and closed with Escape.
    desk.keyboard.press("?")
    help_dialog = desk.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    expect(help_dialog.get_by_role("button", name="Close the shortcuts")).to_be_focused()
    shot(desk, artifacts, "dashboard-help")
    desk.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()


def test_dashboard_screenshot_with_a_busy_queue(
    service: Service, tabs: Any, artifacts: Path
) -> None:
    with service.session() as s:
        names = ["Gerald Pike", "Sunita Rao", "Tom Brennan", "Lucy Hale", "Dev Patel"]
        people = [seed_user(s, n) for n in names]
        first = seed_comment(
            s, people[1], "The bridge will cut twenty minutes off my commute.", minutes_ago=300
        )
        texts = [
            (
                "Only an idiot would believe that traffic modelling. You people are the problem.",
                first,
            ),
            ("Visit cheap-loans-now.example for instant payday loans, no credit checks!!!", None),
            (
                "The councillor behind this was convicted of fraud last year, everyone knows it.",
                None,
            ),
        ]
        made = [
            seed_comment(
                s, people[0 if n == 0 else n + 1], body, parent=parent, minutes_ago=200 - n * 60
            )
            for n, (body, parent) in enumerate(texts)
        ]
        s.commit()
        ids = [c.id for c in made]
        reporters = [people[1], people[4], people[0]]
    reasons = [
        ("abusive", "Calls me an idiot for disagreeing."),
        ("spam", "An advert."),
        ("untrue", None),
    ]
    with service.session() as s:
        for comment_id, reporter, (reason, detail) in zip(ids, reporters, reasons, strict=True):
            user = s.get(User, reporter.id)
            assert user is not None
            body: dict[str, Any] = {"reason": reason}
            if detail:
                body["detail"] = detail
            api(service, f"/api/v1/comments/{comment_id}/reports", user, body)
    desk = tabs().page
    sign_in(service, desk, staff(service, "Maya Moderator", Role.MODERATOR))
    expect(desk.locator("#items > .item")).to_have_count(3)
    desk.keyboard.press("j")
    shot(desk, artifacts, "dashboard-queue-desktop")
    tablet = tabs({"width": 820, "height": 1100}).page
    sign_in(service, tablet, "maya@desk.example")
    shot(tablet, artifacts, "dashboard-queue-tablet")
