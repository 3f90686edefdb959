"""Every moderation and admin endpoint × every role → the expected status (and code)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from belowline.accounts.models import Role, User
from belowline.app import create_app
from belowline.clock import FrozenClock
from belowline.comments.cache import LocalPageCache
from belowline.db import make_engine, make_sessionmaker
from belowline.settings import Settings
from tests.cast import Cast, make_cast, post, report
from tests.factories import TEST_SECRET, make_user
from tests.snapshot import Snapshot, emptied_postgres, sqlite_engine

ROLES = ("anonymous", "commenter", "moderator", "other_site_moderator", "admin")


@dataclass
class Scene:
    cast: Cast
    comment_id: int
    sanction_id: int
    appeal_id: int
    webhook_id: int
    notice_id: int
    uk_notice_id: int
    form_token: str


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # formatted with the scene's ids
    body: dict[str, Any] | None
    expect: tuple[int, int, int, int, int]  # in ROLES order


STAFF = (401, 403, 200, 403, 200)
STAFF_WRITE = (401, 403, 201, 403, 201)
ADMIN = (401, 403, 403, 403, 200)
# One's own staff preference: any staff member, whatever the site.
STAFF_ANY_SITE = (401, 403, 200, 200, 200)
# One's own reader preference: anyone signed in, whatever the role or site.
SIGNED_IN = (401, 200, 200, 200, 200)

ADMIN_WRITE = (401, 403, 403, 403, 201)
HOOK = "https://93.184.215.14/hooks/comments"  # a public address literal: no DNS needed

ENDPOINTS = [
    *(
        Endpoint(f"queue {q}", "GET", f"/api/v1/moderation/queues/{q}?site_id=gazette", None, STAFF)
        for q in ("reported", "flagged", "held", "decided")
    ),
    Endpoint(
        "decide",
        "POST",
        "/api/v1/moderation/comments/{comment}/decisions",
        {"action": "approve", "rule_id": "respect"},
        STAFF_WRITE,
    ),
    Endpoint(
        "bulk decide",
        "POST",
        "/api/v1/moderation/bulk-decisions",
        {"comment_ids": ["{comment}"], "action": "approve", "rule_id": "respect"},
        STAFF,
    ),
    Endpoint(
        "sanction",
        "POST",
        "/api/v1/moderation/users/{author}/sanctions",
        {"kind": "warn", "rule_id": "respect"},
        STAFF_WRITE,
    ),
    Endpoint(
        "lift sanction",
        "POST",
        "/api/v1/moderation/users/{author}/sanctions/{sanction}/lift",
        {"note": "lifted"},
        ADMIN,
    ),
    Endpoint("user history", "GET", "/api/v1/moderation/users/{author}", None, STAFF),
    Endpoint("user note", "POST", "/api/v1/moderation/users/{author}", {"note": "hm"}, STAFF_WRITE),
    Endpoint("audit log", "GET", "/api/v1/moderation/audit?site_id=gazette", None, ADMIN),
    Endpoint("audit csv", "GET", "/api/v1/moderation/audit.csv?site_id=gazette", None, ADMIN),
    Endpoint(
        "volume chart svg",
        "GET",
        "/api/v1/sites/gazette/moderation/charts/volume.svg",
        None,
        ADMIN,
    ),
    Endpoint(
        "report comment",
        "POST",
        "/api/v1/comments/{comment}/reports",
        {"reason": "spam"},
        (401, 201, 201, 404, 201),
    ),
    Endpoint(
        "my notifications", "GET", "/api/v1/me/notifications", None, (401, 200, 200, 200, 200)
    ),
    Endpoint("my preferences", "GET", "/api/v1/me/preferences", None, (401, 200, 200, 200, 200)),
    Endpoint(
        "change my preferences",
        "PUT",
        "/api/v1/me/preferences",
        {"email_replies": True},
        (401, 200, 200, 200, 200),
    ),
    Endpoint("export my data", "GET", "/api/v1/me/export", None, (401, 200, 200, 200, 200)),
    Endpoint(
        "data request: export",
        "GET",
        "/api/v1/sites/gazette/privacy/export?user_id={author}",
        None,
        ADMIN,
    ),
    Endpoint(
        "data request: erase",
        "POST",
        "/api/v1/sites/gazette/privacy/erase",
        {"user_id": "{author}", "confirm": True},
        ADMIN,
    ),
    Endpoint("privacy settings", "GET", "/api/v1/sites/gazette/privacy/settings", None, ADMIN),
    Endpoint(
        "change privacy settings",
        "PUT",
        "/api/v1/sites/gazette/privacy/settings",
        {"mail_days": 60},
        ADMIN,
    ),
    Endpoint(
        "transparency report",
        "GET",
        "/api/v1/sites/gazette/transparency?from=2026-11-01&to=2026-12-31",
        None,
        ADMIN,
    ),
    Endpoint(
        "transparency csv",
        "GET",
        "/api/v1/sites/gazette/transparency?from=2026-11-01&to=2026-12-31&format=csv",
        None,
        ADMIN,
    ),
    Endpoint(
        "statements export",
        "GET",
        "/api/v1/sites/gazette/transparency/statements?from=2026-11-01&to=2026-12-31",
        None,
        ADMIN,
    ),
    Endpoint("appeals", "GET", "/api/v1/moderation/appeals?site_id=gazette", None, STAFF),
    Endpoint(
        "resolve appeal",
        "POST",
        "/api/v1/moderation/appeals/{appeal}/resolve",
        {"outcome": "upheld", "note": "The rule was applied fairly."},
        (401, 403, 200, 404, 200),
    ),
    Endpoint(
        "notices queue",
        "GET",
        "/api/v1/moderation/queues/notices?site_id=gazette",
        None,
        STAFF,
    ),
    Endpoint(
        "notice form",
        "GET",
        "/api/v1/sites/gazette/notices/form",
        None,
        (200, 200, 200, 200, 200),
    ),
    Endpoint(
        "file notice",  # anyone: the comment is on this site, so even another site's moderator
        "POST",
        "/api/v1/sites/gazette/notices",
        {
            "comment_id": "{comment}",
            "reason": "other",
            "explanation": "This comment is not what it seems.",
            "email": "someone@example.org",
            "good_faith": True,
            "form_token": "{form_token}",
        },
        (201, 201, 201, 201, 201),
    ),
    Endpoint(
        "decide notice",
        "POST",
        "/api/v1/moderation/notices/{notice}/decision",
        {"outcome": "no_action", "reason": "Fair comment."},
        (401, 403, 200, 404, 200),
    ),
    Endpoint(
        "notice route",
        "POST",
        "/api/v1/moderation/notices/{uk_notice}/route",
        {"route": "contact_poster"},
        (401, 403, 200, 404, 200),
    ),
    Endpoint(
        "notice disclose",  # reached by moderators, refused until the poster consents
        "POST",
        "/api/v1/moderation/notices/{uk_notice}/disclose",
        None,
        (401, 403, 409, 404, 409),
    ),
    Endpoint(
        "my notices of complaint", "GET", "/api/v1/me/notices", None, (401, 200, 200, 200, 200)
    ),
    Endpoint(
        "poster reply",
        "POST",
        "/api/v1/me/notices/{uk_notice}/reply",
        {"choice": "remove"},
        (401, 404, 404, 404, 404),  # only the poster, once they have been told
    ),
    Endpoint(
        "file appeal",
        "POST",
        "/api/v1/me/appeals",
        {"sanction_id": "{sanction}", "statement": "Please look again."},
        (401, 403, 403, 404, 403),  # only the sanctioned author may appeal
    ),
    Endpoint("site settings", "GET", "/api/v1/sites/gazette", None, ADMIN),
    Endpoint(
        "change site settings",
        "PATCH",
        "/api/v1/sites/gazette",
        {"edit_window_seconds": 600, "triage": {"banned_words": ["dolt"]}},
        ADMIN,
    ),
    Endpoint(
        "triage preview",
        "POST",
        "/api/v1/sites/gazette/triage/preview",
        {"thresholds": {"full": {"abuse": {"flag": 0.1}}}},
        ADMIN,
    ),
    Endpoint("search people", "GET", "/api/v1/sites/gazette/users?q=reader", None, STAFF),
    Endpoint(
        "change role",
        "PATCH",
        "/api/v1/sites/gazette/users/{author}",
        {"role": "moderator"},
        ADMIN,
    ),
    Endpoint(
        "invite staff",
        "POST",
        "/api/v1/sites/gazette/invitations",
        {"email": "invitee@example.com", "role": "moderator"},
        (401, 403, 403, 403, 201),
    ),
    Endpoint(
        "accept invitation (no such link)",
        "POST",
        "/api/v1/invitations/not-a-real-token/accept",
        {"password": "a long enough password"},
        (404, 404, 404, 404, 404),
    ),
    Endpoint("site locale", "PUT", "/api/v1/sites/gazette/locale", {"locale": "cy"}, ADMIN),
    Endpoint("feature", "PUT", "/api/v1/moderation/comments/{comment}/feature", None, STAFF),
    Endpoint("unfeature", "DELETE", "/api/v1/moderation/comments/{comment}/feature", None, STAFF),
    Endpoint(
        "announce",
        "PUT",
        "/api/v1/sites/gazette/stories/story-1/announcement",
        {"text": "Comments close at six."},
        STAFF,
    ),
    Endpoint(
        "unannounce",
        "DELETE",
        "/api/v1/sites/gazette/stories/story-1/announcement",
        None,
        (401, 403, 204, 403, 204),
    ),
    Endpoint("webhooks", "GET", "/api/v1/sites/gazette/webhooks", None, ADMIN),
    Endpoint(
        "add webhook",
        "POST",
        "/api/v1/sites/gazette/webhooks",
        {"url": HOOK, "events": ["comment.created"]},
        ADMIN_WRITE,
    ),
    Endpoint(
        "remove webhook",
        "DELETE",
        "/api/v1/sites/gazette/webhooks/{webhook}",
        None,
        (401, 403, 403, 403, 204),
    ),
    Endpoint(
        "mute a reader",
        "PUT",
        "/api/v1/me/mutes/{author}",
        None,
        (401, 200, 200, 404, 200),  # a reader of another site is no one to mute
    ),
    Endpoint(
        "unmute a reader", "DELETE", "/api/v1/me/mutes/{author}", None, (401, 200, 200, 200, 200)
    ),
    Endpoint("a permalink's path", "GET", "/api/v1/comments/{comment}/context", None, (200,) * 5),
    Endpoint("preview", "POST", "/api/v1/preview", {"body": "*hi*"}, (401, 200, 200, 200, 200)),
    Endpoint("q&a page", "GET", "/api/v1/sites/gazette/stories/story-1/qa", None, (200,) * 5),
    Endpoint(
        "q&a mode",
        "PUT",
        "/api/v1/sites/gazette/stories/story-1/qa",
        {"mode": "closed"},
        STAFF,
    ),
    Endpoint(
        "name a q&a expert",
        "PUT",
        "/api/v1/sites/gazette/stories/story-1/qa/experts/{author}",
        None,
        STAFF,
    ),
    Endpoint(
        "remove a q&a expert",
        "DELETE",
        "/api/v1/sites/gazette/stories/story-1/qa/experts/{expert}",
        None,
        (401, 403, 204, 403, 204),
    ),
    Endpoint(
        "assign a question",
        "PUT",
        "/api/v1/qa/questions/{comment}/assignee",
        {"expert_id": "{expert}"},
        STAFF,
    ),
    Endpoint(
        "unassign a question",
        "DELETE",
        "/api/v1/qa/questions/{comment}/assignee",
        None,
        STAFF,
    ),
    Endpoint(
        "answer a question",  # the story's designated expert (here the moderator) only
        "POST",
        "/api/v1/qa/questions/{comment}/answer",
        {"body": "The council says spring."},
        (401, 403, 201, 404, 403),
    ),
    Endpoint("dashboard language", "GET", "/api/v1/me/dashboard-locale", None, STAFF_ANY_SITE),
    Endpoint(
        "choose the dashboard language",
        "PUT",
        "/api/v1/me/dashboard-locale",
        {"locale": "fr"},
        STAFF_ANY_SITE,
    ),
    Endpoint("reader language", "GET", "/api/v1/me/locale", None, SIGNED_IN),
    Endpoint("choose one's language", "PUT", "/api/v1/me/locale", {"locale": "cy"}, SIGNED_IN),
]


@pytest.fixture(scope="module")
def built(
    migrated_template: Path | str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Scene, datetime, Snapshot]]:
    """The scene, made once through the API; each test starts from a copy of what it left."""
    workdir = tmp_path_factory.mktemp("matrix")
    snapshot = Snapshot(migrated_template, workdir)

    def build(engine: Engine) -> tuple[Scene, datetime]:
        clock = FrozenClock()
        settings = Settings(
            environment="test", data_dir=workdir, secret_key=TEST_SECRET,
            rate_limit_enabled=False, periodic_jobs=False, release_memory_on_start=False,
        )  # fmt: skip
        with TestClient(create_app(settings, clock=clock, engine=engine)) as client:
            session = make_sessionmaker(engine)()
            try:
                return _make_scene(client, session, clock), clock()
            finally:
                session.close()

    scene, at = snapshot.take(build, empty=emptied_postgres)
    yield scene, at, snapshot
    snapshot.drop()


@pytest.fixture(scope="module")
def served(
    built: tuple[Scene, datetime, Snapshot], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[FastAPI, Engine, Path]]:
    """One app for every cell, as a server serves every request: an app builds each route's
    state at its first requests, which was most of a cell's time when each cell made its own.
    Each cell still gets the scene put back beneath it (`app` below)."""
    workdir = tmp_path_factory.mktemp("matrix-app")
    template = built[2].template
    engine = make_engine(template) if isinstance(template, str) else sqlite_engine(workdir / "db")
    settings = Settings(
        environment="test", data_dir=workdir, secret_key=TEST_SECRET, rate_limit_enabled=False,
        periodic_jobs=False, semantic_tier=False, release_memory_on_start=False,
    )  # fmt: skip
    yield create_app(settings, clock=FrozenClock(built[1]), engine=engine), engine, workdir
    engine.dispose()


@pytest.fixture
def app(built: tuple[Scene, datetime, Snapshot], served: tuple[FastAPI, Engine, Path]) -> FastAPI:
    """The shared app over exactly the scene: its connections closed, the rows (and, on
    SQLite, the file) put back, its clock at the scene's time, its thread-page cache empty."""
    _scene, at, snapshot = built
    app, engine, workdir = served
    engine.dispose()
    if isinstance(snapshot.template, str):
        snapshot.restore(workdir, empty=emptied_postgres).dispose()
    else:
        for leftover in ("db-wal", "db-shm"):
            (workdir / leftover).unlink(missing_ok=True)
        shutil.copy(snapshot.file, workdir / "db")
    app.state.clock.at = at
    cache = app.state.page_cache
    if isinstance(cache, LocalPageCache):
        cache._data.clear()
    return app


