"""The read fast path's own database connections: one per worker, kept, reads only.

`ReadConnection` blocks (SQLite; on PostgreSQL it runs in autocommit, one round trip per
lookup instead of BEGIN, SELECT and COMMIT). On a SQLite file it also answers `PRAGMA
data_version`, which changes whenever any other connection, in this process or another,
committed since this one last asked: while it has not, nothing a cached answer depends on
can have changed.

`PgReader` is the fast path's PostgreSQL connection. A cached answer remembers the rows it
was built from (the story's id and version, or the counts) and the statement that reads
them; it is current while that statement returns the same rows. Read-after-write: a commit
is visible to new statements before its client is told it is done, so a lookup *sent after
a request arrived* sees every write acknowledged before then. Requests share a lookup only
when it was sent after they arrived; requests that arrive while one is on the wire wait for
the next, sent as soon as it returns (one statement per distinct lookup they need). Under
load one round trip answers all the requests a worker read meanwhile, and the event loop
keeps reading and sending while it is out (no thread hop, no blocking call). Statements are
prepared on the server on first use.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import psycopg
from psycopg import pq
from sqlalchemy import Engine

MAX_RECENT = 4096  # lookups remembered for requests that arrived before they were sent


class ReadConnection:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self.postgres = engine.dialect.name == "postgresql"
        database = engine.url.database or ""
        # In memory, every session shares one connection: its own commits do not count.
        self.versioned = engine.dialect.name == "sqlite" and database not in ("", ":memory:")
        self._fairy: Any = None
        self._raw: Any = None  # the driver's connection reads run on
        self._recent: dict[tuple[str, tuple[str, ...]], tuple[float, list[Any]]] = {}

    def _connect(self) -> Any:
        fairy = self.engine.raw_connection()
        driver = fairy.driver_connection
        if self.postgres:
            driver.autocommit = True  # type: ignore[union-attr]
        self._fairy = fairy
        # Group commit wraps each pooled connection; its reads run on `own`.
        self._raw = getattr(driver, "own", driver)
        return self._raw

    def _drop(self) -> None:
        if self._fairy is not None:
            self._fairy.invalidate()
        self._fairy = self._raw = None

    def query(self, sql: str, params: tuple[str, ...]) -> list[Any]:
        # The event loop runs one lookup at a time, so one connection serves them all.
        for attempt in (0, 1):
            raw = self._raw or self._connect()
            try:
                cur = raw.cursor()
                cur.execute(sql, params)
                rows = list(cur.fetchall())
                cur.close()
                if not self.postgres and raw.in_transaction:
                    raw.commit()  # end the read so the next lookup sees new versions
                return rows
            except Exception:
                self._drop()
                if attempt:
                    raise
        return []

    def query_since(self, sql: str, params: tuple[str, ...], arrived: float | None) -> list[Any]:
        """Rows as of some moment after `arrived` (when the request's head was read).

        A lookup sent after a request arrived sees every commit acknowledged before it did, so
        requests that were waiting in this worker while one lookup ran share its rows: under
        load one round trip answers many requests, and none sees anything older than its own
        arrival. Requests without an arrival time (no `web.serving` protocol) always query.
        """
        recent = self._recent.get((sql, params))
        if arrived is not None and recent is not None and recent[0] > arrived:
            return recent[1]
        sent = time.perf_counter()
        rows = self.query(sql, params)
        if len(self._recent) >= MAX_RECENT:
            self._recent.clear()
        self._recent[(sql, params)] = (sent, rows)
        return rows

    def data_version(self) -> int | None:
        """SQLite's change counter as this connection sees it; None where there is none."""
        if not self.versioned:
            return None
        if self._raw is not None:
            try:
                return int(self._raw.execute("PRAGMA data_version").fetchone()[0])
            except Exception:  # a broken connection: `query` opens a new one
                self._drop()
        rows = self.query("PRAGMA data_version", ())
        return int(rows[0][0])


_Key = tuple[str, tuple[str, ...]]


class PgReader:
    """Autocommit lookups, each sent after the requests that share it arrived."""

    def __init__(self, engine: Engine) -> None:
        self.dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: dict[_Key, asyncio.Future[list[Any]]] = {}
        self._pump: asyncio.Task[None] | None = None
        self._recent: dict[_Key, tuple[float, list[Any]]] = {}
        self._prepared: dict[str, bytes] = {}  # statement -> its name on this connection
        self._readable: asyncio.Future[None] | None = None  # a lookup waiting for its answer
        self._fd = -1  # the socket the event loop watches

    async def query_since(
        self, sql: str, params: tuple[str, ...], arrived: float | None
    ) -> list[Any]:
        """Rows of a lookup sent after `arrived` (always a new one when it is None)."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests): the old connection is unusable
            self._reset(loop)
        key = (sql, params)
        recent = self._recent.get(key)
        if arrived is not None and recent is not None and recent[0] > arrived:
            return recent[1]
        future = self._pending.get(key)
        if future is None:
            future = self._pending[key] = loop.create_future()
        if self._pump is None:
            self._pump = loop.create_task(self._run())
        return await asyncio.shield(future)

    async def _run(self) -> None:
        """Send what is waiting, answer it, and go on while more arrived meanwhile."""
        try:
            while self._pending:
                batch, self._pending = self._pending, {}
                sent = time.perf_counter()  # every waiter in `batch` arrived before this
                try:
                    results = await self._execute(list(batch))
                except Exception as exc:  # unreachable or broken: every waiter falls through
                    self._drop()
                    for future in batch.values():
                        if not future.done():
                            future.set_exception(exc)
                            future.exception()  # a waiter may have gone: no "never retrieved"
                    continue
                if len(self._recent) + len(batch) > MAX_RECENT:
                    self._recent.clear()
                for (key, future), rows in zip(batch.items(), results, strict=True):
                    self._recent[key] = (sent, rows)
                    if not future.done():
                        future.set_result(rows)
        finally:
            self._pump = None

    async def _execute(self, keys: list[_Key]) -> list[list[Any]]:
        pgconn = await self._pgconn()
        results = []
        for sql, params in keys:
            name = self._prepared.get(sql)
            if name is None:
                name = f"belowline_read_{len(self._prepared)}".encode()
                pgconn.send_prepare(name, _numbered(sql).encode())
                await self._result(pgconn, pq.ExecStatus.COMMAND_OK)
                self._prepared[sql] = name
            pgconn.send_query_prepared(name, [p.encode() for p in params])
            res = await self._result(pgconn, pq.ExecStatus.TUPLES_OK)
            width = res.nfields
            results.append(
                [
                    tuple(_text(res.get_value(r, c)) for c in range(width))
                    for r in range(res.ntuples)
                ]
            )
        return results

    async def _pgconn(self) -> pq.abc.PGconn:
        """libpq's connection, watched by the event loop for as long as it is open.

        Lookups use libpq's own calls, not a cursor's: a few C calls and two system calls
        (send, receive) a round trip instead of a generator chain and a poll registration.
        """
        conn = self._conn
        if conn is None or conn.closed:
            conn = await psycopg.AsyncConnection.connect(self.dsn, autocommit=True)
            conn.pgconn.nonblocking = 1
            self._conn, self._prepared = conn, {}
            self._fd = conn.pgconn.socket
            asyncio.get_running_loop().add_reader(self._fd, self._on_readable)
        return conn.pgconn

    def _on_readable(self) -> None:
        if self._readable is not None:
            if not self._readable.done():
                self._readable.set_result(None)
            return
        try:  # nobody is waiting (a notice, or the server went away): read it, do not spin
            if self._conn is not None:
                self._conn.pgconn.consume_input()
        except Exception:
            self._drop()

    async def _result(self, pgconn: pq.abc.PGconn, expect: pq.ExecStatus) -> pq.abc.PGresult:
        """The one result of what was just sent, read as the socket becomes readable."""
        while pgconn.flush():  # a statement too big for the socket buffer at once
            await asyncio.sleep(0.001)
        result = None
        while True:
            while not pgconn.is_busy():  # get_result would not block
                last = pgconn.get_result()
                if last is None:  # the statement is done
                    if result is None or result.status != expect:
                        error = pgconn.error_message if result is None else result.error_message
                        raise psycopg.OperationalError(error.decode("utf-8", "replace"))
                    return result
                result = last
            self._readable = asyncio.get_running_loop().create_future()
            try:
                await self._readable
            finally:
                self._readable = None
            pgconn.consume_input()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        fd, self._fd = self._fd, -1
        if fd >= 0 and self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(fd)  # before a new connection may get the same number
        if conn is not None and not conn.closed:
            conn.pgconn.finish()  # the socket goes; nothing is awaited on a broken link

    def _reset(self, loop: asyncio.AbstractEventLoop) -> None:
        self._drop()
        self._loop, self._readable = loop, None
        self._pending = {}
        self._pump = None
        self._recent.clear()


def _numbered(sql: str) -> str:
    """`%s` placeholders as PostgreSQL's own `$1, $2, ...`."""
    parts = sql.split("%s")
    return "".join(f"{part}${i}" for i, part in enumerate(parts[:-1], start=1)) + parts[-1]


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode()
