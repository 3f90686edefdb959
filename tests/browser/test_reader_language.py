"""A reader picks their own language in "Your account": the widget switches at once, the choice is
stored, the next statement of reasons and its email are written in it, and it comes back on the
next visit. Real Chromium against the real service; the removal is made through the API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from belowline.accounts import service as accounts_service
from belowline.accounts.models import Role, User
from belowline.outbox.models import OutboxMessage
from belowline.qa import service as qa_service
from belowline.stories.story_token import sign_story_token
from tests.browser.conftest import SITE_ID, SSO_SECRET, Service
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


def test_every_widget_on_the_page_switches_even_in_qa_mode(
    service: Service, tabs: Any, artifacts: Path
) -> None:
    with service.session() as s:
        ann = seed_user(s, "Ann Mercer")
        seed_comment(s, ann, "Will the new bridge have a cycle lane?", minutes_ago=90)
        # Rita has signed in before: both widgets' first sign-ins at once would race to create
        # her account, which this test is not about.
        accounts_service.create_user(
            s,
            site_id=SITE_ID,
            email="rita@readers.example",
            display_name="Rita Reid",
            external_id="rita",
            subscriber=True,
            now=datetime.now(UTC),
        )
        qa_service.set_mode(
            s, actor=None, site_id=SITE_ID, story_id="story-1", mode="open", now=datetime.now(UTC)
        )
        s.commit()
    url = service.article("/two", sso_token=service.publisher_token("rita", "Rita Reid"))
    token = sign_story_token(secret=SSO_SECRET, site_id=SITE_ID, story_id="story-2")
    second = (
        f'<div data-belowline data-site="{SITE_ID}" data-story="story-2" '
        f'data-story-title="Letters" data-story-token="{token}"></div>\n</main>'
    )
    service.host.pages["/two"] = service.host.pages["/two"].replace("</main>", second, 1)
    page = tabs().page
    page.goto(url)
    qa_widget, plain = page.locator(".belowline").nth(0), page.locator(".belowline").nth(1)
    expect(qa_widget.get_by_role("heading", name="Questions")).to_be_visible()
    expect(plain.get_by_role("heading", name="Comments", exact=True)).to_be_visible()

    plain.get_by_role("button", name="Your account").click()
    plain.get_by_label("Language", exact=True).select_option("gd")

    for root in (qa_widget, plain):
        expect(root).to_have_attribute("lang", "gd")
    expect(plain.get_by_role("heading", name="Beachdan", exact=True)).to_be_visible()
    expect(plain.locator(".bl-account-status")).to_have_text("Chaidh an cànan agad a shàbhaladh.")
    # The Q&A widget is rebuilt in Q&A mode, once: one Q&A section, its question still there.
    expect(qa_widget.get_by_role("heading", name="Ceistean")).to_be_visible()
    expect(qa_widget.locator('[data-role="qa"]')).to_have_count(1)
    expect(qa_widget.locator('[data-role="qa"]')).to_contain_text("cycle lane")
    expect(qa_widget.get_by_role("button", name="An cunntas agad")).to_be_visible()
    page.screenshot(path=str(artifacts / "widgets-reader-picks-gaelic.png"), full_page=True)
    assert _user(service, "Rita Reid").locale == "gd"
