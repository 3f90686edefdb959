"""The embed on a publisher's page, in real Chromium against the real service on another origin."""

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

from belowline.accounts import service as accounts_service
from belowline.accounts.models import User
from belowline.comments import service as comments_service
from belowline.comments import state
from belowline.comments.models import Comment, CommentStatus
from belowline.rules import service as rules_service
from belowline.stories import service as stories_service
from belowline.stories.models import Site
from belowline.stories.story_token import sign_story_token
from tests.browser.conftest import SITE_ID, SSO_SECRET, Service

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 390, "height": 844}


class Reader:
    """One browser context on the publisher's page, failing the test on any script error."""

    def __init__(self, browser: Any, url: str, viewport: dict[str, int] = DESKTOP) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        expect(self.page.locator(".belowline .bl-count")).not_to_be_empty()

    def comment(self, comment_id: str | int) -> Any:
        return self.page.locator(f'.belowline article[data-comment-id="{comment_id}"]')

    def close(self) -> None:
        assert not self.errors, self.errors
        self.context.close()


@pytest.fixture
def readers(browser: Any) -> Iterator[Any]:
    opened: list[Reader] = []

    def open_reader(url: str, viewport: dict[str, int] = DESKTOP) -> Reader:
        reader = Reader(browser, url, viewport)
        opened.append(reader)
        return reader

    yield open_reader
    for reader in opened:
        reader.close()


