"""Anonymous thread reads and counts served straight from the page cache, before the framework runs.

A hot story is read by thousands of anonymous readers for every change. Their requests carry
no credentials and differ only by (sort, limit, cursor), so the answer is the cached public
page for the story's current version: one indexed lookup and a cache read. Anything
unusual (a credential, an unknown parameter, a cache miss) falls through to the full route,
which validates, renders and fills the cache.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

import orjson
from sqlalchemy import Engine
from starlette.types import ASGIApp, Receive, Scope, Send

from belowline.comments.cache import PageCache, etag_for, page_key

_PATH = re.compile(r"^/api/v1/sites/([^/]+)/stories/([^/]+)/comments$")
_COUNTS = re.compile(r"^/api/v1/sites/([^/]+)/counts$")
_SORTS = {"newest", "oldest", "reactions", "replies", "featured"}
_STORY_SQL = "SELECT id, version FROM stories WHERE site_id = {p} AND external_id = {p}"


class ThreadReadFastPath:
    def __init__(self, app: ASGIApp, *, engine: Engine, cache: PageCache) -> None:
        self.app = app
        self.engine = engine
        self.cache = cache
        self._conn: Any = None
        self._autocommit = False
        self.mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self.sql = _STORY_SQL.format(p=self.mark)

    def _connect(self) -> Any:
        conn = self.engine.raw_connection()
        if self.engine.dialect.name == "postgresql":
            # Autocommit: one round trip per lookup instead of BEGIN, SELECT and COMMIT.
            conn.driver_connection.autocommit = True  # type: ignore[union-attr]
            self._autocommit = True
        return conn

    def _query(self, sql: str, params: tuple[str, ...]) -> list[Any]:
        # One connection per worker, kept: the event loop runs one lookup at a time.
        for attempt in (0, 1):
            if self._conn is None:
                self._conn = self._connect()
            try:
                cur = self._conn.cursor()
                cur.execute(sql, params)
                rows = list(cur.fetchall())
                cur.close()
                if not self._autocommit:
                    self._conn.commit()  # end the read so the next lookup sees new versions
                return rows
            except Exception:
                self._conn.invalidate()
                self._conn = None
                if attempt:
                    raise
        return []

    def _story_version(self, site_id: str, story_id: str) -> tuple[int, int] | None:
        rows = self._query(self.sql, (site_id, story_id))
        return (int(rows[0][0]), int(rows[0][1])) if rows else None

    async def _counts(self, scope: Scope, receive: Receive, send: Send, site_id: str) -> None:
        """Counts for many stories: one IN query; unknown sites fall through for the 404."""
        pairs = parse_qsl(scope["query_string"].decode("latin-1"))
        stories = [v for k, v in pairs if k == "story"]
        if not stories or len(stories) > 200 or len(stories) != len(pairs):
            await self.app(scope, receive, send)
            return
        marks = ", ".join([self.mark] * len(stories))
        try:
            rows = self._query(
                f"SELECT external_id, comment_count FROM stories "  # noqa: S608 - placeholders
                f"WHERE site_id = {self.mark} AND external_id IN ({marks})",
                (site_id, *stories),
            )
        except Exception:  # the database is unreachable: the route answers (a 503)
            rows = []
        if not rows:
            await self.app(scope, receive, send)
            return
        result = dict.fromkeys(stories, 0)
        result.update({str(k): int(v) for k, v in rows})
        body = orjson.dumps(result)
        scope["belowline.route"] = "/api/v1/sites/{site_id}/counts"
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"public, max-age=10"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        match = _PATH.match(scope["path"])
        if match is None:
            counts = _COUNTS.match(scope["path"])
            if counts is not None:
                await self._counts(scope, receive, send, counts.group(1))
                return
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if b"authorization" in headers:
            await self.app(scope, receive, send)
            return
        params = dict(parse_qsl(scope["query_string"].decode("latin-1")))
        sort = params.pop("sort", "newest")
        limit = params.pop("limit", "20")
        cursor = params.pop("cursor", None)
        if params or sort not in _SORTS or not limit.isdigit() or not 1 <= int(limit) <= 100:
            await self.app(scope, receive, send)
            return
        try:
            story = self._story_version(match.group(1), match.group(2))
        except Exception:  # the database is unreachable: the route answers (a 503), not us
            story = None
        if story is None:
            await self.app(scope, receive, send)
            return
        key = page_key(story[0], story[1], sort, int(limit), cursor)
        body = self.cache.get(key)
        if body is None:
            await self.app(scope, receive, send)
            return
        scope["belowline.route"] = "/api/v1/sites/{site_id}/stories/{story_id}/comments"
        etag = etag_for(key).encode()
        common = [
            (b"etag", etag),
            (b"cache-control", b"public, max-age=0, must-revalidate"),
            (b"x-cache", b"hit"),
        ]
        if headers.get(b"if-none-match") == etag:
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *common,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
