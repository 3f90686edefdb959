"""The read fast path answers exactly as the full app would, and never serves a stale page."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from belowline.app import create_app
from belowline.clock import FrozenClock
from belowline.comments.readconn import ReadConnection
from belowline.metrics import registry as m
from belowline.settings import Settings
from tests.comments.test_threads import URL, _seed
from tests.factories import ORIGIN

COUNTS = "/api/v1/sites/gazette/counts?story=story-1&story=nope"
_PER_ANSWER = {b"date", b"server", b"x-cache"}  # x-cache says which path answered


def _headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.encode() not in _PER_ANSWER}


def _app(settings: Settings, clock: FrozenClock, engine: Engine, **changes: object) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=changes), clock=clock, engine=engine))


def test_a_fast_path_answer_carries_the_full_apps_headers(
    settings: Settings, session: Session, clock: FrozenClock, engine: Engine
) -> None:
    _seed(session, clock, 3)
    with _app(settings, clock, engine, hsts_seconds=3600) as client:
        origins = ({"Origin": ORIGIN}, {"Origin": "https://elsewhere.example"}, {})
        for limit, origin in enumerate(origins, start=1):  # a page not yet cached each time
            full = client.get(URL, params={"limit": limit}, headers=origin)
            fast = client.get(URL, params={"limit": limit}, headers=origin)
            assert "x-cache" not in full.headers
            assert fast.headers["x-cache"] == "hit"
            assert fast.content == full.content
            assert _headers(fast) == _headers(full)
            assert "strict-transport-security" in fast.headers
            assert (fast.headers.get("access-control-allow-origin") == ORIGIN) == (
                origin.get("Origin") == ORIGIN
            )
        # A revalidation: the full app's 304 (an app without the fast path) and ours.
        etag = {"If-None-Match": fast.headers["etag"], "Origin": ORIGIN}
        fast_304 = client.get(URL, params={"limit": 3}, headers=etag)
    with _app(settings, clock, engine, hsts_seconds=3600, thread_cache=False) as plain:
        full_304 = plain.get(URL, params={"limit": 3}, headers=etag)
        full_counts = plain.get(COUNTS, headers={"Origin": ORIGIN})
    assert fast_304.status_code == full_304.status_code == 304
    assert fast_304.headers["x-cache"] == "hit"
    assert _headers(fast_304) == _headers(full_304)
    with _app(settings, clock, engine, hsts_seconds=3600) as client:
        fast_counts = client.get(COUNTS, headers={"Origin": ORIGIN})
    assert fast_counts.json() == full_counts.json() == {"story-1": 3, "nope": 0}
    assert _headers(fast_counts) == _headers(full_counts)


def test_fast_path_answers_are_counted_under_their_route(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    _seed(session, clock, 2)
    route = "/api/v1/sites/{site_id}/stories/{story_id}/comments"
    counter = m.REQUESTS.labels(method="GET", route=route, status="200")
    client.get(URL)  # the full app fills the cache
    before = counter._value.get()
    assert client.get(URL).headers["x-cache"] == "hit"
    assert counter._value.get() == before + 1


def test_a_commit_by_another_process_is_seen_at_once(
    client: TestClient, session: Session, clock: FrozenClock, engine: Engine
) -> None:
    """Another worker's commit: the next read checks the story and renders the new version.

    SQLite: it changes `PRAGMA data_version`. PostgreSQL: the answer's own lookup, sent after
    the read arrived, returns other rows than the answer was built from."""
    _seed(session, clock, 2)
    client.get(URL)
    assert client.get(URL).headers["x-cache"] == "hit"
    assert client.get(COUNTS).json() == {"story-1": 2, "nope": 0}
    if engine.dialect.name == "sqlite":
        other = sqlite3.connect(Path(str(engine.url.database)))  # as another process would

        def commit(sql: str) -> None:
            other.execute(sql)
            other.commit()
    else:
        other = engine.raw_connection()  # another connection, committing on its own

        def commit(sql: str) -> None:
            cur = other.cursor()
            cur.execute(sql)
            other.commit()

    try:
        commit("UPDATE sites SET name = name || '.'")  # unrelated to the page
        assert client.get(URL).headers["x-cache"] == "hit"  # checked, and still current
        commit("UPDATE stories SET version = version + 1, comment_count = 7")
    finally:
        other.close()
    after = client.get(URL)
    assert "x-cache" not in after.headers  # a new version: rendered again, not served stale
    assert after.json()["total"] == 7
    counts = client.get(COUNTS)
    assert counts.json() == {"story-1": 7, "nope": 0}


def test_personal_or_odd_reads_go_to_the_full_app(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    _seed(session, clock, 2)
    client.get(URL)
    assert client.get(URL).headers["x-cache"] == "hit"
    nul = client.get(URL + "?cursor=%00")
    assert nul.status_code == 422
    assert nul.json()["error"]["code"] == "validation_error"
    keyed = client.get(URL, headers={"X-Api-Key": "nope"})
    assert "x-cache" not in keyed.headers
    assert keyed.headers["cache-control"] == "private, no-store"
    cookie = client.get(URL, headers={"Cookie": "belowline_dashboard=x"})
    assert "x-cache" not in cookie.headers
    bad = client.get(URL, params={"limit": 0})
    assert bad.status_code == 422


def test_a_lookup_is_shared_only_by_requests_that_arrived_before_it_was_sent(
    session: Session, clock: FrozenClock, engine: Engine
) -> None:
    _seed(session, clock, 1)
    db = ReadConnection(engine)
    sql = f"SELECT version FROM stories WHERE site_id = {db.mark} AND external_id = {db.mark}"
    params = ("gazette", "story-1")
    waiting = time.perf_counter()  # a request that arrived before the lookup below
    first = db.query_since(sql, params, waiting)
    with engine.begin() as conn:  # another worker commits
        conn.execute(text("UPDATE stories SET version = version + 1"))
    assert db.query_since(sql, params, waiting) == first  # it shares the lookup it waited for
    later = db.query_since(sql, params, time.perf_counter())  # arrived after the commit
    assert later[0][0] == first[0][0] + 1
    assert db.query_since(sql, params, None)[0][0] == later[0][0]  # no arrival time: a query
    with engine.begin() as conn:
        conn.execute(text("UPDATE stories SET version = version + 1"))
    assert db.query_since(sql, params, None)[0][0] == later[0][0] + 1
