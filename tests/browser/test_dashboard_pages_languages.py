"""The secondary dashboard pages in French and German, in Chromium: every heading in the
page's language, and nothing wider than the window (longer German words included)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from belowline.accounts.models import Role
from tests.browser.conftest import Service
from tests.browser.test_moderation_flow import PASSWORD, staff

pytestmark = pytest.mark.browser

PAGES = {
    "fr": [
        ("/moderate/people", "Personnes", "Envoyer l’invitation"),
        ("/moderate/schedule", "Heures de permanence", "Enregistrer le planning"),
        ("/moderate/audit", "Journal d’audit", "Exporter en CSV"),
        ("/moderate/webhooks", "Webhooks", "Ajouter le webhook"),
        ("/moderate/rules", "Règles de la communauté", "Publier une nouvelle version"),
        ("/moderate/stories", "Articles", "Rechercher des commentaires"),
    ],
    "de": [
        ("/moderate/people", "Personen", "Einladung senden"),
        ("/moderate/schedule", "Besetzte Zeiten", "Dienstplan speichern"),
        ("/moderate/audit", "Prüfprotokoll", "Als CSV exportieren"),
        ("/moderate/rules", "Community-Regeln", "Neue Fassung veröffentlichen"),
    ],
}


def _fits(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the window"


@pytest.mark.parametrize("locale", ["fr", "de"])
def test_the_secondary_pages_speak_the_browsers_language(
    browser: Any, service: Service, artifacts: Path, locale: str
) -> None:
    email = staff(service, "Ada Admin", Role.ADMIN)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{service.base}/moderate/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("body")).to_have_attribute("data-live", "on", timeout=15_000)
    for path, heading, action in PAGES[locale]:
        page.goto(f"{service.base}{path}")
        assert page.locator("html").get_attribute("lang") == locale
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(
            page.get_by_role("button", name=action).or_(page.get_by_role("link", name=action)).first
        ).to_be_visible()
        page.screenshot(
            path=str(artifacts / f"dashboard-{locale}{path.replace('/', '-')}.png"), full_page=True
        )
        _fits(page)
    # A narrow window: the long German and French labels wrap, they do not push the page.
    page.set_viewport_size({"width": 760, "height": 900})
    page.goto(f"{service.base}/moderate/schedule")
    _fits(page)
    page.screenshot(path=str(artifacts / f"dashboard-{locale}-schedule-narrow.png"), full_page=True)
    assert not errors, errors
    context.close()
