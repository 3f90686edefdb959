"""Anonymous thread pages rendered before the framework runs: no dependency graph, no thread hop.

A public page is the same for every anonymous reader, so its request needs none of what the
framework does for it (routing, dependencies, a session, a thread-pool hop): on a page cache
miss, or with the cache off, most of an uncached page's CPU went there. This layer renders
such a page from the worker's own read connection (`ReadConnection`) with the same builder
(`threads.public_page`), and answers with the full app's headers. Anything unusual falls
through to the full app, which answers as it always did: a credential, an unknown, repeated
or empty parameter, a bad cursor, an unknown story or site, a database error.

With the page cache on, a page rendered here fills it, and the fast path in front serves it
next time; with it off, every page is rendered and nothing is remembered. Comment counts for
many stories (the article list's call) are read here the same way when the fast path does not
serve them (the cache off).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
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
_COUNTS = re.compile(r"^/api/v1/sites/([^/]+)/counts$")
ROUTE = "/api/v1/sites/{site_id}/stories/{story_id}/comments"
COUNTS_ROUTE = "/api/v1/sites/{site_id}/counts"
_COUNTS_CACHE_CONTROL = b"public, max-age=10"  # as the counts route says
_MAX_STORIES = 200  # the counts route's limit
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
        is_allowed: Callable[[str, str | None], bool],
        hsts_seconds: int = 0,
    ) -> None:
        self.app = app
        self.cache = cache
        self.is_allowed = is_allowed
        db = ReadConnection(engine)
        self.conn = _Connection(db, threads.statements(engine.dialect))
        # In memory every session shares one connection: reads here could end their work.
        self.enabled = db.postgres or db.versioned
        self.story_sql = _STORY_SQL.format(m=self.conn.sql.mark)
        self.hsts = hsts_value(hsts_seconds)
        self.ok = m.REQUESTS.labels(method="GET", route=ROUTE, status="200")
        self.not_modified = m.REQUESTS.labels(method="GET", route=ROUTE, status="304")
        self.latency = m.LATENCY.labels(method="GET", route=ROUTE)
        self.counts_ok = m.REQUESTS.labels(method="GET", route=COUNTS_ROUTE, status="200")
        self.counts_latency = m.LATENCY.labels(method="GET", route=COUNTS_ROUTE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not self.enabled
            or not _plain(scope)
        ):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        site_id = ""
        answer = None
        try:
            request = _page_request(scope)
            if request is not None:
                site_id, route = request[0], ROUTE
                answer = self._answer(scope, *request)
            else:
                counts = _COUNTS.match(scope["path"])
                if counts is not None:
                    site_id, route = counts.group(1), COUNTS_ROUTE
                    answer = self._counts(site_id, scope["query_string"])
        except Exception:  # a bad cursor (422), the database (503): the full app says which
            answer = None
        if answer is None:
            await self.app(scope, receive, send)
            return
        status, headers, body = answer
        origin = _header(scope, b"origin")
        if origin and self.is_allowed(origin.decode("latin-1"), site_id):
            headers = headers + cors_headers(origin)
        scope["belowline.route"] = route
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        if route == COUNTS_ROUTE:
            self.counts_ok.inc()
            self.counts_latency.observe(time.perf_counter() - started)
        else:
            (self.ok if status == 200 else self.not_modified).inc()
            self.latency.observe(time.perf_counter() - started)

    def _counts(
        self, site_id: str, qs: bytes
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        """Counts for many stories: one IN query; an unknown site falls through for the 404."""
        pairs = parse_qsl(qs.decode("latin-1"), keep_blank_values=True)
        stories = [v for k, v in pairs if k == "story"]
        if not stories or len(stories) > _MAX_STORIES or len(stories) != len(pairs):
            return None
        mark = self.conn.sql.mark
        marks = ", ".join([mark] * len(stories))
        rows = self.conn.rows(
            f"SELECT external_id, comment_count FROM stories "  # noqa: S608 - placeholders
            f"WHERE site_id = {mark} AND external_id IN ({marks})",
            (site_id, *stories),
        )
        if not rows:  # no such story, or no such site: the route says which (404 or 0s)
            return None
        result = dict.fromkeys(stories, 0)
        result.update({str(k): int(v) for k, v in rows})
        body = orjson.dumps(result)
        own = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
            (b"cache-control", _COUNTS_CACHE_CONTROL),
        ]
        return 200, own + security_headers({k for k, _ in own}, self.hsts), body

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


def _plain(scope: Scope) -> bool:
    """An anonymous public read (its answer would be personal otherwise) and no NUL (the
    input guard refuses those with a 422)."""
    if is_personal(scope, []):
        return False
    qs: bytes = scope["query_string"]
    return b"%00" not in qs and b"\x00" not in qs and "\x00" not in scope["path"]


def _page_request(scope: Scope) -> tuple[str, str, str, int, str | None] | None:
    """(site, story, sort, limit, cursor) of a page read the route would answer, else None."""
    match = _PATH.match(scope["path"])
    if match is None:
        return None
    qs: bytes = scope["query_string"]
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
