"""What readers expect of a comment section, in real Chromium against the real service.

Their own data (preferences, download, deletion), permalinks to deep replies, muting another
reader across devices, the edit countdown, the composer's preview and the skip link.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from belowline.mail.models import ReaderPreferences
from tests.browser import test_embed
from tests.browser.conftest import Service
from tests.browser.test_embed import live_region, seed_comment, seed_user, shot
from tests.browser.test_embed_fixes import post, user_named

pytestmark = pytest.mark.browser
readers = test_embed.readers


def test_a_reader_keeps_their_preferences_downloads_and_deletes_their_data(
    service: Service, readers: Any, artifacts: Path
) -> None:
    rita = readers(service.article("/rita", sso_token=service.publisher_token("rita", "Rita Reid")))
    page = rita.page
    post(page, "The east side deserves the bridge.", first=True)
    page.get_by_role("button", name="Your account").click()
    panel = page.locator('[data-role="account-panel"]')
    replies = panel.get_by_label("Replies to my comments")
    expect(replies).not_to_be_checked()  # the default
    expect(panel.get_by_label("Moderators' decisions about my comments")).to_be_checked()
    replies.check()
    expect(panel.get_by_role("status")).to_have_text("Your email preferences are saved.")
    panel.get_by_label("What happened to my reports").uncheck()
    expect(panel.get_by_label("What happened to my reports")).not_to_be_checked()
    page.wait_for_timeout(300)
    rita_id = user_named(service, "Rita Reid").id
    with service.session() as s:
        prefs = s.get(ReaderPreferences, rita_id)
        assert prefs is not None
        assert prefs.email_replies is True and prefs.email_report_outcomes is False
    shot(page, artifacts, "embed-account-panel")

    with page.expect_download() as info:
        panel.get_by_role("button", name="Download my data").click()
    download = info.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(Path(download.path()).read_text("utf-8"))
    assert data["preferences"]["email_replies"] is True
    assert any("east side" in json.dumps(c) for c in data["comments"])

    panel.get_by_role("button", name="Delete my account").click()
    dialog = page.locator('[data-role="erase-dialog"]')
    expect(dialog).to_contain_text("This cannot be undone")
    expect(dialog.get_by_role("button", name="Keep my account")).to_be_focused()
    dialog.get_by_role("button", name="Delete my account").click()
    expect(live_region(page)).to_have_text("Your account was deleted.")
    expect(page.locator('[data-role="account"]')).to_be_hidden()
    expect(page.locator(".bl-list")).not_to_contain_text("Rita Reid")
    expect(page.locator(".belowline")).not_to_contain_text("Signed in as")


def test_a_permalink_opens_a_deep_reply_not_on_the_first_page(
    service: Service, readers: Any
) -> None:
    with service.session() as s:
        ann = seed_user(s, "Ann Mercer")
        bob = seed_user(s, "Bob Tran")
        root = seed_comment(s, ann, "The oldest thought of all.", minutes_ago=600)
        chain = root
        for level in range(4):
            chain = seed_comment(
                s,
                bob if level % 2 == 0 else ann,
                f"Reply at level {level + 1}.",
                parent=chain,
                minutes_ago=500 - level,
            )
        for i in range(24):
            seed_comment(s, bob, f"Newer comment number {i}.", minutes_ago=100 - i)
        s.commit()
        deep_id, root_id = chain.id, root.id
    url = service.article("/deep") + f"#comment-{deep_id}"
    anon = readers(url)
    page = anon.page
    target = anon.comment(deep_id)
    expect(target).to_be_visible()
    expect(target).to_have_class(re.compile("bl-target"))
    expect(target).to_be_focused()
    expect(target).to_contain_text("Reply at level 4.")
    expect(anon.comment(root_id)).to_contain_text("The oldest thought of all.")
    expect(page.locator('[data-role="more-replies"]')).to_have_count(0)
    assert page.evaluate(
        "(id) => { const r = document.querySelector(`[data-comment-id='${id}']`)"
        ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
        deep_id,
    )
    # The comment's own link is the permalink; a long thread offers a skip link past it.
    link = target.get_by_role("link", name="Link to this comment by Ann Mercer")
    expect(link).to_have_attribute("href", f"#comment-{deep_id}")
    skip = page.get_by_role("link", name="Skip past the comments")
    expect(skip).to_be_visible()
    skip.click()
    expect(page.locator(".belowline .bl-sr[tabindex='-1']")).to_be_focused()


def test_muting_a_reader_collapses_their_comments_on_every_device(
    service: Service, readers: Any, artifacts: Path
) -> None:
    with service.session() as s:
        ann = seed_user(s, "Ann Mercer")
        seed_comment(s, ann, "Everyone else is wrong about the bridge.", minutes_ago=20)
        s.commit()
    token = service.publisher_token("rita", "Rita Reid")
    rita = readers(service.article("/rita", sso_token=token))
    page = rita.page
    card = page.locator("article.bl-comment", has_text="Everyone else is wrong")
    card.get_by_role("button", name="Mute Ann Mercer").click()
    muted = page.locator('[data-role="muted"]')
    expect(muted).to_contain_text("A comment by Ann Mercer, whom you muted.")
    expect(page.locator(".belowline")).not_to_contain_text("Everyone else is wrong")
    expect(live_region(page)).to_contain_text("You muted Ann Mercer.")
    shot(page, artifacts, "embed-muted-comment")

    # Another device: the mute came from the server, not this browser's storage.
    phone = readers(service.article("/rita2", sso_token=token), test_embed.PHONE)
    expect(phone.page.locator('[data-role="muted"]')).to_have_count(1)
    phone.page.get_by_role("button", name="Show it").click()
    shown = phone.page.locator("article.bl-comment", has_text="Everyone else is wrong")
    expect(shown).to_be_visible()
    shown.get_by_role("button", name="Unmute Ann Mercer").click()
    expect(phone.page.locator(".belowline")).to_contain_text("Everyone else is wrong")
    # Anyone else (and the shared page cache) always saw the comment.
    anon = readers(service.article("/anon"))
    expect(anon.page.locator(".belowline")).to_contain_text("Everyone else is wrong")
    expect(anon.page.locator('[data-role="muted"]')).to_have_count(0)


def test_the_edit_countdown_and_the_preview(service: Service, readers: Any) -> None:
    rita = readers(service.article("/rita", sso_token=service.publisher_token("rita", "Rita Reid")))
    page = rita.page
    box = page.get_by_label("Join the discussion")
    box.fill("A **bold** claim <b>and</b> [a link](https://example.org)")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview of your comment")
    expect(preview.locator("strong")).to_have_text("bold")
    expect(preview.locator("a")).to_have_attribute("href", "https://example.org")
    expect(preview.locator("b")).to_have_count(0)
    page.locator('[data-role="format-help"] summary').click()
    expect(page.locator('[data-role="format-help"]')).to_contain_text("**bold** for bold")
    box.fill("")
    cid = post(page, "Edit me while you can.", first=True)
    card = rita.comment(cid)
    countdown = card.locator('[data-role="edit-countdown"]')
    expect(countdown).to_have_text(re.compile(r"^You can edit for 4:5\d$"))
    first = countdown.text_content()
    page.wait_for_timeout(2100)
    assert countdown.text_content() != first  # it ticks
    edit = card.get_by_role("button", name=re.compile("^Edit your comment from "))
    expect(edit).to_be_visible()
    expect(
        card.get_by_role("button", name=re.compile("^Delete your comment from "))
    ).to_be_visible()
