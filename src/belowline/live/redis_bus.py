"""Redis-backed bus and page cache, so every worker and machine shares live updates and pages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
import redis
import redis.asyncio as aioredis

from belowline.live.bus import LocalBus

log = logging.getLogger(__name__)
PREFIX = "belowline:"


class RedisBus:
    """Publishes to Redis; one listener per process relays to local SSE subscribers."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._sync = redis.Redis.from_url(url)
        self._local = LocalBus()
        self._task: asyncio.Task[None] | None = None
        self._client: aioredis.Redis | None = None

    def publish(self, channel: str, message: dict[str, Any]) -> None:
        self._sync.publish(PREFIX + channel, orjson.dumps(message))

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[bytes]]:
        async with self._local.subscribe(channel) as queue:
            yield queue

    async def start(self) -> None:
        self._client = aioredis.Redis.from_url(self.url)
        pubsub = self._client.pubsub()
        await pubsub.psubscribe(PREFIX + "*")
        self._task = asyncio.create_task(self._relay(pubsub))

    async def _relay(self, pubsub: Any) -> None:
        while True:
            try:
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    channel = message["channel"].decode()[len(PREFIX) :]
                    self._local.deliver(channel, message["data"])
            except asyncio.CancelledError:
                raise
            except Exception:  # keep relaying through Redis restarts
                log.exception("live relay lost its Redis connection; retrying")
                await asyncio.sleep(1)
                with contextlib.suppress(Exception):
                    await pubsub.psubscribe(PREFIX + "*")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._client is not None:
            await self._client.aclose()

    def subscriber_count(self) -> int:
        return self._local.subscriber_count()


class RedisPageCache:
    """Pages shared by every worker; keys carry the story version, so TTL only frees memory."""

    def __init__(self, url: str, ttl_seconds: int = 600) -> None:
        self._r = redis.Redis.from_url(url)
        self.ttl = ttl_seconds

    def get(self, key: str) -> bytes | None:
        value = self._r.get(PREFIX + key)
        return value if isinstance(value, bytes) else None

    def set(self, key: str, value: bytes) -> None:
        self._r.set(PREFIX + key, value, ex=self.ttl)
