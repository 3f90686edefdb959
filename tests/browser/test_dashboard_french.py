"""The dashboard in French (the browser's language), then German by the switcher, in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from belowline.accounts.models import Role, User
from tests.browser.conftest import Service
from tests.browser.test_embed import seed_comment, seed_user
from tests.browser.test_moderation_flow import LIVE, PASSWORD, api, staff

pytestmark = pytest.mark.browser


def test_the_dashboard_in_french_then_german(
    browser: Any, service: Service, artifacts: Path
) -> None:
    with service.session() as s:
        rex = seed_user(s, "Rex Rude")
        insult = seed_comment(s, rex, "Only a fool would back this bridge, you clowns.")
        s.commit()
        insult_id = insult.id
        reporter = seed_user(s, "Bea Calm")
        s.commit()
        reporter_id = reporter.id
    with service.session() as s:
        user = s.get(User, reporter_id)
        assert user is not None
        api(service, f"/api/v1/comments/{insult_id}/reports", user, {"reason": "abusive"})
    email = staff(service, "Maya Moderator", Role.MODERATOR)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{service.base}/moderate")
    expect(page.get_by_role("heading", name="Connexion des modérateurs")).to_be_visible()
    page.screenshot(path=str(artifacts / "dashboard-fr-login.png"))
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("navigation", name="Files")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-live", "on", timeout=LIVE)
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.locator("#items > .item")).to_have_count(1)
    expect(page.get_by_role("button", name="Approuver", exact=False).first).to_be_visible()
    expect(page.locator(".reports .reason")).to_have_text("Injurieux ou harcelant")
    # The bulk counter's words come from the page's language too.
    page.locator(".pick").first.check()
    expect(page.locator("[data-bulk-count]")).to_have_text("1 sélectionné(s)")
    page.screenshot(path=str(artifacts / "dashboard-fr-queue.png"))
    page.get_by_role("button", name="Raccourcis").click()
    expect(page.get_by_role("heading", name="Raccourcis clavier")).to_be_visible()
    page.screenshot(path=str(artifacts / "dashboard-fr-help.png"))
    page.keyboard.press("Escape")
    # The switcher submits on change (no inline script) and the choice beats the browser's.
    page.select_option("#lang-pick", "de")
    expect(page.get_by_role("navigation", name="Warteschlangen")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "de"
    page.reload()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    page.screenshot(path=str(artifacts / "dashboard-de-queue.png"))
    assert not errors, errors
    context.close()
