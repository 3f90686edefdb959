"""Moving-window rate limits: in this process's memory, or in Redis shared by all workers."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from limits import RateLimitItem, parse
from limits.strategies import MovingWindowRateLimiter

from belowline.errors import RateLimited
from belowline.live.redis_guard import RedisGuard, client_options

SWEEP_EVERY = 1024  # hits between sweeps of keys whose window has emptied


class MemoryWindows:
    """A moving window per key: the times of its recent hits, kept under one lock.

    `limits`' memory storage starts a timer thread to expire entries whenever its last one
    has finished, which under steady traffic is a new thread per call; this needs none.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}
        self._since_sweep = 0

    def hit(self, key: str, amount: int, seconds: float) -> bool:
        """Count a hit unless `amount` hits already fell in the last `seconds`."""
        now = self._clock()
        with self._lock:
            self._since_sweep += 1
            if self._since_sweep >= SWEEP_EVERY:
                self._sweep(now, seconds)
            window = self._hits.get(key)
            if window is None:
                window = self._hits[key] = deque()
            while window and window[0] <= now - seconds:
                window.popleft()
            if len(window) >= amount:
                return False
            window.append(now)
            return True

    def _sweep(self, now: float, seconds: float) -> None:
        self._since_sweep = 0
        for key in [k for k, w in self._hits.items() if not w or w[-1] <= now - seconds]:
            del self._hits[key]


class RateLimiter:
    """Moving-window limits per key, in memory or in Redis (shared by all workers).

    While Redis is unreachable the limits are counted in this process's memory instead, so
    they still hold per worker (live/redis_guard.py)."""

    def __init__(
        self, storage_uri: str, enabled: bool = True, guard: RedisGuard | None = None
    ) -> None:
        self.enabled = enabled
        self._items: dict[str, RateLimitItem] = {}
        self._memory = MemoryWindows()
        self._limiter: MovingWindowRateLimiter | None = None
        self.guard = guard or RedisGuard()
        if not storage_uri.startswith("memory://"):  # Redis: one Lua script per hit, atomic
            from limits.storage import storage_from_string

            self._limiter = MovingWindowRateLimiter(
                storage_from_string(storage_uri, **client_options())
            )

    def hit(self, limit: str, *keys: str) -> None:
        if not self.enabled:
            return
        item = self._items.get(limit)
        if item is None:
            item = self._items[limit] = parse(limit)

        def in_memory() -> bool:
            return self._memory.hit(item.key_for(*keys), item.amount, float(item.get_expiry()))

        shared = self._limiter
        if shared is None:
            allowed = in_memory()
        else:
            allowed = self.guard.call(lambda: shared.hit(item, *keys), in_memory)
        if not allowed:
            raise RateLimited("You are doing that too often. Wait a minute and try again.")
