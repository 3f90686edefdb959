"""Declarative base, engine and session factory for SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

import fcntl
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from belowline.db import groupcommit

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: SQLite drops offsets, PostgreSQL keeps them."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, busy_timeout_ms: int = 15000) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a comment acknowledged to the client survives a killed process or a power cut.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Under a burst of posts, writers queue for the lock rather than fail.
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.close()


_DML = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class WriterLock:
    """One writer at a time across the threads and processes sharing a SQLite file, in turn.

    Threads of a process queue on a Python lock; its holder then takes `fcntl.flock` on a
    lock file beside the database, which makes other processes' writers sleep in the kernel
    until it is released (no busy-handler polling, released by the kernel if a process dies).
    A blocked flock cannot time out, so a helper thread waits on it for the caller, who gives
    up after `timeout` seconds; a turn granted after that is handed straight back.
    """

    def __init__(self, path: str | None) -> None:
        self._local = threading.Lock()
        self._path = path
        self._fd: int | None = None
        self._pid = 0
        self._state = threading.Lock()  # guards _wanted and _pending between callers and the helper
        self._wanted: threading.Event | None = None
        self._pending = 0  # requests the helper has not finished with
        self._requests: queue.SimpleQueue[threading.Event] = queue.SimpleQueue()
        self._helper: threading.Thread | None = None

    def _file(self) -> int:
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self._path or "", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
            self._helper = None
        return self._fd

    def _wait_for_turns(self) -> None:
        while True:
            granted = self._requests.get()
            fcntl.flock(self._file(), fcntl.LOCK_EX)  # sleeps in the kernel, in turn
            with self._state:
                self._pending -= 1
                if self._wanted is granted:
                    granted.set()
                    continue
                # The caller gave up meanwhile; no other caller can be using the file now,
                # since callers go through this thread while a request is pending.
                fcntl.flock(self._file(), fcntl.LOCK_UN)

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self._local.acquire(timeout=timeout):
            return False
        if self._path is None:
            return True
        with self._state:
            if not self._pending:
                try:
                    fcntl.flock(self._file(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    pass
        if self._helper is None:
            self._helper = threading.Thread(
                target=self._wait_for_turns, name="sqlite-writer-lock", daemon=True
            )
            self._helper.start()
        granted = threading.Event()
        with self._state:
            self._wanted = granted
            self._pending += 1
        self._requests.put(granted)
        if granted.wait(max(0.0, deadline - time.monotonic())):
            return True
        with self._state:
            self._wanted = None
            got_it = granted.is_set()
        if got_it:
            return True
        self._local.release()
        return False

    def release(self) -> None:
        if self._path is not None and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._local.release()


def _lock_path(engine: Engine) -> str | None:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return os.path.abspath(database) + "-writer.lock"


def _serialise_writers(engine: Engine, timeout_s: float) -> None:
    """Queue writers on a `WriterLock` instead of SQLite's sleep-and-retry busy handler.

    SQLite has one writer. Writers that find it taken poll with growing sleeps while their
    process's other writers wait behind them; a fair lock hands the turn straight to the next
    writer. It is taken before the transaction's first write (pysqlite begins it there), and
    a writer that waits past the timeout fails as `database is locked`: a 503 `busy`.
    """
    lock = WriterLock(_lock_path(engine))

    def before(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if conn.info.get("belowline_writer") is None and statement.lstrip()[:7].upper().startswith(
            _DML
        ):
            if not lock.acquire(timeout_s):
                raise OperationalError(
                    statement, None, sqlite3.OperationalError("database is locked")
                )
            conn.info["belowline_writer"] = True

    def end(info: dict[str, Any]) -> None:
        if info.pop("belowline_writer", None):
            lock.release()

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "commit", lambda conn: end(conn.info))
    event.listen(engine, "rollback", lambda conn: end(conn.info))
    event.listen(engine.pool, "reset", lambda _dbapi, record, *_a: end(record.info))


def make_engine(
    url: str,
    *,
    pool_size: int = 5,
    max_overflow: int = 10,
    busy_timeout_ms: int = 15000,
    group_commit: bool = False,
) -> Engine:
    """Build an engine with the settings each backend needs.

    `group_commit` (SQLite files): concurrent requests' writes share one transaction and one
    fsync per process (`groupcommit`); each commit still returns only once it is on disk.
    """
    if url.startswith("sqlite"):
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, **kwargs)
        event.listen(
            engine,
            "connect",
            lambda conn, record: _sqlite_pragmas(conn, record, busy_timeout_ms),
        )
        path = _lock_path(engine)
        if group_commit and path is not None:
            groupcommit.install(
                engine,
                WriterLock(path),
                busy_timeout_ms / 1000,
                lambda conn: _sqlite_pragmas(conn, None, busy_timeout_ms),
            )
        else:
            _serialise_writers(engine, busy_timeout_ms / 1000)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True)


def make_sessionmaker(engine: Engine, *, public_url: str | None = None) -> sessionmaker[Session]:
    """Sessions that keep loaded rows after commit; `public_url` lets services write links."""
    return sessionmaker(bind=engine, expire_on_commit=False, info={"public_url": public_url or ""})


@contextmanager
def command_session(url: str, **engine_kwargs: Any) -> Iterator[Session]:
    """A session for one command: closed and its engine disposed on the way out.

    A command that leaves a transaction open holds its locks until the process exits, which
    blocks anything that needs the tables (a migration, a TRUNCATE) in the same process.
    """
    engine = make_engine(url, **engine_kwargs)
    session = make_sessionmaker(engine)()
    try:
        yield session
    finally:
        session.close()
        engine.dispose()


def enum_check(column: str, values: type[StrEnum]) -> str:
    """A CHECK constraint's SQL: the column holds one of the enum's values."""
    return f"{column} in ({', '.join(repr(v.value) for v in values)})"
