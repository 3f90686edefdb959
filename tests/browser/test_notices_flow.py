"""A signed-out reader reports a comment to the newsroom; a moderator decides it.

Real Chromium against real servers: the article on the publisher's origin, the widget's
"Report to the newsroom" form (its signed, timed token fetched when it opens), and the
dashboard's Notices tab. The notifier's receipt and decision are in the outbox as emails.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from belowline.accounts.models import Role
from belowline.comments.models import Comment
from belowline.outbox.models import OutboxMessage
from tests.browser.conftest import Service
from tests.browser.test_embed import seed_comment, seed_user
from tests.browser.test_moderation_flow import DESKTOP, LIVE, sign_in, staff
from tests.browser.test_moderation_flow import tabs as tabs  # the fixture

pytestmark = pytest.mark.browser

NAME = "Jane <b>Doe</b>"
TEXT = "Jane Doe lives at 12 Acacia Avenue, and here is her phone number."


def uk_notice(service: Service, comment_id: int) -> None:
    """A UK notice of complaint sent straight to the API, as a script on another site might."""
    with urllib.request.urlopen(f"{service.base}/api/v1/sites/gazette/notices/form") as r:  # noqa: S310
        token = json.load(r)["form_token"]
    time.sleep(3.2)
    body = {
        "comment_id": comment_id,
        "reason": "defamation",
        "explanation": "The thread around this comment says I am a criminal.",
        "name": "Cllr John Roe",
        "email": "roe@example.org",
        "good_faith": True,
        "form_token": token,
        "uk_complaint": {
            "statement": "Roe took bribes",
            "meaning": "That I am corrupt",
            "why_defamatory": "It accuses me of a crime",
            "inaccurate": "I have never taken a bribe",
            "poster_unknown": True,
        },
    }
    request = urllib.request.Request(  # noqa: S310 - the test server
        f"{service.base}/api/v1/sites/gazette/notices",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as r:  # noqa: S310
        assert r.status == 201


def test_signed_out_notice_reaches_the_notices_tab_and_is_decided(
    service: Service,
    tabs: Any,
    artifacts: Path,
) -> None:
    with service.session() as s:
        author = seed_user(s, "Arthur Author")
        comment_id = seed_comment(s, author, TEXT).id
        s.commit()
    url = service.article("/a")
    reader = tabs()
    page = reader.page
    page.goto(url)
    card = page.locator(f'[data-comment-id="{comment_id}"]')
    expect(card).to_be_visible()
    expect(card.get_by_role("button", name=re.compile("Report this comment by"))).to_have_count(0)
    card.get_by_role("button", name="Report the comment by Arthur Author to the newsroom").click()
    dialog = page.get_by_role("dialog", name="Report to the newsroom")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Reason").select_option("privacy")
    dialog.get_by_label("Why is this comment a problem?").fill(
        "It publishes my home address and phone number."
    )
    dialog.get_by_label("Your name (optional)").fill(NAME)
    dialog.get_by_label("Your email address").fill("not-an-email")
    expect(dialog.get_by_label("Where is it?")).to_have_value(re.compile(r"/a#bl\d+-c\d+$"))
    reader.page.screenshot(path=str(artifacts / "notice-form.png"), full_page=True)
    dialog.get_by_role("button", name="Send notice").click()
    # The server names what is wrong; nothing is filed.
    alert = dialog.get_by_role("alert")
    expect(alert).to_contain_text("email")
    expect(alert).to_contain_text("good_faith")
    dialog.get_by_label("Your email address").fill("jane@example.org")
    dialog.get_by_label("I confirm that the information").check()
    page.wait_for_timeout(3200)  # a person takes a moment; the token is refused when too fresh
    dialog.get_by_role("button", name="Send notice").click()
    expect(dialog.get_by_role("status")).to_contain_text("We received your notice (no. 1)")
    reader.page.screenshot(path=str(artifacts / "notice-form-sent.png"))
    dialog.get_by_role("button", name="Close").click()

    uk_notice(service, comment_id)
    email = staff(service, "Mona Moderator", Role.MODERATOR)
    desk = tabs(DESKTOP)
    sign_in(service, desk.page, email)
    expect(desk.page.locator('[data-count="notices"]')).to_have_text("2", timeout=LIVE)
    desk.page.get_by_role("link", name=re.compile("^Notices")).click()
    item = desk.page.locator("#notice-1")
    expect(item).to_contain_text("Jane <b>Doe</b>")  # shown as text, not markup
    assert "Jane &lt;b&gt;Doe&lt;/b&gt;" in item.locator(".where b").first.inner_html()
    expect(item).to_contain_text(TEXT)
    expect(item).to_contain_text("It publishes my home address")
    desk.page.screenshot(path=str(artifacts / "dashboard-notices-tab.png"), full_page=True)
    item.get_by_label("Remove the comment under a rule").check()
    item.get_by_label("Rule (for a removal)").select_option(label="Respect privacy")
    item.get_by_label("Reason (sent to the notifier)").fill("It gave a private address.")
    item.get_by_role("button", name="Decide notice").click()
    expect(desk.page.get_by_role("status").filter(has_text="Notice 1")).to_contain_text(
        "The notifier has been told by email"
    )
    # One decision answers the open notices about the comment, except the UK complaint,
    # which keeps its own statutory procedure.
    expect(desk.page.locator('[data-count="notices"]')).to_have_text("1")
    expect(desk.page.locator("#notice-2")).to_contain_text("UK notice of complaint")

    with service.session() as s:
        comment = s.get(Comment, comment_id)
        assert comment is not None
        assert comment.status == "removed"
        mails = [
            m.payload
            for m in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
            if m.kind == "email" and m.payload["to"] == "jane@example.org"
        ]
    assert [m["subject"] for m in mails] == [
        "We received your notice no. 1",
        "The decision on your notice no. 1",
    ]
    assert "Jane &lt;b&gt;Doe&lt;/b&gt;" in mails[0]["html"]
