"""Server-Sent Events for a story's readers: new, edited and removed comments."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from belowline.errors import BelowlineError, ErrorCode, NotFound
from belowline.live.bus import Bus, story_channel
from belowline.metrics.registry import SSE_CONNECTIONS
from belowline.stories.models import Site
from belowline.stories.service import find_story
from belowline.stories.story_token import verify_story_token

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


def _may_listen(request: Request, site_id: str, story_id: str, story_token: str | None) -> bool:
    """A known story, or one the site's signed story token names (it will exist on first post)."""
    # A short session of its own: a dependency's would stay checked out for the whole stream.
    with request.app.state.sessionmaker() as session:
        if find_story(session, site_id=site_id, external_id=story_id) is not None:
            return True
        site = session.get(Site, site_id)
        if site is None or not story_token:
            return False
        try:
            verify_story_token(site, story_token, story_id=story_id, now=request.app.state.clock())
        except BelowlineError:
            return False
        return True


@router.get(
    "/api/v1/sites/{site_id}/stories/{story_id}/events",
    response_class=Response,
    responses={
        200: {
            "description": "Server-sent events",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
    },
)
async def story_events(
    site_id: str,
    story_id: str,
    request: Request,
    story_token: Annotated[str | None, Query(max_length=4000)] = None,
) -> StreamingResponse:
    """Live updates for one story's thread (Server-Sent Events); no stream for unknown stories."""
    if not await anyio.to_thread.run_sync(_may_listen, request, site_id, story_id, story_token):
        raise NotFound("No such story on this site.", code=ErrorCode.STORY_NOT_FOUND)
    return sse_response(request, story_channel(site_id, story_id))
