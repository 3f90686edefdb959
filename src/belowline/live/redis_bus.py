"""Redis-backed bus and page cache, so every worker and machine shares live updates and pages.

Both degrade while Redis is unreachable (live/redis_guard.py): a worker's own readers still
get its live updates, and pages are rendered rather than cached.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
import redis.asyncio as aioredis

from belowline.live.bus import LocalBus
from belowline.live.redis_guard import RedisGuard, client, redis_down

log = logging.getLogger(__name__)
PREFIX = "belowline:"
RECONNECT_EVERY = 1.0  # seconds between the relay's attempts to reach Redis again


class RedisBus:
    """Publishes to Redis; one listener per process relays to local SSE subscribers."""

    def __init__(self, url: str, guard: RedisGuard | None = None) -> None:
        self.url = url
        self.guard = guard or RedisGuard()
        self._sync = client(url)
        self._local = LocalBus()
        self._task: asyncio.Task[None] | None = None

    def publish(self, channel: str, message: dict[str, Any]) -> None:
        data = orjson.dumps(message)
        self.guard.call(
            lambda: self._sync.publish(PREFIX + channel, data),
            lambda: self._local.deliver(channel, data),  # Redis away: this worker's readers
        )

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[bytes]]:
        async with self._local.subscribe(channel) as queue:
            yield queue

    async def start(self) -> None:
        # The relay connects by itself (and again after every outage): a Redis that is down
        # when the server starts does not stop it from starting.
        self._task = asyncio.create_task(self._relay())

    async def _relay(self) -> None:
        while True:
            redis_client = aioredis.Redis.from_url(self.url, socket_connect_timeout=1.0)
            pubsub = redis_client.pubsub()
            try:
                await pubsub.psubscribe(PREFIX + "*")
                self.guard.succeeded()
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    channel = message["channel"].decode()[len(PREFIX) :]
                    self._local.deliver(channel, message["data"])
            except asyncio.CancelledError:
                raise
            except redis_down() as exc:
                self.guard.failed(exc)
            except Exception:
                log.exception("live relay failed; starting it again")
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                with contextlib.suppress(Exception):
                    await redis_client.aclose()
            await asyncio.sleep(RECONNECT_EVERY)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def subscriber_count(self) -> int:
        return self._local.subscriber_count()


class RedisPageCache:
    """Pages shared by every worker; keys carry the story version, so TTL only frees memory."""

    def __init__(self, url: str, ttl_seconds: int = 600, guard: RedisGuard | None = None) -> None:
        self._r = client(url)
        self.ttl = ttl_seconds
        self.guard = guard or RedisGuard()

    def get(self, key: str) -> bytes | None:
        value = self.guard.call(lambda: self._r.get(PREFIX + key), lambda: None)
        return value if isinstance(value, bytes) else None

    def set(self, key: str, value: bytes) -> None:
        self.guard.call(lambda: self._r.set(PREFIX + key, value, ex=self.ttl), lambda: None)
