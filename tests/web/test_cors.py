"""CORS per site, over real HTTP: a site's paths answer only that site's origins."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.stories import service as stories_service
from tests.factories import make_world

GAZETTE = "https://news.example"
COURIER = "https://courier.example"


@pytest.fixture
def base(app: FastAPI, session: Session, clock: FrozenClock) -> Iterator[str]:
    make_world(session, clock())
    stories_service.create_site(
        session, name="The Courier", origins=[COURIER], now=clock(), site_id="courier"
    )
    session.commit()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def preflight(base: str, path: str, origin: str) -> httpx.Response:
    return httpx.options(
        base + path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_a_sites_paths_answer_only_its_own_origins(base: str) -> None:
    gazette_story = "/api/v1/sites/gazette/stories/story-1/comments"
    ok = preflight(base, gazette_story, GAZETTE)
    assert ok.status_code == 204 and ok.headers["access-control-allow-origin"] == GAZETTE
    for origin in (COURIER, "https://evil.example"):
        refused = preflight(base, gazette_story, origin)
        assert refused.status_code == 403, origin
        assert "access-control-allow-origin" not in refused.headers
        got = httpx.get(base + gazette_story, headers={"Origin": origin})
        assert got.status_code == 200  # served, but a browser will not hand it to the page
        assert "access-control-allow-origin" not in got.headers
    courier = httpx.get(base + "/api/v1/sites/courier/public", headers={"Origin": COURIER})
    assert courier.headers.get("access-control-allow-origin") == COURIER
    # A path naming no site (a comment by id, sign-in): any site's origin, the route checks
    # the token's site; a stranger's origin still gets nothing.
    assert preflight(base, "/api/v1/comments/1/reactions", COURIER).status_code == 204
    assert preflight(base, "/api/v1/auth/sso", GAZETTE).status_code == 204
    stranger = preflight(base, "/api/v1/comments/1/reactions", "https://evil.example")
    assert "access-control-allow-origin" not in stranger.headers


def test_a_reader_path_with_a_token_answers_only_the_tokens_site(
    base: str, session: Session, clock: FrozenClock
) -> None:
    from belowline.models import Site
    from tests.factories import TEST_SECRET, auth, make_user

    gazette = session.get(Site, "gazette")
    assert gazette is not None
    reader = auth(make_user(session, gazette, clock()), clock(), TEST_SECRET)
    own = httpx.get(base + "/api/v1/me", headers={"Origin": GAZETTE, **reader}, timeout=30)
    assert own.status_code == 200
    assert own.headers["access-control-allow-origin"] == GAZETTE
    # Another site's page holding a gazette reader's token: served, but not to that page.
    other = httpx.get(base + "/api/v1/me", headers={"Origin": COURIER, **reader}, timeout=30)
    assert other.status_code == 200
    assert "access-control-allow-origin" not in other.headers
    # A token that is not one (no site in it): as with no token, any site's origin.
    junk = httpx.get(
        base + "/api/v1/me", headers={"Origin": COURIER, "Authorization": "Bearer x"}, timeout=30
    )
    assert junk.status_code == 401
    assert junk.headers["access-control-allow-origin"] == COURIER


@pytest.mark.parametrize(
    "path", ["/api/v1/moderation/queues/reported?site_id=gazette", "/api/v1/invitations/abc"]
)
def test_staff_paths_answer_no_other_origin(
    base: str, session: Session, clock: FrozenClock, path: str
) -> None:
    from belowline.accounts.models import Role
    from belowline.models import Site
    from tests.factories import TEST_SECRET, auth, make_user

    gazette = session.get(Site, "gazette")
    assert gazette is not None
    mod = auth(make_user(session, gazette, clock(), role=Role.MODERATOR), clock(), TEST_SECRET)
    refused = preflight(base, path, GAZETTE)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "origin_not_allowed"
    assert "access-control-allow-origin" not in refused.headers
    got = httpx.get(base + path, headers={"Origin": GAZETTE, **mod}, timeout=30)
    assert got.status_code < 500
    assert "access-control-allow-origin" not in got.headers
    # The dashboard's own calls (same origin, no preflight) are answered as before.
    same = httpx.get(base + path, headers=mod, timeout=30)
    assert same.status_code == got.status_code
