"""Q&A mode from the dashboard (CSRF, audited) and from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from belowline import migrate
from belowline.cli import app
from belowline.clock import system_clock
from belowline.comments import service as comments_service
from belowline.db import make_engine, make_sessionmaker
from belowline.models import AuditEntry, QaExpert, QaQuestion, QaStory
from belowline.stories import service as stories_service
from tests.cast import Cast, post
from tests.dashboard.test_pages import BASE, sign_in
from tests.factories import make_user, make_world

QA_PAGE = "/moderate/stories/story-1/qa"


def test_the_dashboard_runs_a_storys_qa(
    client: TestClient, cast: Cast, session: Session, client_factory: Callable[..., TestClient]
) -> None:
    post(client, cast, cast.author, "Before the Q&A.")
    browser = client_factory(base_url=BASE, follow_redirects=False)
    csrf = sign_in(browser, cast.mod)
    assert 'data-role="qa-link"' in browser.get("/moderate/stories").text
    page = browser.get(QA_PAGE)
    assert page.status_code == 200 and "Off: an ordinary comment thread" in page.text
    # Without the CSRF token nothing changes.
    assert browser.post(f"{QA_PAGE}/mode", data={"mode": "open"}).status_code == 403
    r = browser.post(f"{QA_PAGE}/mode", data={"mode": "open", "csrf_token": csrf})
    assert r.status_code == 303 and r.headers["location"] == QA_PAGE
    r = browser.post(f"{QA_PAGE}/experts", data={"who": cast.reader2.email, "csrf_token": csrf})
    assert r.status_code == 303
    nobody = browser.post(f"{QA_PAGE}/experts", data={"who": "nobody@x.org", "csrf_token": csrf})
    assert nobody.status_code == 404
    question = post(client, cast, cast.reader, "What does the dashboard show?")
    page = browser.get(QA_PAGE).text
    assert "Open: readers ask, experts answer" in page and "Rob Reader" in page
    assert f'data-question="{question}"' in page and "Unanswered" in page
    r = browser.post(
        f"{QA_PAGE}/questions/{question}/assign",
        data={"expert_id": str(cast.reader2.id), "csrf_token": csrf},
    )
    assert r.status_code == 303
    bad = browser.post(
        f"{QA_PAGE}/questions/{question}/assign", data={"expert_id": "x1", "csrf_token": csrf}
    )
    assert bad.status_code == 422
    session.expire_all()
    row = session.get(QaQuestion, question)
    assert row is not None and row.assignee_id == cast.reader2.id
    assert f'value="{cast.reader2.id}" selected' in browser.get(QA_PAGE).text
    filtered = browser.get(QA_PAGE, params={"filter": "answered"}).text
    assert f'data-question="{question}"' not in filtered
    r = browser.post(f"{QA_PAGE}/experts/{cast.reader2.id}/remove", data={"csrf_token": csrf})
    assert r.status_code == 303
    r = browser.post(f"{QA_PAGE}/mode", data={"mode": "closed", "csrf_token": csrf})
    assert (
        r.status_code == 303 and "Closed: questions and answers stay" in browser.get(QA_PAGE).text
    )
    actions = [a.action for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-5:] == [
        "qa.open",
        "qa.expert_add",
        "qa.assign",
        "qa.expert_remove",
        "qa.closed",
    ]
    stranger = client_factory(base_url=BASE, follow_redirects=False)
    assert stranger.get(QA_PAGE).status_code == 303  # to the sign-in page
    other = client_factory(base_url=BASE, follow_redirects=False)
    other_csrf = sign_in(other, cast.other_mod, site_id="courier")
    r = other.post(f"{QA_PAGE}/mode", data={"mode": "off", "csrf_token": other_csrf})
    assert r.status_code == 303  # the courier's own story-1: the desk is scoped to its site
    session.expire_all()
    gazette = stories_service.get_story(session, site_id="gazette", external_id="story-1")
    assert session.get(QaStory, gazette.id).mode == "closed"  # type: ignore[union-attr]


def test_the_command_line_runs_a_storys_qa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    session = make_sessionmaker(engine)()
    now = system_clock()
    world = make_world(session, now)
    expert = make_user(session, world.site, now, email="Expert@Example.com", name="Eva Expert")
    reader = make_user(session, world.site, now, name="Rita Reader")
    story = stories_service.upsert_story(
        session, site_id="gazette", external_id="bridge", title="The bridge", url="", now=now
    )
    question = comments_service.post_comment(
        session,
        site=world.site,
        story=story,
        author=reader,
        body="When does it open?",
        parent_id=None,
        accept_terms_version=None,
        now=now,
    )
    session.commit()
    monkeypatch.setenv("BELOWLINE_DATABASE_URL", url)
    monkeypatch.setenv("BELOWLINE_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    base = ["--site", "gazette", "--story", "bridge"]
    r = runner.invoke(app, ["qa", "mode", *base, "open"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {"story_id": "bridge", "mode": "open"}
    r = runner.invoke(app, ["qa", "mode", *base, "sideways"])
    assert r.exit_code == 1 and "validation_error" in r.output
    r = runner.invoke(app, ["qa", "expert", "add", *base, "--who", "expert@example.com"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["experts"] == ["Eva Expert"]
    r = runner.invoke(app, ["qa", "expert", "add", *base, "--who", "ghost@example.com"])
    assert r.exit_code == 1 and "user_not_found" in r.output
    r = runner.invoke(
        app,
        [
            "qa",
            "assign",
            "--site",
            "gazette",
            "--question",
            str(question.id),
            "--who",
            str(expert.id),
        ],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app,
        [
            "qa",
            "assign",
            "--site",
            "gazette",
            "--question",
            str(question.id),
            "--who",
            str(reader.id),
        ],
    )
    assert r.exit_code == 1 and "not_an_expert" in r.output
    session.expire_all()
    assert session.get(QaStory, story.id).mode == "open"  # type: ignore[union-attr]
    assert session.get(QaExpert, (story.id, expert.id)) is not None
    assert session.get(QaQuestion, question.id).assignee_id == expert.id  # type: ignore[union-attr]
    actions = [a.action for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["qa.open", "qa.expert_add", "qa.assign"]
    assert all(
        a.actor_id is None for a in session.scalars(select(AuditEntry))
    )  # the operator, not a person