def live_region(page: Page) -> Any:
    return page.locator('.belowline [aria-live="polite"][aria-atomic="true"]')


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.locator(".belowline").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def tab_until(page: Page, check: str, limit: int = 40) -> None:
    """Press Tab (keyboard only) until `check` (a JS expression on `el`) holds for the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({check}); }})()"):
            return
    raise AssertionError(f"focus never reached {check}")


# ---------------------------------------------------------------- seeding helpers


def seed_user(s: Any, name: str, *, subscriber: bool = True, password: str | None = None) -> User:
    now = datetime.now(UTC)
    user = accounts_service.create_user(
        s,
        site_id=SITE_ID,
        email=f"{name.split()[0].lower()}@readers.example",
        display_name=name,
        password=password,
        subscriber=subscriber,
        now=now,
    )
    rules = rules_service.current_rules(s, site_id=SITE_ID)
    assert rules is not None
    rules_service.require_current_terms(s, user=user, accept_version=rules.version, now=now)
    s.flush()
    return user


def seed_comment(
    s: Any, author: User, body: str, *, parent: Comment | None = None, minutes_ago: float = 30
) -> Comment:
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
        parent_id=parent.id if parent else None,
        accept_terms_version=None,
        now=datetime.now(UTC) - timedelta(minutes=minutes_ago),
    )
    s.flush()
    return comment


# ---------------------------------------------------------------- journeys


def test_subscriber_posts_replies_reacts_edits_deletes_live(
    service: Service, readers: Any, artifacts: Path
) -> None:
    rita = readers(service.article("/rita", sso_token=service.publisher_token("rita", "Rita Reid")))
    sam = readers(service.article("/sam", sso_token=service.publisher_token("sam", "Sam Okafor")))
    a, b = rita.page, sam.page
    expect(a.locator(".bl-count")).to_have_text("No comments yet")
    expect(a.get_by_text("Signed in as Rita Reid")).to_be_visible()

    # The rules must be accepted before the first post.
    a.get_by_label("Join the discussion").fill(
        "The bridge is long overdue. **Good news** for the east side."
    )
    a.get_by_role("button", name="Post comment").click()
    expect(a.locator(".bl-composer-new [role=alert]")).to_contain_text("accept the community rules")
    expect(a.locator(".bl-liability")).to_contain_text("personally")
    rules_link = a.locator(".bl-liability a")
    # The rules open in the widget's language.
    expect(rules_link).to_have_attribute("href", f"{service.base}/sites/{SITE_ID}/rules?lang=en")
    a.get_by_label("I accept the community rules").check()
    a.get_by_role("button", name="Post comment").click()

    posted = a.locator("article.bl-comment", has_text="long overdue")
    expect(posted).to_be_visible()
    expect(posted).to_be_focused()
    expect(posted.locator(".bl-body strong")).to_have_text("Good news")
    expect(posted.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
    expect(a.get_by_label("I accept the community rules")).to_have_count(0)
    expect(a.get_by_label("Join the discussion")).to_have_value("")
    expect(a.locator(".bl-count")).to_have_text("1 comment")
    cid = posted.get_attribute("data-comment-id")
    assert cid

    # Sam's page learns of it without a reload, and says so politely.
    expect(sam.comment(cid)).to_contain_text("long overdue")
    expect(live_region(b)).to_have_text("1 new comment")
    expect(b.locator(".bl-count")).to_have_text("1 comment")

    # Sam recommends it; Rita's count follows live.
    recommend = sam.comment(cid).get_by_role("button", name=re.compile("Recommend"))
    expect(recommend).to_have_attribute("aria-pressed", "false")
    recommend.click()
    expect(recommend).to_have_attribute("aria-pressed", "true")
    expect(recommend).to_contain_text("1")
    expect(rita.comment(cid).locator('[data-role="react-count"]')).to_contain_text("1")
    expect(rita.comment(cid).get_by_role("button", name=re.compile("Recommend"))).to_have_count(0)

    # Sam replies; it appears nested for both.
    sam.comment(cid).get_by_role("button", name="Reply to Rita Reid").click()
    reply_box = b.get_by_label("Your reply to Rita Reid")
    expect(reply_box).to_be_focused()
    reply_box.fill("Agreed, though the cost worries me.")
    b.locator(".bl-composer-reply").get_by_label("I accept the community rules").check()
    b.get_by_role("button", name="Post reply").click()
    reply = b.locator(".bl-replies article", has_text="cost worries me")
    expect(reply).to_be_focused()
    expect(a.locator(".bl-replies article", has_text="cost worries me")).to_be_visible()
    shot(a, artifacts, "embed-desktop-thread")

    # Sam starts another reply; Rita edits within the window; Sam sees the edit, draft intact.
    sam.comment(cid).get_by_role("button", name="Reply to Rita Reid").click()
    b.get_by_label("Your reply to Rita Reid").fill("A draft in progress")
    rita.comment(cid).get_by_role("button", name="Edit").click()
    editor = a.get_by_label("Edit your comment", exact=True)
    expect(editor).to_be_focused()
    expect(editor).to_have_value(re.compile(r"\*\*Good news\*\*"))
    editor.fill("The bridge is long overdue. Good news for the east side, at last.")
    a.get_by_role("button", name="Save changes").click()
    expect(rita.comment(cid)).to_contain_text("at last")
    expect(rita.comment(cid).locator(".bl-flag")).to_have_text("edited")
    expect(rita.comment(cid)).to_be_focused()
    expect(sam.comment(cid)).to_contain_text("at last")
    expect(sam.comment(cid).locator(".bl-flag")).to_have_text("edited")
    expect(b.get_by_label("Your reply to Rita Reid")).to_have_value("A draft in progress")

    # Rita deletes after confirming; a tombstone keeps Sam's reply in place.
    rita.comment(cid).get_by_role("button", name="Delete").click()
    confirm = a.locator(".bl-confirm")
    expect(confirm).to_contain_text("Delete this comment?")
    confirm.get_by_role("button", name="Keep it").click()
    expect(confirm).to_have_count(0)
    expect(rita.comment(cid).get_by_role("button", name="Delete")).to_be_focused()
    rita.comment(cid).get_by_role("button", name="Delete").click()
    a.locator(".bl-confirm").get_by_role("button", name="Delete").click()
    expect(rita.comment(cid)).to_contain_text("deleted by its author")
    expect(rita.comment(cid)).not_to_contain_text("long overdue")
    expect(a.locator(".bl-replies article", has_text="cost worries me")).to_be_visible()
    expect(sam.comment(cid)).to_contain_text("deleted by its author")
    expect(b.locator(".bl-replies article", has_text="cost worries me")).to_be_visible()
    shot(b, artifacts, "embed-desktop-after-delete")


def test_readers_who_cannot_post_see_why_and_no_form(
    service: Service, readers: Any, artifacts: Path
) -> None:
    with service.session() as s:
        poster = seed_user(s, "Priya Shah")
        seed_comment(s, poster, "Has anyone costed the *maintenance*?")
        s.commit()
    subscribe = f"{service.host.origin}/subscribe"

    anonymous = readers(service.article("/anon"))
    page = anonymous.page
    gate = page.locator('[data-role="gate"]')
    expect(gate).to_contain_text("Commenting is for subscribers")
    expect(gate).to_contain_text("free of abuse")
    expect(gate.get_by_role("link", name="Subscribe")).to_have_attribute("href", subscribe)
    expect(gate.get_by_role("link", name="Sign in")).to_have_attribute(
        "href", f"{service.host.origin}/signin"
    )
    expect(page.locator(".belowline textarea")).to_have_count(0)
    expect(page.locator(".belowline article", has_text="maintenance")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Reply"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Recommend"))).to_have_count(0)
    shot(page, artifacts, "embed-desktop-signed-out")

    token = service.publisher_token("nora", "Nora Quinn", subscriber=False)
    nonsub = readers(service.article("/nonsub", sso_token=token), PHONE)
    gate = nonsub.page.locator('[data-role="gate"]')
    expect(gate).to_contain_text("signed in as Nora Quinn")
    expect(gate).to_contain_text("does not include a subscription")
    expect(gate.get_by_role("link", name="Subscribe")).to_have_attribute("href", subscribe)
    expect(gate.get_by_role("link", name="Sign in")).to_have_count(0)
    expect(nonsub.page.locator(".belowline textarea")).to_have_count(0)
    shot(nonsub.page, artifacts, "embed-phone-non-subscriber")

    expired = int((datetime.now(UTC) - timedelta(days=3)).timestamp())
    token = service.publisher_token(
        "lena", "Lena Park", subscription_expires_at=expired, subscriber=False
    )
    lapsed = readers(service.article("/lapsed", sso_token=token))
    gate = lapsed.page.locator('[data-role="gate"]')
    expect(gate).to_contain_text("Your subscription has ended")
    expect(gate.get_by_role("link", name="Renew your subscription")).to_have_attribute(
        "href", subscribe
    )
    expect(lapsed.page.locator(".belowline textarea")).to_have_count(0)


def test_the_whole_flow_with_the_keyboard_alone(service: Service, readers: Any) -> None:
    token = service.publisher_token("kay", "Kay Adeyemi")
    reader = readers(service.article("/keyboard", sso_token=token))
    page = reader.page
    kb = page.keyboard

    tab_until(page, "el.matches('.bl-composer-new textarea')")
    kb.type("Typed without a mouse.")
    tab_until(page, "el.type === 'checkbox'")
    kb.press("Space")
    tab_until(page, "el.textContent === 'Post comment'")
    kb.press("Enter")
    posted = page.locator("article.bl-comment", has_text="without a mouse")
    expect(posted).to_be_focused()
    cid = posted.get_attribute("data-comment-id")

    # Reply, then cancel with Escape: focus returns to the Reply button.
    tab_until(page, "el.dataset.role === 'reply'")
    kb.press("Enter")
    expect(page.get_by_label("Your reply to Kay Adeyemi")).to_be_focused()
    kb.press("Escape")
    expect(reader.comment(cid).get_by_role("button", name=re.compile("^Reply"))).to_be_focused()
    kb.press("Enter")
    kb.type("And a reply, also by keyboard.")
    tab_until(page, "el.textContent === 'Post reply'")
    kb.press("Enter")
    reply = page.locator(".bl-replies article", has_text="also by keyboard")
    expect(reply).to_be_focused()
    rid = reply.get_attribute("data-comment-id")

    # Edit the reply.
    tab_until(page, "el.dataset.role === 'edit'")
    kb.press("Enter")
    expect(page.get_by_label("Edit your comment", exact=True)).to_be_focused()
    kb.press("End")
    kb.type(" Edited.")
    tab_until(page, "el.textContent === 'Save changes'")
    kb.press("Enter")
    expect(reader.comment(rid)).to_contain_text("Edited.")
    expect(reader.comment(rid)).to_be_focused()

    # Delete it: Escape backs out, Enter confirms.
    tab_until(page, "el.dataset.role === 'delete'")
    kb.press("Enter")
    expect(page.locator(".bl-confirm").get_by_role("button", name="Delete")).to_be_focused()
    kb.press("Escape")
    expect(reader.comment(rid).get_by_role("button", name="Delete")).to_be_focused()
    kb.press("Enter")
    kb.press("Enter")
    expect(reader.comment(rid)).to_contain_text("deleted by its author")
    expect(reader.comment(rid)).to_be_focused()

    # Sort with the keyboard.
    tab_until(page, "el.tagName === 'SELECT'", limit=60)
    kb.press("ArrowDown")
    expect(page.locator(".bl-select")).to_have_value("oldest")


def test_thread_paging_nesting_tombstones_and_pending(
    service: Service, readers: Any, artifacts: Path
) -> None:
    with service.session() as s:
        ann = seed_user(s, "Ann Mercer")
        ben = seed_user(s, "Ben Ito")
        for i in range(24):
            seed_comment(
                s, ann if i % 2 else ben, f"Filler comment number {i}.", minutes_ago=300 - i
            )
        top = seed_comment(s, ann, "A comment with a long conversation under it.", minutes_ago=5)
        for i in range(6):
            seed_comment(s, ben, f"Direct reply {i}.", parent=top, minutes_ago=4 - i * 0.1)
        chain = seed_comment(s, ben, "Start of a deep chain.", minutes_ago=3)
        parent = chain
        for level in range(1, 5):
            parent = seed_comment(
                s, ann if level % 2 else ben, f"Chain level {level}.", parent=parent, minutes_ago=2
            )
        removed = seed_comment(s, ben, "Something against the rules.", minutes_ago=1)
        seed_comment(s, ann, "A reply to the removed one.", parent=removed, minutes_ago=0.5)
        state.change_status(s, removed, CommentStatus.REMOVED)
        removed.removal_reason = "Removed for breaking rule 2: personal attacks."
        s.commit()

    token = service.publisher_token("ann-sso", "Ann Mercer")
    reader = readers(service.article("/thread"))
    page = reader.page
    top_level = page.locator(".belowline .bl-list > li")
    expect(top_level).to_have_count(20)
    expect(page.locator(".bl-count")).not_to_have_text("No comments yet")

    tomb = page.locator(".belowline article", has_text="This comment was removed.")
    expect(tomb).to_contain_text("rule 2: personal attacks")
    expect(tomb).not_to_contain_text("against the rules")

    # Three replies shown, then "Show 3 more replies".
    conversation = page.locator(".bl-list > li", has_text="long conversation")
    expect(conversation.locator(":scope > .bl-replies > li")).to_have_count(3)
    conversation.get_by_role("button", name="Show 3 more replies").click()
    expect(conversation.locator(":scope > .bl-replies > li")).to_have_count(6)
    expect(page.locator(".belowline article", has_text="Direct reply 3.")).to_be_focused()

    # The deep chain: two nested levels shown, the rest on request, indentation capped.
    deep = page.locator(".bl-list > li", has_text="Start of a deep chain")
    expect(deep.locator("article", has_text="Chain level 2.")).to_be_visible()
    expect(deep.locator("article", has_text="Chain level 3.")).to_have_count(0)
    deep.get_by_role("button", name=re.compile("more repl")).click()
    level3 = deep.locator("article", has_text="Chain level 3.")
    expect(level3).to_be_visible()
    expect(level3.locator(".bl-context")).to_have_text("In reply to Ben Ito")
    level2_x = deep.locator("article", has_text="Chain level 2.").bounding_box()
    level3_x = level3.bounding_box()
    assert level2_x is not None
    assert level3_x is not None
    assert level3_x["x"] == level2_x["x"]

    # Load more comments with the cursor.
    page.get_by_role("button", name="Load more comments").click()
    expect(top_level).to_have_count(27)
    expect(page.get_by_role("button", name="Load more comments")).to_be_hidden()
    expect(page.locator(".belowline article", has_text="Filler comment number 2.")).to_be_visible()
    shot(page, artifacts, "embed-desktop-long-thread")

    # Oldest first puts the first filler at the top.
    page.get_by_label("Sort by").select_option("oldest")
    expect(top_level.first).to_contain_text("Filler comment number 0.")

    # A reader's own comment awaiting review shows only to them.
    with service.session() as s:
        site = s.get(Site, SITE_ID)
        story = stories_service.find_story(s, site_id=SITE_ID, external_id="story-1")
        assert story is not None
        story.premoderate = True
        s.commit()
        assert site is not None
    ann_page = readers(service.article("/ann", sso_token=token)).page
    ann_page.get_by_label("Join the discussion").fill("Please check this one first.")
    ann_page.get_by_label("I accept the community rules").check()
    ann_page.get_by_role("button", name="Post comment").click()
    held = ann_page.locator("article.bl-pending", has_text="check this one first")
    expect(held).to_contain_text("Awaiting review")
    expect(live_region(ann_page)).to_contain_text("once a moderator has reviewed it")
    ann_page.reload()
    expect(ann_page.locator("article.bl-pending", has_text="check this one first")).to_be_visible()
    expect(page.locator(".belowline article", has_text="check this one first")).to_have_count(0)


def test_local_sign_in_inside_the_widget(service: Service, readers: Any) -> None:
    with service.session() as s:
        seed_user(s, "Lou Local", password="a long local password")
        s.commit()
    reader = readers(service.article("/local", extra_attrs="data-local-login"))
    page = reader.page
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Email").fill("lou@readers.example")
    page.get_by_label("Password").fill("wrong password here")
    page.locator(".bl-login-form").get_by_role("button", name="Sign in").click()
    expect(page.locator(".bl-login-form [role=alert]")).to_contain_text("do not match")
    page.get_by_label("Password").fill("a long local password")
    page.locator(".bl-login-form").get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Join the discussion")).to_be_focused()
    expect(page.get_by_text("Signed in as Lou Local")).to_be_visible()

    # The session lives in the host page's sessionStorage: a reload keeps it, sign out ends it.
    page.reload()
    expect(page.get_by_label("Join the discussion")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator('[data-role="gate"]')).to_be_visible()
    expect(page.locator(".belowline textarea")).to_have_count(0)


def test_report_dialog(service: Service, readers: Any, artifacts: Path) -> None:
    with urllib.request.urlopen(f"{service.base}/openapi.json") as r:  # noqa: S310
        paths = json.load(r)["paths"]
    if "/api/v1/comments/{comment_id}/reports" not in paths:
        pytest.skip("the reports API is not part of this build")
    with service.session() as s:
        poster = seed_user(s, "Rex Rude")
        seed_comment(s, poster, "You are all idiots.")
        s.commit()
    token = service.publisher_token("ria", "Ria Reporter")
    reader = readers(service.article("/report", sso_token=token))
    page = reader.page
    comment = page.locator(".belowline article", has_text="all idiots")
    opener = comment.get_by_role("button", name="Report this comment by Rex Rude")
    opener.click()
    dialog = page.get_by_role("dialog", name="Report this comment")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(opener).to_be_focused()

    opener.click()
    dialog = page.get_by_role("dialog", name="Report this comment")
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog.get_by_role("alert")).to_have_text("Choose a reason.")
    dialog.get_by_label("Something else").check()
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Describe the problem")
    dialog.get_by_label("What is the problem?").fill("Insults other readers.")
    dialog.get_by_label("Abusive or harassing").check()
    shot(page, artifacts, "embed-desktop-report-dialog")
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog).to_contain_text("Thanks — a moderator will look at this")
    dialog.get_by_role("button", name="Close").click()
    expect(comment.locator('[data-role="reported"]')).to_have_text("Reported")
    expect(comment.get_by_role("button", name=re.compile("^Report this comment"))).to_have_count(0)


def test_looks_right_on_desktop_and_phone(service: Service, browser: Any, artifacts: Path) -> None:
    with service.session() as s:
        amaka = seed_user(s, "Amaka Eze")
        tom = seed_user(s, "Tom Hardcastle")
        ruth = seed_user(s, "Ruth Lindqvist")
        first = seed_comment(
            s,
            amaka,
            "Eight to three is a clear majority. The traffic modelling in the consultation "
            "was thorough, and the east side has waited long enough for a crossing.",
            minutes_ago=42,
        )
        reply = seed_comment(
            s,
            tom,
            "Thorough? It assumed *no* growth in freight at all. I would like to see the "
            "assumptions published before the contract is signed.",
            parent=first,
            minutes_ago=30,
        )
        seed_comment(
            s,
            amaka,
            "They are in appendix C of the council papers, page 41.",
            parent=reply,
            minutes_ago=12,
        )
        seed_comment(
            s,
            ruth,
            "As a cyclist I am pleased the plans keep a separate lane. Two questions:\n\n"
            "- who pays if the budget overruns?\n- when does the ferry stop running?",
            minutes_ago=8,
        )
        first.reaction_count = 14
        s.commit()
    token = service.publisher_token("jo", "Jo Marsh")
    url = service.article("/looks", sso_token=token)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport, reduced_motion="reduce")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.goto(url)
        expect(page.locator(".belowline article", has_text="Eight to three")).to_be_visible()
        expect(page.locator(".belowline article", has_text="appendix C")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], "the widget must not scroll sideways"
        # Host styles (hot pink dashed buttons, 3em paragraph margins) must not leak in.
        post = page.get_by_role("button", name="Post comment")
        assert post.evaluate("el => getComputedStyle(el).borderStyle") == "solid"
        body_p = page.locator(".belowline .bl-body p").first
        assert body_p.evaluate("el => getComputedStyle(el).marginLeft") == "0px"
        page.locator(".belowline").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / f"embed-{name}.png"), full_page=True)
        assert not errors, errors
        context.close()


def test_catch_up_after_the_live_connection_drops(service: Service, readers: Any) -> None:
    with service.session() as s:
        ivy = seed_user(s, "Ivy Stone")
        first = seed_comment(s, ivy, "Before the connection dropped.", minutes_ago=10)
        s.commit()
        first_id = first.id
    reader = readers(service.article("/catch-up"))
    page = reader.page
    expect(reader.comment(first_id)).to_be_visible()

    # Written straight to the database: no live event, as if the reader had been offline.
    with service.session() as s:
        ivy = s.get(User, ivy.id)
        missed = seed_comment(s, ivy, "Posted while the reader was offline.", minutes_ago=1)
        edited = s.get(Comment, first_id)
        edited.body_html = "<p>Edited while the reader was offline.</p>"
        edited.version += 1
        edited.edited_at = datetime.now(UTC)
        s.commit()
        missed_id = missed.id
    page.evaluate("document.querySelector('[data-belowline]').__belowline.catchUp()")
    expect(reader.comment(missed_id)).to_contain_text("while the reader was offline")
    expect(page.locator(".belowline .bl-list > li").first).to_contain_text("offline")
    expect(reader.comment(first_id)).to_contain_text("Edited while the reader was offline.")
    expect(reader.comment(first_id).locator(".bl-flag")).to_have_text("edited")


def test_moderators_see_who_is_on_duty_in_the_widget(service: Service, readers: Any) -> None:
    with service.session() as s:
        mod = seed_user(s, "Mona Moderator", password="a long staff password")
        mod.role = "moderator"
        seed_user(s, "Rob Reader", password="a long reader password")
        s.commit()
    moderator = readers(service.article("/staff", extra_attrs="data-local-login"))
    page = moderator.page
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Email").fill("mona@readers.example")
    page.get_by_label("Password").fill("a long staff password")
    page.locator(".bl-login-form").get_by_role("button", name="Sign in").click()
    expect(page.locator('[data-role="coverage"]')).to_contain_text(re.compile("[Mm]oderat"))

    reader = readers(service.article("/staff", extra_attrs="data-local-login")).page
    reader.get_by_role("button", name="Sign in").click()
    reader.get_by_label("Email").fill("rob@readers.example")
    reader.get_by_label("Password").fill("a long reader password")
    reader.locator(".bl-login-form").get_by_role("button", name="Sign in").click()
    expect(reader.get_by_text("Signed in as Rob Reader")).to_be_visible()
    expect(reader.locator('[data-role="coverage"]')).to_have_count(0)
