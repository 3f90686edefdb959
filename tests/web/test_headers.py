"""Answer headers: personal answers are never stored, HSTS when configured, limits from settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from belowline.app import create_app
from belowline.clock import FrozenClock
from belowline.settings import Settings
from tests.cast import Cast, make_cast, post
from tests.dashboard.test_pages import BASE, sign_in
from tests.factories import TEST_SECRET

THREAD = "/api/v1/sites/gazette/stories/story-1/comments"


def test_every_personal_answer_is_private_no_store(
    client: TestClient, client_factory: Any, session: Session, clock: FrozenClock
) -> None:
    cast = make_cast(session, clock)
    comment_id = post(client, cast, cast.author, "Something to see.")
    h = cast.h(cast.mod)
    personal = [
        client.get("/api/v1/me", headers=h),
        client.get("/api/v1/me/notifications", headers=h),
        client.get("/api/v1/moderation/queues/reported?site_id=gazette", headers=h),
        client.get(THREAD, headers=h),
        client.get(f"/api/v1/comments/{comment_id}", headers=h),
        client.post(
            "/api/v1/auth/login", json={"site_id": "gazette", "email": "x", "password": "y"}
        ),
        client.get("/api/v1/sites/gazette/moderation/charts/volume.png", headers=h),
    ]
    browser = client_factory(base_url=BASE, follow_redirects=False)
    personal.append(browser.get("/moderate/login"))  # sets the session cookie
    sign_in(browser, cast.mod)
    personal.append(browser.get("/moderate"))
    for r in personal:
        assert r.headers.get("cache-control") == "private, no-store", (r.request.url, r.headers)
    anonymous = client.get(THREAD)
    assert anonymous.status_code == 200
    assert "public" in anonymous.headers["cache-control"]
    assert "strict-transport-security" not in anonymous.headers


def _app(tmp_path: Path, clock: FrozenClock, engine: Engine, **over: Any) -> TestClient:
    settings = Settings(environment="test", data_dir=tmp_path, secret_key=TEST_SECRET, **over)
    return TestClient(create_app(settings, clock=clock, engine=engine))


def test_hsts_is_sent_when_configured(tmp_path: Path, clock: FrozenClock, engine: Engine) -> None:
    with _app(tmp_path, clock, engine, rate_limit_enabled=False, hsts_seconds=31536000) as c:
        r = c.get("/healthz")
    assert r.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_the_reports_limit_comes_from_its_setting(
    tmp_path: Path, clock: FrozenClock, engine: Engine, session: Session
) -> None:
    cast: Cast = make_cast(session, clock)
    with _app(tmp_path, clock, engine, rate_limit_reports="2/minute") as c:
        ids = [post(c, cast, cast.author, f"Comment number {i}.") for i in range(3)]
        codes = [
            c.post(
                f"/api/v1/comments/{cid}/reports",
                json={"reason": "spam"},
                headers=cast.h(cast.reader),
            ).status_code
            for cid in ids
        ]
    assert codes == [201, 201, 429]