@pytest.fixture
def clock(app: FastAPI) -> FrozenClock:
    clock: FrozenClock = app.state.clock
    return clock


@pytest.fixture
def scene(built: tuple[Scene, datetime, Snapshot], clock: FrozenClock) -> Scene:
    return replace(built[0], cast=replace(built[0].cast, clock=clock))


def _make_scene(client: TestClient, session: Session, clock: FrozenClock) -> Scene:
    cast = make_cast(session, clock)
    comment_id = post(client, cast, cast.author, "A comment everyone argues about")
    assert report(client, cast, cast.reader2, comment_id).status_code == 201
    r = client.post(
        f"/api/v1/moderation/users/{cast.author.id}/sanctions",
        json={"kind": "premoderate", "rule_id": "respect"},
        headers=cast.h(cast.mod),
    )
    assert r.status_code == 201, r.text
    sanction_id = r.json()["id"]
    # Removed by a third moderator, so both the moderator and the admin may resolve the appeal.
    decider = make_user(session, cast.world.site, clock(), role=Role.MODERATOR, name="Dee Decider")
    removed = post(client, cast, cast.author, "A comment a moderator removed")
    r = client.post(
        f"/api/v1/moderation/comments/{removed}/decisions",
        json={"action": "remove", "rule_id": "respect"},
        headers=cast.h(decider),
    )
    assert r.status_code == 201, r.text
    r = client.post(
        "/api/v1/me/appeals",
        json={"decision_id": r.json()["decision"]["id"], "statement": "It was fair comment."},
        headers=cast.h(cast.author),
    )
    assert r.status_code == 201, r.text
    appeal_id = r.json()["id"]
    r = client.post(
        "/api/v1/sites/gazette/webhooks",
        json={"url": HOOK, "events": ["comment.decided"]},
        headers=cast.h(cast.admin),
    )
    assert r.status_code == 201, r.text
    webhook_id = r.json()["id"]
    r = client.put(
        "/api/v1/sites/gazette/stories/story-1/qa", json={"mode": "open"}, headers=cast.h(cast.mod)
    )
    assert r.status_code == 200, r.text
    r = client.put(
        f"/api/v1/sites/gazette/stories/story-1/qa/experts/{cast.mod.id}", headers=cast.h(cast.mod)
    )
    assert r.status_code == 200, r.text
    token = client.get("/api/v1/sites/gazette/notices/form").json()["form_token"]
    clock.advance(seconds=5)
    notice = {
        "comment_id": comment_id,
        "explanation": "This comment is about me and it is false.",
        "email": "someone@example.org",
        "good_faith": True,
        "form_token": token,
    }
    r = client.post("/api/v1/sites/gazette/notices", json={**notice, "reason": "other"})
    assert r.status_code == 201, r.text
    notice_id = r.json()["id"]
    uk = {
        "statement": "He is a crook",
        "meaning": "That I am dishonest",
        "why_defamatory": "It says I commit crimes",
        "inaccurate": "All of it",
        "poster_unknown": True,
    }
    r = client.post(
        "/api/v1/sites/gazette/notices",
        json={**notice, "reason": "defamation", "name": "Jane Doe", "uk_complaint": uk},
    )
    assert r.status_code == 201, r.text
    return Scene(
        cast=cast,
        comment_id=comment_id,
        sanction_id=sanction_id,
        appeal_id=appeal_id,
        webhook_id=webhook_id,
        notice_id=notice_id,
        uk_notice_id=r.json()["id"],
        form_token=token,
    )


