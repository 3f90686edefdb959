"""Site administration in Chromium: Settings (RS256 with a JWKS, then a reader signs in with it),
the triage preview, and the People page's search leading to a person's record."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from belowline.accounts.models import Role
from belowline.comments import service as comments_service
from belowline.policy import post_policy
from belowline.queues.service import moderation_policy
from belowline.stories import service as stories_service
from belowline.stories.models import Site
from belowline.stories.story_token import sign_story_token
from tests.browser.conftest import SITE_ID, SSO_SECRET, Service
from tests.browser.test_embed import Reader, seed_user
from tests.browser.test_moderation_flow import Tab, shot, sign_in, staff
from tests.sites.keys import RSA_KEY, rsa_jwks, signed

pytestmark = pytest.mark.browser

TRIAGED = moderation_policy(post_policy.triage_policy)


@pytest.fixture
def tabs(browser: Any) -> Iterator[Any]:
    opened: list[Tab] = []

    def open_tab() -> Tab:
        opened.append(Tab(browser))
        return opened[-1]

    yield open_tab
    for tab in opened:
        tab.close()


@pytest.fixture
def readers(browser: Any) -> Iterator[Any]:
    opened: list[Reader] = []

    def open_reader(url: str) -> Reader:
        opened.append(Reader(browser, url))
        return opened[-1]

    yield open_reader
    for reader in opened:
        reader.close()


def seed_triaged(service: Service, author_name: str, body: str, *, hours_ago: float = 2) -> int:
    """A comment posted through the real post policy, so triage stores its scores."""
    with service.session() as s:
        author = seed_user(s, author_name)
        site = s.get(Site, SITE_ID)
        story = stories_service.story_for_embed(
            s,
            site=site,
            external_id="story-1",
            story_token=sign_story_token(secret=SSO_SECRET, site_id=SITE_ID, story_id="story-1"),
            title="Council approves the new river bridge",
            url=site.origins[0] + "/a",
            now=datetime.now(UTC),
        )
        comment = comments_service.post_comment(
            s,
            site=site,
            story=story,
            author=author,
            body=body,
            parent_id=None,
            accept_terms_version=None,
            now=datetime.now(UTC) - timedelta(hours=hours_ago),
            policy=TRIAGED,
        )
        s.commit()
        return comment.id


def open_settings(service: Service, tabs: Any) -> Page:
    email = staff(service, "Ada Admin", Role.ADMIN)
    page: Page = tabs().page
    sign_in(service, page, email)
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    return page


def test_settings_switch_to_rs256_with_a_jwks_and_sign_in_with_it(
    service: Service, tabs: Any, readers: Any, artifacts: Path
) -> None:
    page = open_settings(service, tabs)
    expect(page.locator("[data-secret-state]")).to_have_text("set")
    page.get_by_label("HS256").uncheck()
    page.get_by_label("RS256").check()
    page.get_by_label("JWKS (inline JSON)").fill(json.dumps(rsa_jwks("newsroom-1"), indent=2))
    page.get_by_label("Issuer (iss)").fill("https://id.gazette.example")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".flash-ok")).to_contain_text("Saved:")
    expect(page.locator(".flash-ok")).to_contain_text("sso.algorithms")
    expect(page.get_by_label("RS256")).to_be_checked()
    expect(page.get_by_label("HS256")).not_to_be_checked()
    shot(page, artifacts, "admin-settings")

    # A malformed key is refused whole, naming the field; what was saved stays.
    page.get_by_label("JWKS (inline JSON)").fill('{"keys": [{"kty": "RSA", "n": "AQAB"}]}')
    page.get_by_label("Edit window (seconds)").fill("5")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("alert")).to_contain_text("sso.jwks")
    expect(page.get_by_label("JWKS (inline JSON)")).to_have_attribute("aria-invalid", "true")
    with service.session() as s:
        site = s.get(Site, SITE_ID)
        assert site.sso_algorithms == ["RS256"] and site.edit_window_seconds == 300
        assert site.sso_jwks["keys"][0]["kid"] == "newsroom-1"

    token = signed("RS256", RSA_KEY, kid="newsroom-1", sub="rs-1", iss="https://id.gazette.example")
    request = urllib.request.Request(  # noqa: S310 - the test server
        f"{service.base}/api/v1/auth/sso",
        data=json.dumps({"site_id": SITE_ID, "token": token}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert json.load(response)["user"]["display_name"] == "Rosa Signed"
    reader: Reader = readers(service.article("/rs256", sso_token=token))
    expect(reader.page.get_by_text("Signed in as Rosa Signed")).to_be_visible()


def test_triage_preview_shows_what_would_change_before_saving(
    service: Service, tabs: Any, artifacts: Path
) -> None:
    # Rude enough to flag (0.89), not to hold part-time (0.95), until the hold is 0.5.
    rude = seed_triaged(service, "Ivo Insult", "You are an idiot, frankly.")
    seed_triaged(service, "Calm Carla", "I think the bridge is worth the money in the end.")
    seed_triaged(service, "Old Olga", "What an idiot proposal.", hours_ago=24 * 9)  # too old
    page = open_settings(service, tabs)
    for level in ("Full-time", "Part-time", "Nobody on duty"):
        page.get_by_label(f"{level} Abuse hold").fill("0.5")
    page.get_by_role("button", name="Preview the last 7 days").click()
    preview = page.locator("[data-preview]")
    expect(preview).to_contain_text("(2 scored comments), 1 comment would have been treated")
    example = preview.locator(f'[data-example="{rude}"]')
    expect(example).to_contain_text("flag → hold")
    expect(example).to_contain_text("You are an idiot")
    preview.scroll_into_view_if_needed()
    shot(page, artifacts, "admin-triage-preview")
    with service.session() as s:  # a preview saves nothing
        settings = s.get(Site, SITE_ID).settings or {}
        assert "thresholds" not in (settings.get("moderation_policy") or {})
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".flash-ok")).to_contain_text("triage")


def test_people_search_leads_to_the_record(service: Service, tabs: Any, artifacts: Path) -> None:
    with service.session() as s:
        for name in ("Nora Quinn", "Nadia Quist", "Bob Baker", "Quentin Blake"):
            seed_user(s, name)
        s.commit()
    staff(service, "Mona Moderator", Role.MODERATOR)
    page = open_settings(service, tabs)
    page.get_by_role("link", name="People").click()
    search = page.get_by_role("searchbox", name="Search people")
    search.fill("qu")
    search.press("Enter")
    rows = page.locator("tr[data-person]")
    expect(rows).to_have_count(3)
    expect(page.locator("[data-total]")).to_have_text("3 people matching “qu”")
    page.get_by_label("Email").fill("new.editor@gazette.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("[data-invite-link]")).to_have_value(
        re.compile(r"/moderate/invite/[\w-]{20,}$")
    )
    page.get_by_role("searchbox", name="Search people").fill("")
    page.get_by_role("button", name="Search").click()
    expect(rows).to_have_count(6)
    shot(page, artifacts, "admin-people")
    page.get_by_role("searchbox", name="Search people").fill("nora")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Nora Quinn").click()
    expect(page.get_by_role("heading", name="Nora Quinn")).to_be_visible()
