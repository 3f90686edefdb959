"""A reader picks their own language in "Your account": the widget switches at once, the choice is
stored, the next statement of reasons and its email are written in it, and it comes back on the
next visit. Real Chromium against the real service; the removal is made through the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from belowline.accounts.models import Role, User
from belowline.outbox.models import OutboxMessage
from tests.browser.conftest import SITE_ID, Service
from tests.browser.test_embed import seed_comment, seed_user
from tests.browser.test_moderation_flow import LIVE, api, staff, tabs

pytestmark = pytest.mark.browser
__all__ = ["tabs"]  # the fixture: browser contexts that fail the test on script errors


def _user(service: Service, name: str) -> User:
    with service.session() as s:
        user: User = s.query(User).filter_by(site_id=SITE_ID, display_name=name).one()
        s.expunge(user)
        return user


def test_a_reader_switches_the_widget_to_french(
    service: Service, tabs: Any, artifacts: Path
) -> None:
    with service.session() as s:
        seed_comment(s, seed_user(s, "Ann Ashby"), "The bridge needs a cycle lane.", minutes_ago=40)
        s.commit()
    staff(service, "Maya Moderator", Role.MODERATOR)
    url = service.article("/bridge", sso_token=service.publisher_token("rita", "Rita Reid"))
    page = tabs().page
    page.goto(url)
    root = page.locator(".belowline")
    expect(page.get_by_role("heading", name="Comments", exact=True)).to_be_visible()
    expect(root).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Your account").click()
    picker = page.get_by_label("Language", exact=True)
    expect(picker).to_have_value("")  # following the site
    picker.select_option("fr")

    # The whole widget re-renders in French; the panel reopens on the picker.
    expect(root).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Commentaires", exact=True)).to_be_visible()
    expect(root.locator(".bl-count")).to_have_text("1 commentaire")
    expect(page.get_by_label("Trier par")).to_be_visible()
    panel = root.locator('[data-role="account-panel"]')
    expect(panel.get_by_role("heading", name="Votre compte")).to_be_visible()
    expect(panel.locator(".bl-account-status")).to_have_text("Votre langue est enregistrée.")
    french_picker = page.get_by_label("Langue", exact=True)
    expect(french_picker).to_have_value("fr")
    expect(french_picker).to_be_focused()
    expect(french_picker.locator('option[value=""]')).to_have_text("Celle du site (English)")
    assert "Your account" not in root.inner_text()
    page.screenshot(path=str(artifacts / "widget-reader-picks-french.png"), full_page=True)

    rita = _user(service, "Rita Reid")
    assert rita.locale == "fr"

    # Posting in French, and the moderator's removal is explained in French, in the widget and
    # in the email queued for her.
    page.get_by_label("Participer à la discussion").fill("Le pont coûtera bien plus que prévu.")
    page.get_by_label("J’accepte les règles de la communauté").check()
    page.get_by_role("button", name="Publier le commentaire").click()
    mine = root.locator("article.bl-own")
    expect(mine).to_contain_text("Le pont coûtera")
    comment_id = int(mine.get_attribute("data-comment-id") or 0)
    maya = _user(service, "Maya Moderator")
    api(
        service,
        f"/api/v1/moderation/comments/{comment_id}/decisions",
        maya,
        {"action": "remove", "rule_id": "on-topic"},
    )
    notices = root.locator('[data-role="notices"]')
    expect(notices.locator(".bl-badge")).to_have_text("1", timeout=LIVE)
    notices.click()
    inbox = page.get_by_role("dialog", name="Vos avis")
    expect(inbox.locator(".bl-notice-item").first).to_contain_text(
        "Un modérateur a supprimé votre commentaire"
    )
    with service.session() as s:
        mails = [
            m.payload
            for m in s.query(OutboxMessage).filter_by(kind="email")
            if m.payload.get("to") == rita.email
        ]
    assert mails, "no email queued for the reader"
    assert mails[-1]["locale"] == "fr"
    assert mails[-1]["subject"] == "Un modérateur a supprimé votre commentaire"

    # The next visit opens in French straight away, though the page and site say nothing.
    page.reload()
    expect(root).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Commentaires", exact=True)).to_be_visible()

    # Back to the site's language.
    page.get_by_role("button", name="Votre compte").click()
    page.get_by_label("Langue", exact=True).select_option("")
    expect(root).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Comments", exact=True)).to_be_visible()
    expect(root.locator(".bl-account-status")).to_have_text("Your language is saved.")
    assert _user(service, "Rita Reid").locale is None
