"""A database or Redis that cannot be reached (a closed port): 503 with Retry-After for the
database, graceful fallbacks for Redis; never a 500. The full outages (a database cut under a
running server, a redis-server killed and restarted) are in tests/integration."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from belowline.accounts.throttle import LoginThrottle, RedisStore
from belowline.app import create_app
from belowline.db import make_engine
from belowline.errors import RateLimited
from belowline.live.redis_bus import RedisPageCache
from belowline.live.redis_guard import RedisGuard
from belowline.settings import Settings
from belowline.web.ratelimit import RateLimiter
from tests.factories import TEST_SECRET


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens there once the socket is closed


def test_an_unreachable_database_answers_503_with_retry_after(tmp_path: Path) -> None:
    engine = make_engine(f"postgresql+psycopg://nobody:nothing@127.0.0.1:{_closed_port()}/none")
    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        secret_key=TEST_SECRET,
        outbox_worker=False,
        periodic_jobs=False,
    )
    app = create_app(settings, engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        for method, path, headers in (
            ("GET", "/api/v1/sites/gazette/stories/s/comments", {}),
            ("GET", "/api/v1/sites/gazette/counts?story=s", {}),
            ("POST", "/api/v1/auth/login", {}),
            ("GET", "/api/v1/sites/gazette/stories/s/comments", {"Origin": "https://x.example"}),
        ):
            body = {"site_id": "gazette", "email": "a@b.example", "password": "x" * 10}
            r = client.request(
                method, path, headers=headers, json=body if method == "POST" else None
            )
            assert r.status_code == 503, (path, r.text)
            assert r.headers["Retry-After"] == "5"
            assert r.json()["error"]["code"] == "database_unavailable"
        assert client.get("/healthz").status_code == 503
    engine.dispose()


def test_rate_limits_fall_back_to_memory_while_redis_is_away(
    caplog: pytest.LogCaptureFixture,
) -> None:
    guard = RedisGuard()
    limiter = RateLimiter(f"redis://127.0.0.1:{_closed_port()}/0", guard=guard)
    with caplog.at_level(logging.WARNING, logger="belowline.live.redis_guard"):
        limiter.hit("2/minute", "post", "7")
        limiter.hit("2/minute", "post", "7")
        with pytest.raises(RateLimited):  # the limit still holds, in this process
            limiter.hit("2/minute", "post", "7")
    assert guard.down
    assert sum("Redis unavailable" in r.message for r in caplog.records) == 1


def test_page_cache_and_sign_in_throttle_degrade_without_redis() -> None:
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    guard = RedisGuard(retry_every=0.0)  # try Redis on every call: each one falls back
    cache = RedisPageCache(url, guard=guard)
    cache.set("page:1:1:x", b"{}")
    assert cache.get("page:1:1:x") is None  # rendered, not cached
    throttle = LoginThrottle(RedisStore(url, guard=guard), clock=lambda: 1000.0)
    for _ in range(6):
        throttle.failed(site_id="gazette", email="a@b.example")
    with pytest.raises(RateLimited):  # counted in this process's memory
        throttle.check(site_id="gazette", email="a@b.example")
    throttle.succeeded(site_id="gazette", email="a@b.example")
    throttle.check(site_id="gazette", email="a@b.example")
