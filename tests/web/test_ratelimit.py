"""Rate limits: a moving window per key, in memory without a thread per call, or in Redis."""

from __future__ import annotations

import os
import threading
import uuid

import pytest

from belowline.errors import RateLimited
from belowline.web.ratelimit import SWEEP_EVERY, MemoryWindows, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_a_window_refuses_past_its_amount_and_moves_on() -> None:
    clock = Clock()
    windows = MemoryWindows(clock)
    assert windows.hit("a", 2, 60)
    clock.t += 30
    assert windows.hit("a", 2, 60)
    assert not windows.hit("a", 2, 60)
    assert windows.hit("b", 2, 60)  # keys are apart
    clock.t += 30  # the first hit left the window, the second is still in it
    assert windows.hit("a", 2, 60)
    assert not windows.hit("a", 2, 60)


def test_emptied_windows_are_swept() -> None:
    clock = Clock()
    windows = MemoryWindows(clock)
    for i in range(100):
        windows.hit(f"reader-{i}", 5, 60)
    clock.t += 61
    for _ in range(SWEEP_EVERY):
        windows.hit("steady", 10**6, 60)
    assert set(windows._hits) == {"steady"}


def test_memory_limits_start_no_thread_per_call() -> None:
    limiter = RateLimiter("memory://")
    before = threading.active_count()
    for i in range(200):
        limiter.hit("3/minute", "post", str(i))
    assert threading.active_count() == before
    limiter.hit("3/minute", "post", "x")
    limiter.hit("3/minute", "post", "x")
    limiter.hit("3/minute", "post", "x")
    with pytest.raises(RateLimited):
        limiter.hit("3/minute", "post", "x")


def test_disabled_limits_never_refuse() -> None:
    limiter = RateLimiter("memory://", enabled=False)
    for _ in range(10):
        limiter.hit("1/minute", "post", "x")


@pytest.mark.skipif(not os.environ.get("BELOWLINE_TEST_REDIS_URL"), reason="needs Redis")
def test_redis_limits_are_shared_between_limiters() -> None:
    url = os.environ["BELOWLINE_TEST_REDIS_URL"]
    one, two = RateLimiter(url), RateLimiter(url)  # two workers
    key = uuid.uuid4().hex
    one.hit("2/minute", "post", key)
    two.hit("2/minute", "post", key)
    with pytest.raises(RateLimited):
        one.hit("2/minute", "post", key)
