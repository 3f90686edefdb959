"""Live-update bus: publish after commit, fan out to SSE subscribers of a channel.

`LocalBus` serves one process; `RedisBus` (live/redis_bus.py) relays through Redis pub/sub so
subscribers on any worker or machine see every change.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

import orjson

from belowline import events


def story_channel(site_id: str, story_external_id: str) -> str:
    return f"story:{site_id}:{story_external_id}"


def moderation_channel(site_id: str) -> str:
    return f"moderation:{site_id}"


def user_channel(user_id: int) -> str:
    return f"user:{user_id}"


class Bus(Protocol):
    def publish(self, channel: str, message: dict[str, Any]) -> None: ...

    def subscribe(self, channel: str) -> Any: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class LocalBus:
    """In-process fan-out; thread-safe publish (routes run in a thread pool)."""

    def __init__(self, max_queue: int = 256) -> None:
        self._subs: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[bytes]]]] = {}
        self._lock = threading.Lock()
        self.max_queue = max_queue

    def deliver(self, channel: str, data: bytes) -> None:
        """Wake each event loop once per message, however many of its readers subscribe."""
        by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Queue[bytes]]] = {}
        with self._lock:
            for loop, queue in self._subs.get(channel, ()):
                by_loop.setdefault(loop, []).append(queue)
        for loop, queues in by_loop.items():
            try:
                loop.call_soon_threadsafe(_put_all, queues, data)
            except RuntimeError:  # loop closed: its subscribers are gone
                continue

    def publish(self, channel: str, message: dict[str, Any]) -> None:
        self.deliver(channel, orjson.dumps(message))

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[bytes]]:
        queue: asyncio.Queue[bytes] = asyncio.Queue(self.max_queue)
        entry = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._subs.setdefault(channel, set()).add(entry)
        try:
            yield queue
        finally:
            with self._lock:
                subs = self._subs.get(channel)
                if subs is not None:
                    subs.discard(entry)
                    if not subs:
                        del self._subs[channel]

    def subscriber_count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._subs.values())

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


def _put(queue: asyncio.Queue[bytes], data: bytes) -> None:
    if queue.full():  # a slow reader loses the oldest update rather than stalling everyone
        queue.get_nowait()
    queue.put_nowait(data)


def _put_all(queues: list[asyncio.Queue[bytes]], data: bytes) -> None:
    for queue in queues:
        _put(queue, data)


def publish_events(bus: Bus, pending: list[events.Event]) -> None:
    """Send committed domain events to the channels that care about them."""
    for event in pending:
        if isinstance(event, events.CommentChanged):
            if event.public:
                bus.publish(
                    story_channel(event.site_id, event.story_external_id),
                    {"type": f"comment.{event.kind}", "comment": event.payload},
                )
        elif isinstance(event, events.NoticeCreated):
            bus.publish(
                moderation_channel(event.site_id),
                {
                    "type": event.kind,
                    "notice_id": event.notice_id,
                    "comment_id": event.comment_id,
                    "reason": event.reason,
                },
            )
        else:
            bus.publish(
                moderation_channel(event.site_id),
                {
                    "type": f"moderation.{event.kind}",
                    "comment_id": event.comment_id,
                    **event.payload,
                },
            )
