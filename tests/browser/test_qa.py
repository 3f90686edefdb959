"""Q&A mode in real Chromium: a reader asks, an expert answers, the filters split them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from belowline.demo.qa import QA_SLUG
from belowline.qa import service as qa_service
from tests.browser import test_demo_site, test_embed
from tests.browser.conftest import SITE_ID, Service
from tests.browser.test_embed import live_region, seed_comment, seed_user, shot

pytestmark = pytest.mark.browser
readers = test_embed.readers
demo = test_demo_site.demo
EXPERT_PASSWORD = "an expert's long password"


def test_a_reader_asks_an_expert_answers_and_the_filters_work(
    service: Service, readers: Any, artifacts: Path
) -> None:
    with service.session() as s:
        eva = seed_user(s, "Eva Engineer", password=EXPERT_PASSWORD)
        ann = seed_user(s, "Ann Mercer")
        seed_comment(s, ann, "Will the new bridge have a **cycle lane**?", minutes_ago=90)
        now = datetime.now(UTC)
        qa_service.set_mode(
            s, actor=None, site_id=SITE_ID, story_id="story-1", mode="open", now=now
        )
        qa_service.add_expert(
            s, actor=None, site_id=SITE_ID, story_id="story-1", user_id=eva.id, now=now
        )
        s.commit()

    rita = readers(service.article("/qa", sso_token=service.publisher_token("rita", "Rita Reid")))
    page = rita.page
    qa = page.locator('[data-role="qa"]')
    expect(qa.get_by_role("heading", name="Questions")).to_be_visible()
    expect(qa).to_contain_text("Will the new bridge have a cycle lane?")
    expect(page.locator(".bl-list")).to_be_hidden()  # the Q&A takes the thread's place
    expect(page.locator(".bl-toolbar")).to_be_hidden()
    page.get_by_label("Ask a question").fill("When does the work on the bridge start?")
    page.get_by_label("I accept the community rules").check()
    page.get_by_role("button", name="Send question").click()
    mine = qa.locator(".bl-qa-item", has_text="When does the work on the bridge start?")
    expect(mine).to_be_visible()
    expect(mine.locator('[data-role="unanswered"]')).to_have_text("Waiting for an answer")
    expect(page.get_by_role("button", name="Send question")).to_be_visible()  # still asking
    expect(qa.locator('[data-role="answer-btn"]')).to_have_count(0)  # readers do not answer
    expect(qa.locator('[data-role="qa-count"]')).to_have_text("2 questions")
    shot(page, artifacts, "qa-reader-asks")

    expert = readers(service.article("/qa-expert", extra_attrs="data-local-login"))
    epage = expert.page
    epage.get_by_role("button", name="Sign in").click()
    epage.get_by_label("Email").fill("eva@readers.example")
    epage.get_by_label("Password").fill(EXPERT_PASSWORD)
    epage.locator(".bl-login-form").get_by_role("button", name="Sign in").click()
    expect(epage.get_by_text("Signed in as Eva Engineer")).to_be_visible()
    eqa = epage.locator('[data-role="qa"]')
    question = eqa.locator(".bl-qa-item", has_text="When does the work on the bridge start?")
    question.get_by_role("button", name="Answer the question from Rita Reid").click()
    box = question.locator("textarea")
    expect(box).to_be_focused()
    box.fill("Next autumn, says the council: the southbound lane closes first.")
    question.get_by_role("button", name="Publish answer").click()
    expect(live_region(epage)).to_have_text("Your answer is published.")
    answer = question.locator('[data-role="answer"]')
    expect(answer).to_contain_text("Next autumn, says the council")
    expect(answer).to_contain_text("Eva Engineer")
    expect(answer).to_contain_text("Expert")
    expect(question.locator('[data-role="answered"]')).to_have_text("Answered")
    shot(epage, artifacts, "qa-expert-answers")

    # The reader's page follows live: the answer appears under the question, marked Answered.
    expect(mine.locator('[data-role="answer"]')).to_contain_text("Next autumn")
    expect(mine.locator('[data-role="answered"]')).to_have_text("Answered")
    filters = qa.locator(".bl-qa-filters")
    filters.get_by_role("button", name=re.compile(r"^Answered")).click()
    expect(filters.get_by_role("button", name=re.compile(r"^Answered"))).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(qa.locator(".bl-qa-item")).to_have_count(1)
    expect(qa.locator(".bl-qa-item")).to_contain_text("When does the work on the bridge start?")
    shot(page, artifacts, "qa-filter-answered")
    filters.get_by_role("button", name="Waiting for an answer (1)").click()
    expect(qa.locator(".bl-qa-item")).to_have_count(1)
    expect(qa.locator(".bl-qa-item")).to_contain_text("cycle lane")
    expect(qa.locator('.bl-qa-item [data-role="answer"]')).to_have_count(0)
    filters.get_by_role("button", name="All questions (2)").click()
    expect(qa.locator(".bl-qa-item")).to_have_count(2)
    shot(page, artifacts, "qa-filter-all")


def test_the_demo_newspaper_has_a_qa_story(demo: Any, browser: Any, artifacts: Path) -> None:
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(f"{demo.site}/signin")
        page.get_by_label("Email").fill("sam@demo.test")
        page.get_by_label("Password").fill("demo-pass")
        page.locator("form.form").get_by_role("button").click()
        page.goto(f"{demo.site}/news/{QA_SLUG}")
        qa = page.locator('[data-role="qa"]')
        expect(qa.locator(".bl-qa-item")).to_have_count(6)
        expect(qa.locator('[data-role="answer"]')).to_have_count(3)
        expect(qa.locator('[data-role="answer"]').first).to_contain_text("Expert")
        qa.get_by_role("button", name="Waiting for an answer (3)").click()
        expect(qa.locator('[data-role="answer"]')).to_have_count(0)
        expect(qa.locator(".bl-qa-item")).to_have_count(3)
        qa.get_by_role("button", name="All questions (6)").click()
        page.get_by_label("Ask a question").fill("Will the towpath stay open during the works?")
        page.get_by_label("I accept the community rules").check()
        page.get_by_role("button", name="Send question").click()
        expect(qa.locator(".bl-qa-item").first).to_contain_text("towpath")
        expect(qa.locator('[data-role="qa-count"]')).to_have_text("7 questions")
        shot(page, artifacts, "qa-demo-story")

        # The newsroom's side: the dashboard's Q&A page assigns the reader's new question.
        desk = ctx.new_page()
        desk.goto(f"{demo.service}/moderate/login")
        desk.get_by_label("Email").fill("mo@demo.test")
        desk.get_by_label("Password").fill("demo-pass")
        desk.get_by_role("button", name="Sign in").click()
        expect(desk.get_by_role("navigation", name="Queues")).to_be_visible()
        desk.goto(f"{demo.service}/moderate/stories/{QA_SLUG}/qa")
        expect(desk.get_by_text("Open: readers ask, experts answer")).to_be_visible()
        asked = desk.locator("[data-question]", has_text="towpath")
        asked.get_by_label("Assigned to").select_option(label="Megan Holt")
        asked.get_by_role("button", name="Assign").click()
        asked = desk.locator("[data-question]", has_text="towpath")
        expect(asked.get_by_label("Assigned to")).to_have_value(re.compile(r"^\d+$"))
        desk.screenshot(path=str(artifacts / "qa-dashboard.png"), full_page=True)
    finally:
        ctx.close()
