"""The render path answers anonymous pages exactly as the full app would, and only those."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from belowline.app import create_app
from belowline.clock import FrozenClock
from belowline.comments.reading import renderpath
from belowline.metrics import registry as m
from belowline.settings import Settings
from tests.comments.test_page_equivalence import URL, _thread
from tests.factories import ORIGIN, auth

_PER_ANSWER = {"date", "server", "x-cache"}
COUNTS = "/api/v1/sites/gazette/counts"
_COUNT_QUERIES = (
    "?story=story-1&story=nope",
    "?story=story-1&story=story-1&story=",
    "?story=n%C3%B6pe&story=story-1",
)


def _headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in _PER_ANSWER}


@contextmanager
def _app(
    settings: Settings, clock: FrozenClock, engine: Engine, **changes: object
) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update=changes), clock=clock, engine=engine)
    with TestClient(app) as client:
        yield client


def _requests(first_cursor: str) -> list[tuple[dict[str, object], dict[str, str]]]:
    out: list[tuple[dict[str, object], dict[str, str]]] = []
    for params in (
        {},
        {"sort": "oldest", "limit": 3},
        {"sort": "reactions", "limit": 100},
        {"sort": "replies"},
        {"sort": "featured", "limit": 1},
        {"limit": 2, "cursor": first_cursor},
    ):
        for headers in ({}, {"Origin": ORIGIN}, {"Origin": "https://elsewhere.example"}):
            out.append((params, headers))
    return out


@pytest.mark.parametrize("thread_cache", [False, True])
def test_answers_are_the_full_apps_byte_for_byte(
    settings: Settings,
    session: Session,
    clock: FrozenClock,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    thread_cache: bool,
) -> None:
    _thread(session, clock)
    with _app(settings, clock, engine, hsts_seconds=3600, thread_cache=thread_cache) as client:
        cursor = client.get(URL, params={"limit": 2}).json()["next_cursor"]
        assert cursor
        ours = [client.get(URL, params=p, headers=h) for p, h in _requests(cursor)]
        etag = ours[0].headers["etag"]
        ours_304 = client.get(URL, headers={"If-None-Match": etag, "Origin": ORIGIN})
        ours += [client.get(COUNTS + q, headers={"Origin": ORIGIN}) for q in _COUNT_QUERIES]
    monkeypatch.setattr(renderpath, "_plain", lambda _scope: False)  # the routes alone
    with _app(settings, clock, engine, hsts_seconds=3600, thread_cache=False) as full:
        theirs = [full.get(URL, params=p, headers=h) for p, h in _requests(cursor)]
        theirs_304 = full.get(URL, headers={"If-None-Match": etag, "Origin": ORIGIN})
        theirs += [full.get(COUNTS + q, headers={"Origin": ORIGIN}) for q in _COUNT_QUERIES]
    for a, b in zip(ours, theirs, strict=True):
        assert a.status_code == b.status_code == 200
        assert a.content == b.content
        assert _headers(a) == _headers(b)
    assert ours_304.status_code == theirs_304.status_code == 304
    assert _headers(ours_304) == _headers(theirs_304)


def test_nothing_is_remembered_with_the_cache_off(
    settings: Settings, session: Session, clock: FrozenClock, engine: Engine
) -> None:
    story, users, _ = _thread(session, clock)
    with _app(settings, clock, engine, thread_cache=False) as client:
        before = client.get(URL).json()
        assert client.get(URL).json() == before
        story.comment_count += 1  # a change that keeps the version: a cache would miss it
        session.commit()
        assert client.get(URL).json()["total"] == before["total"] + 1
        mine = client.get(URL, headers=auth(users[0], clock(), settings.secret_key))
        assert mine.headers["cache-control"] == "private, no-store"  # the route's, personal
        assert "viewer" in mine.json()


def test_anything_unusual_goes_to_the_full_app(
    settings: Settings, session: Session, clock: FrozenClock, engine: Engine
) -> None:
    _thread(session, clock)
    with _app(settings, clock, engine, thread_cache=False) as client:
        cases = {
            "?cursor=bm9wZQ": (422, "invalid_cursor"),
            "?cursor=%00": (422, "validation_error"),
            "?limit=0": (422, None),
            "?limit=101": (422, None),
            "?sort=best": (422, None),
            "?cursor=" + "a" * 501: (422, None),
        }
        for query, (status, code) in cases.items():
            r = client.get(URL + query)
            assert r.status_code == status, query
            if code:
                assert r.json()["error"]["code"] == code
        for url, code in (
            ("/api/v1/sites/gazette/stories/nope/comments", "story_not_found"),
            ("/api/v1/sites/nope/stories/story-1/comments", "site_not_found"),
        ):
            r = client.get(url)
            assert r.status_code == 404
            assert r.json()["error"]["code"] == code
        for query in ("?limit=2&limit=3", "?cursor=", "?page=2"):
            r = client.get(URL + query)  # the route's own reading of these, whatever it is
            assert r.status_code in (200, 422), query
        assert client.get("/api/v1/sites/nope/counts?story=a").status_code == 404
        too_many = "&".join(f"story=s{i}" for i in range(201))
        assert client.get(f"{COUNTS}?{too_many}").status_code == 422
        assert client.get(f"{COUNTS}?story=nope").json() == {"nope": 0}


def test_rendered_answers_are_counted_under_their_route(
    settings: Settings, session: Session, clock: FrozenClock, engine: Engine
) -> None:
    _thread(session, clock)
    ok = m.REQUESTS.labels(method="GET", route=renderpath.ROUTE, status="200")
    with _app(settings, clock, engine, thread_cache=False) as client:
        before = ok._value.get()
        client.get(URL)
        client.get(URL, params={"sort": "oldest"})
        assert ok._value.get() == before + 2
