"""Widget bugs readers ran into, each pinned in real Chromium against the real service.

Saving an edit closes the form; deleting one's own comment lowers the count by one even when the
live event outruns the answer; "Show 1 new comment" keeps the reader's sort; approving a held
comment counts it for its author.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from belowline.accounts.models import Role, User
from belowline.stories import service as stories_service
from tests.browser import test_embed
from tests.browser.conftest import SITE_ID, Service
from tests.browser.test_embed import live_region, seed_comment, seed_user, shot
from tests.browser.test_moderation_flow import api, staff

pytestmark = pytest.mark.browser
readers = test_embed.readers  # the same reader pages, failing on any script error


def post(page: Page, body: str, *, first: bool = False) -> str:
    """Post a top-level comment from the widget's composer; returns its id."""
    page.get_by_label("Join the discussion").fill(body)
    if first:
        page.get_by_label("I accept the community rules").check()
    page.get_by_role("button", name="Post comment").click()
    posted = page.locator("article.bl-comment", has_text=body)
    expect(posted).to_be_visible()
    cid = posted.get_attribute("data-comment-id")
    assert cid
    return cid


def user_named(service: Service, name: str) -> User:
    with service.session() as s:
        user: User | None = s.query(User).filter_by(site_id=SITE_ID, display_name=name).first()
        assert user is not None
        s.expunge(user)
        return user


def test_saving_an_edit_closes_the_form_and_shows_the_new_text(
    service: Service, readers: Any, artifacts: Path
) -> None:
    rita = readers(service.article("/rita", sso_token=service.publisher_token("rita", "Rita Reid")))
    page = rita.page
    cid = post(page, "The bridge is long overdue.", first=True)

    rita.comment(cid).get_by_role("button", name="Edit").click()
    editor = page.get_by_label("Edit your comment", exact=True)
    expect(editor).to_be_focused()
    editor.fill("The bridge is long overdue, and the east side has waited.")
    page.get_by_role("button", name="Save changes").click()

    card = rita.comment(cid)
    expect(card.locator(".bl-flag")).to_have_text("edited")
    expect(card.locator("form.bl-composer-edit")).to_have_count(0)
    expect(page.get_by_label("Edit your comment", exact=True)).to_have_count(0)
    expect(card.locator(".bl-body")).to_be_visible()
    expect(card.locator(".bl-body")).to_have_text(
        "The bridge is long overdue, and the east side has waited."
    )
    expect(card).to_be_focused()
    expect(live_region(page)).to_have_text("Your changes are saved.")
    # It can be edited again: the button opens a fresh form with the saved text.
    card.get_by_role("button", name="Edit").click()
    expect(page.get_by_label("Edit your comment", exact=True)).to_have_value(
        re.compile("east side has waited")
    )
    page.keyboard.press("Escape")
    expect(page.get_by_label("Edit your comment", exact=True)).to_have_count(0)
    expect(card.locator(".bl-body")).to_be_visible()
    shot(page, artifacts, "embed-desktop-after-edit")


def test_deleting_ones_own_comment_lowers_the_count_by_one(service: Service, readers: Any) -> None:
    rita = readers(service.article("/rita", sso_token=service.publisher_token("rita", "Rita Reid")))
    page = rita.page
    post(page, "First thoughts on the bridge.", first=True)
    cid = post(page, "Second thoughts on the bridge.")
    expect(page.locator(".bl-count")).to_have_text("2 comments")

    # On a slow connection the live "deleted" event reaches the page before the answer does.
    def slow_delete(route: Route) -> None:
        if route.request.method != "DELETE":
            route.continue_()
            return
        response = route.fetch()
        time.sleep(1.5)
        route.fulfill(response=response)

    page.route(re.compile(r"/api/v1/comments/\d+$"), slow_delete)
    rita.comment(cid).get_by_role("button", name="Delete").click()
    page.locator(".bl-confirm").get_by_role("button", name="Delete").click()
    expect(rita.comment(cid)).to_contain_text("deleted by its author")
    expect(live_region(page)).to_have_text("Your comment was deleted.")
    expect(page.locator(".bl-count")).to_have_text("1 comment")
    page.wait_for_timeout(500)  # nothing more arrives to lower it again
    expect(page.locator(".bl-count")).to_have_text("1 comment")


