"""Per-account sign-in throttling: exponential backoff, bounded, forgotten, shared via Redis."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.accounts.models import Role
from belowline.accounts.throttle import (
    FORGET_AFTER,
    FREE_FAILURES,
    MAX_DELAY,
    LoginThrottle,
    MemoryStore,
    RedisStore,
    backoff_delay,
)
from belowline.clock import FrozenClock
from belowline.errors import RateLimited
from tests.factories import make_user, make_world

LOGIN = "/api/v1/auth/login"
GOOD = "a-long-password"


class Ticker:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _login(client: TestClient, password: str, email: str = "mo@example.com") -> Any:
    return client.post(LOGIN, json={"site_id": "gazette", "email": email, "password": password})


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_delay(n) for n in range(FREE_FAILURES + 1)] == [0.0] * (FREE_FAILURES + 1)
    assert backoff_delay(FREE_FAILURES + 1) == 1.0
    assert backoff_delay(FREE_FAILURES + 2) == 2.0
    assert backoff_delay(FREE_FAILURES + 5) == 16.0
    assert backoff_delay(10_000) == MAX_DELAY


def test_an_account_is_throttled_across_addresses_and_recovers(
    app: FastAPI, client: TestClient, session: Session, clock: FrozenClock
) -> None:
    ticker = Ticker()
    app.state.login_throttle = LoginThrottle(MemoryStore(ticker), clock=ticker)
    world = make_world(session, clock())
    make_user(session, world.site, clock(), email="mo@example.com", password=GOOD)
    for _ in range(FREE_FAILURES + 1):
        assert _login(client, "wrong").status_code == 401
    # Even the right password waits now: guessing gains nothing during the backoff.
    blocked = _login(client, GOOD)
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "rate_limited"
    assert blocked.headers["retry-after"] == "1"
    # Another account on the same site is not affected.
    make_user(session, world.site, clock(), email="ann@example.com", password=GOOD)
    assert _login(client, GOOD, email="ann@example.com").status_code == 200

    # A stranger hammering the account: the wait grows but never past the cap.
    for _ in range(40):
        ticker.now += MAX_DELAY + 1
        assert _login(client, "wrong").status_code == 401
    assert _login(client, GOOD).headers["retry-after"] == str(int(MAX_DELAY))
    ticker.now += MAX_DELAY + 1
    assert _login(client, GOOD).status_code == 200  # the owner gets in, and the count resets
    assert _login(client, "wrong").status_code == 401
    assert _login(client, GOOD).status_code == 200


def test_failures_are_forgotten_after_an_hour() -> None:
    ticker = Ticker()
    throttle = LoginThrottle(MemoryStore(ticker), clock=ticker)
    for _ in range(FREE_FAILURES + 3):
        throttle.failed(site_id="s", email="e@x.org")
    with pytest.raises(RateLimited):
        throttle.check(site_id="s", email="e@x.org")
    ticker.now += FORGET_AFTER + 1
    throttle.check(site_id="s", email="e@x.org")
    throttle.failed(site_id="s", email="e@x.org")
    throttle.check(site_id="s", email="e@x.org")  # one failure: back among the free ones


def test_the_dashboard_sign_in_is_throttled_too(
    app: FastAPI, client_factory: Any, session: Session, clock: FrozenClock
) -> None:
    from tests.dashboard.test_pages import BASE, csrf_of

    ticker = Ticker()
    app.state.login_throttle = LoginThrottle(MemoryStore(ticker), clock=ticker)
    world = make_world(session, clock())
    make_user(
        session, world.site, clock(), email="mo@example.com", password=GOOD, role=Role.MODERATOR
    )
    browser = client_factory(base_url=BASE, follow_redirects=False)
    csrf = csrf_of(browser.get("/moderate/login").text)

    def attempt(password: str) -> int:
        data = {"email": "mo@example.com", "password": password, "site_id": "gazette"}
        r = browser.post("/moderate/login", data={**data, "csrf_token": csrf})
        return r.status_code

    assert [attempt("wrong") for _ in range(FREE_FAILURES + 1)] == [401] * (FREE_FAILURES + 1)
    assert attempt(GOOD) == 429
    ticker.now += 2
    assert attempt(GOOD) == 303


@pytest.mark.skipif(
    not os.environ.get("BELOWLINE_TEST_REDIS_URL"), reason="needs BELOWLINE_TEST_REDIS_URL"
)
def test_the_redis_store_shares_failures_between_workers() -> None:
    url = os.environ["BELOWLINE_TEST_REDIS_URL"]
    email = f"{uuid.uuid4().hex}@x.org"
    ticker = Ticker()
    one = LoginThrottle(RedisStore(url), clock=ticker)
    two = LoginThrottle(RedisStore(url), clock=ticker)
    for _ in range(FREE_FAILURES + 1):
        one.failed(site_id="s", email=email)
    with pytest.raises(RateLimited):
        two.check(site_id="s", email=email)
    two.succeeded(site_id="s", email=email)
    one.check(site_id="s", email=email)
