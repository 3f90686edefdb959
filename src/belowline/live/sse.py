"""Server-Sent Events for a story's readers: new, edited and removed comments."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from belowline.live.bus import Bus, story_channel
from belowline.metrics.registry import SSE_CONNECTIONS

router = APIRouter(tags=["live"])
KEEPALIVE_SECONDS = 15.0


async def stream(request: Request, bus: Bus, channel: str) -> AsyncIterator[bytes]:
    """Yield SSE frames from a bus channel until the client goes away."""
    async with bus.subscribe(channel) as queue:
        SSE_CONNECTIONS.inc()
        try:
            yield b"retry: 3000\n: connected\n\n"
            async for frame in _frames(request, queue):
                yield frame
        finally:
            SSE_CONNECTIONS.dec()


async def _frames(request: Request, queue: asyncio.Queue[bytes]) -> AsyncIterator[bytes]:
    while True:
        try:
            data = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
        except TimeoutError:
            if await request.is_disconnected():
                return
            yield b": keepalive\n\n"
            continue
        yield b"data: " + data + b"\n\n"


def sse_response(request: Request, channel: str) -> StreamingResponse:
    bus: Bus = request.app.state.bus
    return StreamingResponse(
        stream(request, bus, channel),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/api/v1/sites/{site_id}/stories/{story_id}/events")
async def story_events(site_id: str, story_id: str, request: Request) -> StreamingResponse:
    """Live updates for one story's thread (Server-Sent Events)."""
    return sse_response(request, story_channel(site_id, story_id))
