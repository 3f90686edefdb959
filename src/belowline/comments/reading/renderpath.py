"""Anonymous thread pages rendered before the framework runs: no dependency graph, no thread hop.

A public page is the same for every anonymous reader, so its request needs none of what the
framework does for it (routing, dependencies, a session, a thread-pool hop): on a page cache
miss, or with the cache off, most of an uncached page's CPU went there. This layer renders
such a page from the worker's own read connection (`ReadConnection`) with the same builder
(`threads.public_page`), and answers with the full app's headers. Anything unusual falls
through to the full app, which answers as it always did: a credential, an unknown, repeated
or empty parameter, a bad cursor, an unknown story or site, a database error.

With the page cache on, a page rendered here fills it, and the fast path in front serves it
next time; with it off, every page is rendered and nothing is remembered.
"""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import parse_qsl

import orjson
from sqlalchemy import Engine
from starlette.types import ASGIApp, Receive, Scope, Send

from belowline.comments import threads
from belowline.comments.cache import PageCache, etag_for, page_key
from belowline.comments.cursors import Sort, decode_cursor
from belowline.comments.readconn import ReadConnection
from belowline.metrics import registry as m
from belowline.stories.service import StoryRef
from belowline.web.middleware import cors_headers, hsts_value, is_personal, security_headers

_PATH = re.compile(r"^/api/v1/sites/([^/]+)/stories/([^/]+)/comments$")
ROUTE = "/api/v1/sites/{site_id}/stories/{story_id}/comments"
_SORTS = frozenset(s.value for s in Sort)
_CACHE_CONTROL = b"public, max-age=0, must-revalidate"  # as the route's `_PUBLIC`
_MAX_CURSOR = 500  # the route's `max_length`
_STORY_SQL = (
    "SELECT st.id, st.version, st.comment_count, s.settings FROM stories st"
    " JOIN sites s ON s.id = st.site_id WHERE st.site_id = {m} AND st.external_id = {m}"
)


class _Connection:
    """The read connection as a `threads.Rows`."""

    def __init__(self, db: ReadConnection, sql: threads.Statements) -> None:
        self.db = db
        self.sql = sql

    def rows(self, text: str, params: tuple[Any, ...]) -> list[Any]:
        return self.db.query(text, params)


class ThreadRenderPath:
    def __init__(
        self,
        app: ASGIApp,
        *,
        engine: Engine,
        cache: PageCache,
        is_allowed: Any,
        hsts_seconds: int = 0,
    ) -> None:
        self.app = app
        self.cache = cache
        self.is_allowed = is_allowed
        self.conn = _Connection(ReadConnection(engine), threads.statements(engine.dialect))
        self.story_sql = _STORY_SQL.format(m=self.conn.sql.mark)
        self.hsts = hsts_value(hsts_seconds)
        self.ok = m.REQUESTS.labels(method="GET", route=ROUTE, status="200")
        self.not_modified = m.REQUESTS.labels(method="GET", route=ROUTE, status="304")
        self.latency = m.LATENCY.labels(method="GET", route=ROUTE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = _page_request(scope) if scope["type"] == "http" else None
        if request is None:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            answer = self._answer(scope, *request)
        except Exception:  # a bad cursor (422), the database (503): the full app says which
            answer = None
        if answer is None:
            await self.app(scope, receive, send)
            return
        status, headers, body = answer
        origin = _header(scope, b"origin")
        if origin and self.is_allowed(origin.decode("latin-1"), request[0]):
            headers = headers + cors_headers(origin)
        scope["belowline.route"] = ROUTE
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        (self.ok if status == 200 else self.not_modified).inc()
        self.latency.observe(time.perf_counter() - started)

    def _answer(
        self, scope: Scope, site_id: str, story_id: str, sort: str, limit: int, cursor: str | None
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        if cursor:
            decode_cursor(cursor, sort)  # InvalidInput: the route's 422
        found = self.conn.rows(self.story_sql, (site_id, story_id))
        if not found:
            return None  # story_not_found or site_not_found: the route says which
        pk, version, count, settings = found[0]
        key = page_key(int(pk), int(version), sort, limit, cursor)
        etag = etag_for(key).encode()
        if _header(scope, b"if-none-match") == etag:  # what the route answers, unrendered
            own = [(b"etag", etag), (b"cache-control", _CACHE_CONTROL)]
            return 304, own + security_headers({k for k, _ in own}, self.hsts), b""
        body = self.cache.get(key)
        if body is None:
            story = StoryRef(int(pk), site_id, story_id, int(version), int(count))
            page = threads.public_page(
                self.conn,
                story=story,
                sort=Sort(sort),
                limit=limit,
                cursor=cursor,
                badge=threads.badge_in(settings),
            )
            body = orjson.dumps(page)
            self.cache.set(key, body)
        own = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
            (b"etag", etag),
            (b"cache-control", _CACHE_CONTROL),
        ]
        return 200, own + security_headers({k for k, _ in own}, self.hsts), body


def _page_request(scope: Scope) -> tuple[str, str, str, int, str | None] | None:
    """(site, story, sort, limit, cursor) of a plain anonymous page read, else None."""
    if scope["method"] != "GET" or is_personal(scope, []):
        return None
    match = _PATH.match(scope["path"])
    if match is None or "\x00" in scope["path"]:
        return None
    qs: bytes = scope["query_string"]
    if b"%00" in qs or b"\x00" in qs:
        return None  # the input guard's 422
    pairs = parse_qsl(qs.decode("latin-1"), keep_blank_values=True)
    params = dict(pairs)
    if len(params) != len(pairs) or not params.keys() <= {"sort", "limit", "cursor"}:
        return None
    sort = params.get("sort", "newest")
    limit = params.get("limit", "20")
    cursor = params.get("cursor")
    if sort not in _SORTS or not limit.isdigit() or not 1 <= int(limit) <= 100:
        return None
    if cursor is not None and not 0 < len(cursor) <= _MAX_CURSOR:
        return None
    return match.group(1), match.group(2), sort, int(limit), cursor


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def wrap(app: Any, **kwargs: Any) -> None:
    """Put the render path outside the app's whole stack (inside the read fast path)."""
    build = app.build_middleware_stack

    def build_with_render_path() -> ASGIApp:
        return ThreadRenderPath(build(), **kwargs)

    app.build_middleware_stack = build_with_render_path
