"""Server-Sent Events for a story's readers: new, edited and removed comments."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from belowline.errors import ErrorCode, NotFound
from belowline.live.bus import Bus, story_channel
from belowline.stories.service import find_story

router = APIRouter(tags=["live"])
KEEPALIVE_SECONDS = 15.0


async def stream(request: Request, bus: Bus, channel: str) -> AsyncIterator[bytes]:
    """Yield SSE frames from a bus channel until the client goes away."""
    async with bus.subscribe(channel) as queue:
        yield b"retry: 3000\n: connected\n\n"
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


def _story_exists(request: Request, site_id: str, story_id: str) -> bool:
    # A short session of its own: a dependency's would stay checked out for the whole stream.
    with request.app.state.sessionmaker() as session:
        return find_story(session, site_id=site_id, external_id=story_id) is not None


@router.get("/api/v1/sites/{site_id}/stories/{story_id}/events")
async def story_events(site_id: str, story_id: str, request: Request) -> StreamingResponse:
    """Live updates for one story's thread (Server-Sent Events); no stream for unknown stories."""
    if not await anyio.to_thread.run_sync(_story_exists, request, site_id, story_id):
        raise NotFound("No such story on this site.", code=ErrorCode.STORY_NOT_FOUND)
    return sse_response(request, story_channel(site_id, story_id))
