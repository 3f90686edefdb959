"""The edge's guards: crafted cursors, NUL, chunked bodies and unexpected failures."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from tests.factories import make_world

THREAD = "/api/v1/sites/gazette/stories/story-1/comments"


@pytest.fixture
def world(session: Session, clock: FrozenClock) -> None:
    make_world(session, clock())


def _cursor(sort: str, key: Any, last_id: Any) -> str:
    raw = orjson.dumps({"s": sort, "k": key, "i": last_id})
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("sort", "key", "last_id"),
    [
        ("reactions", 2**64 - 1, 1),
        ("reactions", 1, 2**63 - 1),
        ("reactions", -(2**40), 1),
        ("newest", "9999-12-31T23:59:59-23:59", 1),
        ("oldest", "0001-01-01T00:00:00+23:59", 1),
        ("newest", "2026-01-01T00:00:00+00:00", True),
        ("newest", ["not", "a", "date"], 1),
    ],
)
def test_crafted_cursors_are_refused(
    client: TestClient, world: None, sort: str, key: Any, last_id: Any
) -> None:
    r = client.get(THREAD, params={"sort": sort, "cursor": _cursor(sort, key, last_id)})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_cursor"


def test_reply_cursors_are_range_checked(client: TestClient, world: None) -> None:
    cursor = _cursor("replies_of", "9999-12-31T23:59:59-23:59", 1)
    r = client.get("/api/v1/comments/1/replies", params={"cursor": cursor})
    assert r.status_code in (404, 422), r.text
    assert r.status_code != 500


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/api/v1/auth/login", {"json": {"email": "a\u0000@x.org", "password": "p"}}),
        ("POST", "/api/v1/auth/sso", {"json": {"site_id": "gaz\u0000ette", "token": "t"}}),
        ("GET", "/api/v1/sites/gazette/counts", {"params": {"story": "a\x00"}}),
        ("GET", "/api/v1/sites/gaz%00ette/public", {}),
        ("POST", "/moderate/login", {"data": {"email": "a\x00", "password": "p"}}),
    ],
)
def test_nul_is_refused_everywhere(
    client: TestClient, world: None, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    r = client.request(method, path, **kwargs)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "validation_error"


def test_an_escaped_backslash_before_u0000_is_not_a_nul(client: TestClient, world: None) -> None:
    r = client.post(
        "/api/v1/auth/login",
        content=b'{"email": "a\\\\u0000@x.org", "password": "p", "site_id": "gazette"}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 401, r.text


def test_an_oversized_chunked_body_is_413(client: TestClient, app: FastAPI) -> None:
    limit = app.state.settings.max_request_bytes

    def chunks() -> Iterator[bytes]:
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    r = client.post(
        "/api/v1/auth/login", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413, r.text
    assert r.json()["error"]["code"] == "payload_too_large"


def test_an_unexpected_failure_answers_the_envelope_with_a_logged_request_id(
    app: FastAPI, client_factory: Any, caplog: pytest.LogCaptureFixture
) -> None:
    @app.get("/boom-for-test")
    def boom() -> None:
        raise RuntimeError("kaboom")

    client = client_factory(raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="belowline.errors"):
        r = client.get("/boom-for-test")
    assert r.status_code == 500
    error = r.json()["error"]
    assert error["code"] == "internal_error"
    assert error["request_id"] in error["message"]
    assert r.headers["x-request-id"] == error["request_id"]
    assert any(error["request_id"] in rec.getMessage() for rec in caplog.records)


def test_a_405_says_which_methods_are_allowed(client: TestClient, world: None) -> None:
    r = client.put("/api/v1/sites/gazette/stories/story-1/comments", json={})
    assert r.status_code == 405
    assert r.json()["error"]["code"]
    assert set(r.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    r = client.post("/healthz")
    assert (r.status_code, r.headers.get("allow")) == (405, "GET")
