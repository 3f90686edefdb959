"""A post answered before the framework runs: the body parsed once, one thread-pool hop.

Through FastAPI a post paid for routing, the dependency graph solved per request, six
layers of middleware each wrapping `send`, and two thread hops (the reader's lookup, the
endpoint). Here the common case — `POST …/stories/{story}/comments` with a JSON body of at
most `max_request_bytes`, a bearer token, no query — is answered by one callable: the body is
read and validated with the route's own `CommentIn`, then the token's reader, the rate limit,
the post itself (`flow.post_and_view`, the route's steps), the commit and the bus run in one
hop to the worker's post threads (`executor.PostThreads`), and the answer leaves with the
headers the middleware would add.

Anything else goes to the full app untouched (the body replayed): another content type, a
chunked or oversized body, a NUL, a query string, no bearer token, repeated headers, an htmx
request, and every body the route would refuse before its dependencies run (not JSON, not an
object, not a valid `CommentIn`): the full app answers those, so their answers are its own.
Errors raised by the post itself are rendered by the app's own handlers (web/errors.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import State
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from belowline import events
from belowline.clock import Clock
from belowline.comments.posting import flow
from belowline.comments.posting.executor import PostThreads
from belowline.comments.schemas import CommentIn
from belowline.metrics import registry as m
from belowline.settings import Settings
from belowline.web import errors
from belowline.web.deps import bearer_token, commit, token_user
from belowline.web.input_guard import has_json_nul
from belowline.web.middleware import cors_headers, hsts_value, replay, secured

_PATH = re.compile(r"^/api/v1/sites/([^/]+)/stories/([^/]+)/comments$")
ROUTE = "/api/v1/sites/{site_id}/stories/{story_id}/comments"
# The request headers read here; one given twice goes to the full app (its layers do not
# all agree on which copy counts).
_READ = {b"content-length", b"content-type", b"authorization", b"origin"}
_HANDED_ON = (b"hx-request", b"transfer-encoding")


class PostFastPath:
    """What the route reads of the app's state (session factory, clock, bus, rate limiter,
    post policy) is read here at each post too, so a state the app was given later counts."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        state: State,
        is_allowed: Callable[[str, str | None], bool],
    ) -> None:
        self.app = app
        self.state = state
        self.is_allowed = is_allowed
        settings: Settings = state.settings
        self.max_bytes = settings.max_request_bytes  # as BodyGuard and SecurityHeaders keep them
        self.hsts = hsts_value(settings.hsts_seconds)
        self.latency = m.LATENCY.labels(method="POST", route=ROUTE)
        self.created = m.REQUESTS.labels(method="POST", route=ROUTE, status="201")
        self.answered = 0  # posts answered here, not handed on (tests read it)
        # Each holds one session at a time: they count against the pool beside the gate's.
        self.threads = PostThreads(settings.post_threads)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["query_string"]:
            await self.app(scope, receive, send)
            return
        match = _PATH.match(scope["path"])
        head = _head(scope) if match is not None and "\x00" not in scope["path"] else None
        if head is None or not self._takes(head):
            await self.app(scope, receive, send)
            return
        assert match is not None  # noqa: S101 - head is None without a match
        started = time.perf_counter()
        messages, body = await _read(receive)
        parsed = _parse(body) if body is not None else None
        token = bearer_token(head[b"authorization"].decode("latin-1"))
        origin = head.get(b"origin")
        allowed = False
        try:  # before any work: the full app must be able to answer instead
            allowed = (
                origin is not None
                and origin != b""
                and self.is_allowed(origin.decode("latin-1"), match[1])
            )
        except Exception:  # the origins were never loaded and the database is away: its 503
            parsed = None
        if parsed is None or token is None:
            await self.app(scope, replay(messages, receive), send)
            return
        status, headers, answer = await self._post(scope, match[1], match[2], parsed, token)
        headers = secured(scope, headers, self.hsts)
        if allowed and origin:
            headers += cors_headers(origin)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": answer})
        self.answered += 1
        counter = self.created if status == 201 else None
        if counter is None:
            counter = m.REQUESTS.labels(method="POST", route=ROUTE, status=str(status))
        counter.inc()
        self.latency.observe(time.perf_counter() - started)

    def _takes(self, head: dict[bytes, bytes]) -> bool:
        length = head.get(b"content-length", b"")
        ctype = head.get(b"content-type", b"").split(b";")[0].strip().lower()
        return (
            length.isdigit()
            and 0 < int(length) <= self.max_bytes
            and ctype == b"application/json"
            and b"authorization" in head
        )

    async def _post(
        self, scope: Scope, site_id: str, story_id: str, body: CommentIn, token: str
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        state = self.state
        clock: Clock = state.clock
        now = clock()
        try:
            answer = await self.threads.run(_work, state, site_id, story_id, body, token, now)
        except Exception as exc:  # rendered as the app's handlers render it
            response = await errors.render(Request(scope), exc)
            return response.status_code, list(response.raw_headers), bytes(response.body)
        headers = [
            (b"content-length", str(len(answer)).encode()),
            (b"content-type", b"application/json"),
        ]
        return 201, headers, answer


def _work(
    state: State, site_id: str, story_id: str, body: CommentIn, token: str, now: datetime
) -> bytes:
    """The reader, the rate limit, the post, its commit and events: one hop."""
    settings: Settings = state.settings
    session: Session = state.sessionmaker()
    try:
        user = token_user(session, token, settings, now)
        out = flow.post_and_view(
            session,
            site_id=site_id,
            story_id=story_id,
            body=body,
            user=user,
            now=now,
            policy=state.post_policy,
            limiter=state.rate_limiter,
            limit=settings.rate_limit_posts,
        )
        commit(session, state.bus)
        return orjson.dumps(out)
    finally:
        events.discard_pending(session)
        session.close()


def _head(scope: Scope) -> dict[bytes, bytes] | None:
    """The request headers read here, or None when one is repeated or asks for the full app."""
    out: dict[bytes, bytes] = {}
    for key, value in scope["headers"]:
        if key in _READ:
            if key in out:
                return None
            out[key] = value
        elif key in _HANDED_ON:
            return None
    return out


async def _read(receive: Receive) -> tuple[list[Message], bytes | None]:
    """The body's messages (to replay) and the body, or None if the client went away."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        if not message.get("more_body", False):
            break
    return messages, b"".join(m.get("body", b"") for m in messages)


def _parse(body: bytes) -> CommentIn | None:
    """The body as the route would validate it, or None for anything it would refuse (a NUL,
    not JSON, not an object, invalid fields): the full app gives those their answers."""
    if has_json_nul(body):
        return None
    try:
        data: Any = orjson.loads(body)  # stricter than json.loads: what it refuses falls through
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    try:
        return CommentIn.model_validate(data)  # Python mode, as FastAPI validates a parsed body
    except ValidationError:
        return None


def wrap(app: Any, **kwargs: Any) -> None:
    """Put the post path outside the app's whole stack (and the read fast path)."""
    build = app.build_middleware_stack

    def build_with_post_path() -> ASGIApp:
        return PostFastPath(build(), **kwargs)

    app.build_middleware_stack = build_with_post_path
