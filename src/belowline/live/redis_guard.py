"""Redis is a helper, not a dependency: while it is unreachable, each call takes a fallback.

Rate limits and sign-in throttling fall back to this process's memory, the page cache to no
cache, live updates to this worker's own readers. One warning when Redis goes away, one
notice when it is back; in between, Redis is retried at most every `retry_every` seconds so
a dead server costs no request a connection attempt of its own.

redis-py is imported on first use: a worker without Redis (SQLite, one machine) never loads it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import redis

T = TypeVar("T")
log = logging.getLogger(__name__)


@cache
def redis_down() -> tuple[type[Exception], ...]:
    """What "Redis is away" looks like to redis-py (refused, reset, timed out, shutting down)."""
    import redis.exceptions

    return (
        redis.exceptions.ConnectionError,
        redis.exceptions.TimeoutError,
        ConnectionError,
        TimeoutError,
    )


def client_options() -> dict[str, Any]:
    """Short timeouts and no retries inside redis-py: a Redis that does not answer must not
    hold a request for long (the guard retries it, once a second at most)."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {"socket_connect_timeout": 1.0, "socket_timeout": 1.0, "retry": Retry(NoBackoff(), 0)}


def client(url: str) -> redis.Redis:
    """A synchronous client with the short timeouts above."""
    import redis

    return redis.Redis.from_url(url, **client_options())


class RedisGuard:
    """Shared by everything in a process that talks to Redis, so an outage is logged once."""

    def __init__(
        self, *, retry_every: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.retry_every = retry_every
        self.clock = clock
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._next_try = 0.0

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def call(self, fn: Callable[[], T], fallback: Callable[[], T]) -> T:
        """`fn()` while Redis answers; `fallback()` while it does not."""
        if self._down_since is not None and self.clock() < self._next_try:
            return fallback()
        try:
            result = fn()
        except redis_down() as exc:
            self.failed(exc)
            return fallback()
        self.succeeded()
        return result

    def failed(self, exc: BaseException) -> None:
        """Note that Redis did not answer (logged only when it was up before)."""
        with self._lock:
            now = self.clock()
            self._next_try = now + self.retry_every
            if self._down_since is not None:
                return
            self._down_since = now
        log.warning(
            "Redis unavailable (%s); rate limits per process, no shared page cache, "
            "live updates to this worker's readers only",
            exc,
        )

    def succeeded(self) -> None:
        """Note that Redis answered (logged only when it was down before)."""
        if self._down_since is None:
            return
        with self._lock:
            since, self._down_since = self._down_since, None
        if since is not None:
            log.warning("Redis is back after %.1f s; shared state resumes", self.clock() - since)
