"""The read fast path's own database connection: one per worker, kept, reads only.

On PostgreSQL it runs in autocommit (one round trip per lookup instead of BEGIN, SELECT and
COMMIT); the fast path itself reads PostgreSQL through `comments.pgread`, without blocking
the event loop. On a SQLite file it also answers `PRAGMA data_version`, which changes whenever any
other connection, in this process or another, committed since this one last asked: while it
has not, nothing a cached answer depends on can have changed.
"""

from __future__ import annotations

import time
from typing import Any

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