def test_show_new_comments_keeps_the_readers_sort(service: Service, readers: Any) -> None:
    with service.session() as s:
        ann = seed_user(s, "Ann Mercer")
        seed_comment(s, ann, "The oldest comment on the bridge.", minutes_ago=30)
        seed_comment(s, ann, "A later comment on the bridge.", minutes_ago=20)
        s.commit()
    sam = readers(service.article("/sam", sso_token=service.publisher_token("sam", "Sam Okafor")))
    page = sam.page
    page.get_by_label("Sort by").select_option("oldest")
    top_level = page.locator(".belowline .bl-list > li")
    expect(top_level.first).to_contain_text("The oldest comment")

    api(
        service,
        f"/api/v1/sites/{SITE_ID}/stories/story-1/comments",
        user_named(service, "Ann Mercer"),
        {"body": "Newest of all, just posted."},
    )
    bar = page.get_by_role("button", name="Show 1 new comment")
    expect(bar).to_be_visible()
    expect(page.locator(".bl-count")).to_have_text("3 comments")
    bar.click()

    expect(page.get_by_label("Sort by")).to_have_value("oldest")
    expect(top_level).to_have_count(3)
    expect(top_level.first).to_contain_text("The oldest comment")
    newest = top_level.last.locator("article")
    expect(newest).to_contain_text("Newest of all")
    expect(newest).to_be_focused()
    expect(bar).to_be_hidden()
    expect(page.locator(".bl-count")).to_have_text("3 comments")


def test_approving_a_held_comment_counts_it_for_its_author(service: Service, readers: Any) -> None:
    staff(service, "Maya Moderator", Role.MODERATOR)
    tom = readers(service.article("/tom", sso_token=service.publisher_token("tom", "Tom Oxley")))
    page = tom.page
    cid = post(page, "Please check this one first.", first=True)
    expect(page.locator(".bl-count")).to_have_text("1 comment")
    # Premoderate the story, then post again: the new comment waits for a moderator.
    with service.session() as s:
        story = stories_service.find_story(s, site_id=SITE_ID, external_id="story-1")
        assert story is not None
        story.premoderate = True
        s.commit()
    held_id = post(page, "A second one for the moderators.")
    expect(tom.comment(held_id)).to_contain_text("Awaiting review")
    expect(page.locator(".bl-count")).to_have_text("1 comment")
    other = readers(service.article("/ona", sso_token=service.publisher_token("ona", "Ona Other")))
    expect(other.page.locator(".bl-count")).to_have_text("1 comment")

    api(
        service,
        f"/api/v1/moderation/comments/{held_id}/decisions",
        user_named(service, "Maya Moderator"),
        {"action": "approve", "rule_id": "respect"},
    )
    expect(tom.comment(held_id)).not_to_contain_text("Awaiting review")
    expect(page.locator(".bl-count")).to_have_text("2 comments")
    expect(other.comment(held_id)).to_contain_text("A second one for the moderators.")
    expect(other.page.locator(".bl-count")).to_have_text("2 comments")
    expect(tom.comment(cid)).to_contain_text("Please check this one first.")


def test_show_new_in_oldest_first_with_pages_still_to_load(service: Service, readers: Any) -> None:
    with service.session() as s:
        ann = seed_user(s, "Ann Mercer")
        for i in range(22):
            seed_comment(s, ann, f"Old comment number {i}.", minutes_ago=100 - i)
        s.commit()
    sam = readers(service.article("/sam", sso_token=service.publisher_token("sam", "Sam Okafor")))
    page = sam.page
    page.get_by_label("Sort by").select_option("oldest")
    top_level = page.locator(".belowline .bl-list > li")
    expect(top_level.first).to_contain_text("Old comment number 0.")
    expect(top_level).to_have_count(20)

    api(
        service,
        f"/api/v1/sites/{SITE_ID}/stories/story-1/comments",
        user_named(service, "Ann Mercer"),
        {"body": "Newest of all, just posted."},
    )
    page.get_by_role("button", name="Show 1 new comment").click()
    expect(page.get_by_label("Sort by")).to_have_value("oldest")
    expect(top_level).to_have_count(21)
    expect(top_level.last.locator("article")).to_contain_text("Newest of all")
    expect(top_level.last.locator("article")).to_be_focused()

    # The pages still to load go before it: the thread stays oldest first.
    page.get_by_role("button", name="Load more comments").click()
    expect(top_level).to_have_count(23)
    expect(top_level.nth(20)).to_contain_text("Old comment number 20.")
    expect(top_level.nth(21)).to_contain_text("Old comment number 21.")
    expect(top_level.last.locator("article")).to_contain_text("Newest of all")
    expect(page.get_by_role("button", name="Load more comments")).to_be_hidden()
