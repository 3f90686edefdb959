"""Anonymous thread reads and counts served straight from the page cache, before the framework runs.

A hot story is read by thousands of anonymous readers for every change. Their requests carry
no credentials and differ only by (sort, limit, cursor), so the answer is the cached public
page for the story's current version. Anything unusual (a credential, an unknown parameter,
a NUL, a cache miss) falls through to the full app, which validates, renders and fills the
cache. This layer sits outside every other one, so it adds what they would: the security
headers, CORS for the site's allowed origins and the request metrics.

Each worker keeps the finished answers (headers and body) it served, with the story version
they were built for. On a SQLite file, `PRAGMA data_version` says whether any other
connection committed since the last look: while it has not, an answer is served with no
query at all. On PostgreSQL an answer is confirmed by its own lookup (the story's version, or
the counts) returning the rows it was built from, through one async connection whose round
trips are shared by the requests that arrived before each was sent (`comments.readconn`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import orjson
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from belowline.comments.cache import PageCache, etag_for, page_key
from belowline.comments.readconn import PgReader, ReadConnection
from belowline.metrics import registry as m
from belowline.web.middleware import cors_headers, hsts_value, is_personal, security_headers
from belowline.web.serving import ARRIVED

_PATH = re.compile(r"^/api/v1/sites/([^/]+)/stories/([^/]+)/comments$")
_COUNTS = re.compile(r"^/api/v1/sites/([^/]+)/counts$")
_SORTS = {"newest", "oldest", "reactions", "replies", "featured"}
_STORY_SQL = "SELECT id, version FROM stories WHERE site_id = {p} AND external_id = {p}"
PAGE_ROUTE = "/api/v1/sites/{site_id}/stories/{story_id}/comments"
COUNTS_ROUTE = "/api/v1/sites/{site_id}/counts"
_PAGE_CACHE_CONTROL = b"public, max-age=0, must-revalidate"
_COUNTS_CACHE_CONTROL = b"public, max-age=10"
MAX_ANSWERS = 4096  # finished answers kept per worker; the oldest go first
MAX_ANSWER_BYTES = 16 * 2**20  # and their bodies' bytes (a body the page cache dropped stays here)


class _Counted:
    """The metrics the full app would record, their label children resolved once."""

    def __init__(self, route: str) -> None:
        self.ok = m.REQUESTS.labels(method="GET", route=route, status="200")
        self.not_modified = m.REQUESTS.labels(method="GET", route=route, status="304")
        self.latency = m.LATENCY.labels(method="GET", route=route)

    def record(self, status: int, started: float) -> None:
        (self.ok if status == 200 else self.not_modified).inc()
        self.latency.observe(time.perf_counter() - started)


class _Answer:
    """A finished answer: its start message (without CORS), body and what it depends on."""

    __slots__ = (
        "basis",
        "body",
        "etag",
        "key",
        "lookup",
        "metrics",
        "route",
        "seen",
        "site_id",
        "start",
    )

    def __init__(
        self,
        key: str,
        seen: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        *,
        site_id: str,
        route: str,
        metrics: _Counted,
    ) -> None:
        self.key = key  # the page key (story version included); "" for counts
        self.seen = seen  # the data_version it was last confirmed at (SQLite files)
        self.start: Message = {"type": "http.response.start", "status": 200, "headers": headers}
        self.body: Message = {"type": "http.response.body", "body": body}
        self.etag = b""
        self.site_id = site_id
        self.route = route
        self.metrics = metrics
        self.lookup: tuple[str, tuple[str, ...]] = ("", ())  # the statement it depends on
        self.basis: frozenset[Any] = frozenset()  # and the rows it returned


class ThreadReadFastPath:
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
        self.db = ReadConnection(engine)
        self.pg = PgReader(engine) if self.db.postgres else None
        self.sql = _STORY_SQL.format(p=self.db.mark)
        self.hsts = hsts_value(hsts_seconds)
        self._answers: dict[tuple[str, bytes], _Answer] = {}
        self._answer_bytes = 0
        self._page = _Counted(PAGE_ROUTE)
        self._counts_metrics = _Counted(COUNTS_ROUTE)

    def _headers(self, own: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        return own + security_headers({k for k, _ in own}, self.hsts)

    def _remember(self, where: tuple[str, bytes], answer: _Answer) -> None:
        old = self._answers.pop(where, None)
        if old is not None:
            self._answer_bytes -= len(old.body["body"])
        size = len(answer.body["body"])
        while self._answers and (
            len(self._answers) >= MAX_ANSWERS or self._answer_bytes + size > MAX_ANSWER_BYTES
        ):
            oldest = self._answers.pop(next(iter(self._answers)))
            self._answer_bytes -= len(oldest.body["body"])
        self._answers[where] = answer
        self._answer_bytes += size

    async def _send(self, scope: Scope, send: Send, answer: _Answer, started: float) -> None:
        start = answer.start
        status = 200
        if answer.etag and _header(scope, b"if-none-match") == answer.etag:
            start, status = _not_modified(answer, self.hsts), 304
        origin = _header(scope, b"origin")
        if origin and self.is_allowed(origin.decode("latin-1"), answer.site_id):
            start = {**start, "headers": start["headers"] + cors_headers(origin)}
        scope["belowline.route"] = answer.route
        await send(start)
        await send(answer.body if status == 200 else _EMPTY)
        answer.metrics.record(status, started)

    async def _rows(
        self, sql: str, params: tuple[str, ...], arrived: float | None
    ) -> tuple[list[Any], int]:
        """A lookup's rows, sent after `arrived`, and the data_version to confirm them by."""
        if self.pg is not None:
            return await self.pg.query_since(sql, params, arrived), -1
        seen = self.db.data_version()  # read first: a commit after it changes it again
        return self.db.query_since(sql, params, arrived), -1 if seen is None else seen

    async def _page_answer(
        self,
        where: tuple[str, bytes],
        site_id: str,
        story_id: str,
        params: tuple[Any, ...],
        arrived: float | None,
    ) -> _Answer | None:
        lookup = (self.sql, (site_id, story_id))
        rows, seen = await self._rows(*lookup, arrived)
        if not rows:
            return None
        key = page_key(int(rows[0][0]), int(rows[0][1]), *params)
        answer = self._answers.get(where)
        if answer is not None and answer.key == key:
            answer.seen = seen
            answer.basis = frozenset(rows)
            return answer
        body = self.cache.get(key)
        if body is None:
            return None
        etag = etag_for(key).encode()
        answer = _Answer(
            key,
            seen,
            self._headers(
                [
                    (b"content-length", str(len(body)).encode()),
                    (b"content-type", b"application/json"),
                    (b"etag", etag),
                    (b"cache-control", _PAGE_CACHE_CONTROL),
                    (b"x-cache", b"hit"),
                ]
            ),
            body,
            site_id=site_id,
            route=PAGE_ROUTE,
            metrics=self._page,
        )
        answer.etag = etag
        answer.lookup, answer.basis = lookup, frozenset(rows)
        self._remember(where, answer)
        return answer

    async def _thread(
        self, scope: Scope, receive: Receive, send: Send, match: re.Match[str]
    ) -> None:
        started = time.perf_counter()
        qs: bytes = scope["query_string"]
        params = dict(parse_qsl(qs.decode("latin-1"), keep_blank_values=True))
        sort = params.pop("sort", "newest")
        limit = params.pop("limit", "20")
        cursor = params.pop("cursor", None)
        if params or sort not in _SORTS or not limit.isdigit() or not 1 <= int(limit) <= 100:
            await self.app(scope, receive, send)
            return
        site_id, story_id = match.group(1), match.group(2)
        where = (scope["path"], qs)
        try:
            answer = await self._page_answer(
                where, site_id, story_id, (sort, int(limit), cursor), scope.get(ARRIVED)
            )
        except Exception:  # the database is unreachable: the full app answers (a 503), not us
            answer = None
        if answer is None:
            await self.app(scope, receive, send)
            return
        await self._send(scope, send, answer, started)

    async def _counts_answer(
        self, where: tuple[str, bytes], site_id: str, arrived: float | None
    ) -> _Answer | None:
        pairs = parse_qsl(where[1].decode("latin-1"), keep_blank_values=True)
        stories = [v for k, v in pairs if k == "story"]
        if not stories or len(stories) > 200 or len(stories) != len(pairs):
            return None
        marks = ", ".join([self.db.mark] * len(stories))
        lookup = (
            f"SELECT external_id, comment_count FROM stories "  # noqa: S608 - placeholders
            f"WHERE site_id = {self.db.mark} AND external_id IN ({marks})",
            (site_id, *stories),
        )
        rows, seen = await self._rows(*lookup, arrived)
        if not rows:  # no such story, or no such site: the full app says which (404 or 0s)
            return None
        result = dict.fromkeys(stories, 0)
        result.update({str(k): int(v) for k, v in rows})
        body = orjson.dumps(result)
        answer = _Answer(
            "",
            seen,
            self._headers(
                [
                    (b"content-length", str(len(body)).encode()),
                    (b"content-type", b"application/json"),
                    (b"cache-control", _COUNTS_CACHE_CONTROL),
                ]
            ),
            body,
            site_id=site_id,
            route=COUNTS_ROUTE,
            metrics=self._counts_metrics,
        )
        answer.lookup, answer.basis = lookup, frozenset(rows)
        if self.db.versioned or self.pg is not None:
            self._remember(where, answer)
        return answer

    async def _counts(self, scope: Scope, receive: Receive, send: Send, site_id: str) -> None:
        """Counts for many stories: one IN query; unknown sites fall through for the 404."""
        started = time.perf_counter()
        try:
            answer = await self._counts_answer(
                (scope["path"], scope["query_string"]), site_id, scope.get(ARRIVED)
            )
        except Exception:  # the database is unreachable: the full app answers (a 503)
            answer = None
        if answer is None:
            await self.app(scope, receive, send)
            return
        await self._send(scope, send, answer, started)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not _plain(scope):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        answer = self._answers.get((path, scope["query_string"]))
        if answer is not None and self.db.versioned:
            # The hot case: an answer this worker gave before, and no commit since.
            started = time.perf_counter()
            try:
                current = answer.seen == self.db.data_version()
            except Exception:  # the database is unreachable: the full app answers (a 503)
                current = False
            if current:
                await self._send(scope, send, answer, started)
                return
        elif answer is not None and self.pg is not None:
            # PostgreSQL: the answer's own lookup, shared, returns the rows it was built from.
            started = time.perf_counter()
            try:
                rows = await self.pg.query_since(*answer.lookup, scope.get(ARRIVED))
                current = frozenset(rows) == answer.basis
            except Exception:  # the database is unreachable: the full app answers (a 503)
                current = False
            if current:
                await self._send(scope, send, answer, started)
                return
        match = _PATH.match(path)
        if match is not None:
            await self._thread(scope, receive, send, match)
            return
        counts = _COUNTS.match(path)
        if counts is not None:
            await self._counts(scope, receive, send, counts.group(1))
            return
        await self.app(scope, receive, send)


_EMPTY: Message = {"type": "http.response.body", "body": b""}


def _not_modified(answer: _Answer, hsts: bytes) -> Message:
    own = [(b"etag", answer.etag), (b"cache-control", _PAGE_CACHE_CONTROL), (b"x-cache", b"hit")]
    headers = own + security_headers({k for k, _ in own}, hsts)
    return {"type": "http.response.start", "status": 304, "headers": headers}


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def _plain(scope: Scope) -> bool:
    """An anonymous public read: no credential (its answer would be personal) and no NUL
    (the input guard refuses those with a 422)."""
    if is_personal(scope, []):
        return False
    qs: bytes = scope["query_string"]
    return b"%00" not in qs and b"\x00" not in qs and "\x00" not in scope["path"]


def wrap(app: Any, **kwargs: Any) -> None:
    """Put the fast path outside the app's whole stack, error middleware included."""
    build = app.build_middleware_stack

    def build_with_fast_path() -> ASGIApp:
        return ThreadReadFastPath(build(), **kwargs)

    app.build_middleware_stack = build_with_fast_path