def _actor(scene: Scene, role: str) -> User | None:
    c = scene.cast
    return {
        "anonymous": None,
        "commenter": c.reader,
        "moderator": c.mod,
        "other_site_moderator": c.other_mod,
        "admin": c.admin,
    }[role]


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, str):
        for key, number in ids.items():
            if value == "{" + key + "}":
                return number
            value = value.replace("{" + key + "}", str(number))
        return value
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_permission_matrix(client: TestClient, scene: Scene, endpoint: Endpoint, role: str) -> None:
    ids = {
        "comment": scene.comment_id,
        "author": scene.cast.author.id,
        "sanction": scene.sanction_id,
        "appeal": scene.appeal_id,
        "webhook": scene.webhook_id,
        "notice": scene.notice_id,
        "uk_notice": scene.uk_notice_id,
        "expert": scene.cast.mod.id,
    }
    expected = endpoint.expect[ROLES.index(role)]
    body = _fill(endpoint.body, ids)
    if isinstance(body, dict) and body.get("form_token") == "{form_token}":
        body["form_token"] = scene.form_token
    r = client.request(
        endpoint.method,
        _fill(endpoint.path, ids),
        json=body,
        headers=scene.cast.h(_actor(scene, role)),
    )
    assert r.status_code == expected, r.text
    if expected == 401:
        assert r.json()["error"]["code"] == "not_authenticated"
    if expected == 403:
        assert r.json()["error"]["code"] == "forbidden"
