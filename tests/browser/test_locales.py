"""The widget in the reader's language in real Chromium: French, and Arabic right to left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import test_embed
from tests.browser.conftest import Service
from tests.browser.test_embed import seed_comment, seed_user, shot

pytestmark = pytest.mark.browser
readers = test_embed.readers


def _seed_thread(service: Service) -> None:
    with service.session() as s:
        ann = seed_user(s, "Ann Ashby")
        bea = seed_user(s, "Bea Bryce")
        first = seed_comment(s, ann, "The new bridge should have a cycle lane.", minutes_ago=90)
        seed_comment(s, bea, "Agreed, and a footpath too.", parent=first, minutes_ago=20)
        s.commit()


def test_the_widget_in_french(service: Service, readers: Any, artifacts: Path) -> None:
    _seed_thread(service)
    token = service.publisher_token("rita", "Rita Reid")
    page = readers(service.article("/fr", sso_token=token, extra_attrs='data-locale="fr-FR"')).page
    root = page.locator(".belowline")
    expect(root).to_have_attribute("lang", "fr")
    expect(root).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", name="Commentaires")).to_be_visible()
    expect(root.locator(".bl-count")).to_have_text("2 commentaires")
    expect(page.get_by_label("Trier par")).to_be_visible()
    expect(page.get_by_label("Participer à la discussion")).to_be_visible()
    expect(page.get_by_role("button", name="Publier le commentaire")).to_be_visible()
    # Relative times come from Intl in French, not a hard-wired English format.
    expect(root.locator("time.bl-time").first).to_contain_text("il y a")
    assert "community rules" not in root.inner_text().lower()
    rules = page.get_by_role("link", name="règles de la communauté")
    assert "lang=fr" in (rules.get_attribute("href") or "")
    shot(page, artifacts, "widget-french")


def test_the_widget_in_arabic_is_right_to_left(
    service: Service, readers: Any, artifacts: Path
) -> None:
    _seed_thread(service)
    token = service.publisher_token("rita", "Rita Reid")
    page = readers(service.article("/ar", sso_token=token, extra_attrs='data-locale="ar"')).page
    root = page.locator(".belowline")
    expect(root).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="التعليقات")).to_be_visible()
    # Arabic's dual: two comments are "تعليقان", chosen by Intl.PluralRules.
    expect(root.locator(".bl-count")).to_have_text("تعليقان")
    box = root.bounding_box()
    heading = page.get_by_role("heading", name="التعليقات").bounding_box()
    assert box and heading
    # The heading sits at the right-hand edge of the widget; replies indent from the right.
    assert heading["x"] + heading["width"] > box["x"] + box["width"] * 0.6
    reply = root.locator("article.bl-comment", has_text="footpath")
    top = root.locator("article.bl-comment", has_text="cycle lane")
    rb, tb = reply.bounding_box(), top.bounding_box()
    assert rb and tb
    assert rb["x"] + rb["width"] < tb["x"] + tb["width"] - 4, (rb, tb)
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.belowline')).direction") == "rtl"
    )
    shot(page, artifacts, "widget-arabic-rtl")


def test_the_site_default_locale_applies_without_data_locale(
    service: Service, readers: Any, artifacts: Path
) -> None:
    with service.session() as s:
        from belowline.i18n import service as i18n_service
        from belowline.stories.models import Site

        site = s.get(Site, "gazette")
        assert site is not None
        i18n_service.set_site_locale(s, site=site, locale="cy")
        s.commit()
    page = readers(service.article("/cy")).page
    expect(page.locator(".belowline")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", name="Sylwadau", exact=True)).to_be_visible()
