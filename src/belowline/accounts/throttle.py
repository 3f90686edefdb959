"""Per-account sign-in throttling with exponential backoff.

After a few free failures each further one doubles the wait before the account may try
again, up to a cap, and an account's failures are forgotten an hour after the last one: a
stranger can slow someone's sign-in for at most the cap, never lock them out for good.
A success clears the count. State lives in Redis when configured (shared by all workers)."""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable
from typing import Protocol, TypeVar

import orjson

from belowline.errors import NotAuthenticated, RateLimited
from belowline.live.redis_guard import RedisGuard, client

T = TypeVar("T")

FREE_FAILURES = 5
BASE_DELAY = 1.0  # seconds after the first failure past the free ones
MAX_DELAY = 900.0  # the most any account can be made to wait
FORGET_AFTER = 3600  # seconds without failures before the count starts again


class _Store(Protocol):
    def get(self, key: str) -> bytes | None: ...
    def set(self, key: str, value: bytes, ttl: int) -> None: ...
    def delete(self, key: str) -> None: ...


class MemoryStore:
    """One process's store (SQLite installs, tests)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._data: dict[str, tuple[bytes, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            found = self._data.get(key)
            if found is None or found[1] <= self.clock():
                self._data.pop(key, None)
                return None
            return found[0]

    def set(self, key: str, value: bytes, ttl: int) -> None:
        with self._lock:
            if len(self._data) > 100_000:  # bound memory under a spray of made-up accounts
                now = self.clock()
                self._data = {k: v for k, v in self._data.items() if v[1] > now}
            self._data[key] = (value, self.clock() + ttl)

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)


class RedisStore:
    """Shared by every worker; this process's memory while Redis is unreachable."""

    def __init__(self, url: str, guard: RedisGuard | None = None) -> None:
        self.redis = client(url)
        self.guard = guard or RedisGuard()
        self.fallback = MemoryStore(time.time)

    def get(self, key: str) -> bytes | None:
        value = self.guard.call(lambda: self.redis.get(key), lambda: self.fallback.get(key))
        return value if isinstance(value, bytes) else None

    def set(self, key: str, value: bytes, ttl: int) -> None:
        self.guard.call(
            lambda: self.redis.set(key, value, ex=ttl),
            lambda: self.fallback.set(key, value, ttl),
        )

    def delete(self, key: str) -> None:
        self.fallback.delete(key)
        self.guard.call(lambda: self.redis.delete(key), lambda: 0)


def backoff_delay(failures: int) -> float:
    """Seconds to wait after `failures` consecutive failures (0 while within the free ones)."""
    if failures <= FREE_FAILURES:
        return 0.0
    return float(min(BASE_DELAY * 2 ** min(failures - FREE_FAILURES - 1, 30), MAX_DELAY))


class LoginThrottle:
    """Failures per (site, email); the check runs before the password is even looked at."""

    def __init__(
        self, store: _Store, *, clock: Callable[[], float] = time.time, enabled: bool = True
    ) -> None:
        self.store = store
        self.clock = clock
        self.enabled = enabled

    @staticmethod
    def _key(site_id: str, email: str) -> str:
        digest = hashlib.sha256(f"{site_id}\n{email.strip().lower()}".encode()).hexdigest()
        return f"belowline:login-fail:{digest[:32]}"

    def _state(self, key: str) -> tuple[int, float]:
        raw = self.store.get(key)
        if raw is None:
            return 0, 0.0
        try:
            data = orjson.loads(raw)
            return int(data["n"]), float(data["until"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return 0, 0.0

    def check(self, *, site_id: str, email: str) -> None:
        if not self.enabled:
            return
        _, until = self._state(self._key(site_id, email))
        wait = until - self.clock()
        if wait > 0:
            raise RateLimited(
                "Too many failed sign-ins for this account. Wait a little and try again.",
                retry_after=math.ceil(wait),
            )

    def failed(self, *, site_id: str, email: str) -> None:
        if not self.enabled:
            return
        key = self._key(site_id, email)
        failures, _ = self._state(key)
        failures += 1
        until = self.clock() + backoff_delay(failures)
        self.store.set(key, orjson.dumps({"n": failures, "until": until}), FORGET_AFTER)

    def succeeded(self, *, site_id: str, email: str) -> None:
        if self.enabled:
            self.store.delete(self._key(site_id, email))


def guarded(throttle: LoginThrottle, *, site_id: str, email: str, attempt: Callable[[], T]) -> T:
    """Run a sign-in attempt under the account's throttle, counting its failure or success."""
    throttle.check(site_id=site_id, email=email)
    try:
        result = attempt()
    except NotAuthenticated:
        throttle.failed(site_id=site_id, email=email)
        raise
    throttle.succeeded(site_id=site_id, email=email)
    return result
