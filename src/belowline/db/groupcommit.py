"""Group commit on SQLite: the writes of a process's concurrent requests share one fsync.

Each request's writes run in a SAVEPOINT of one transaction on the process's writer
connection, one request at a time; when its savepoint is released the request waits until
that transaction's COMMIT has returned (synchronous=FULL: on disk), so a 201 still means
durable. A request that fails rolls back to its savepoint and leaves the others' writes
alone. The writer whose turn ends with no one waiting (or the batch full) commits, so a
lone post commits at once and posts that arrive during a commit's fsync share the next
one. Across processes a batch holds the `WriterLock` file lock from BEGIN to COMMIT.
Reads before a request's first write stay on its own pooled connection.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from sqlalchemy import Engine, event

MAX_BATCH = 64
# Statements that must see, and be part of, the request's writes: DML, savepoints, DDL.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "CREATE", "DROP", "ALTER")
_SAVEPOINT = "belowline_request"


class FileLock(Protocol):
    """The cross-process writer lock (`db.WriterLock`)."""

    def acquire(self, timeout: float) -> bool: ...

    def release(self) -> None: ...


def install(
    engine: Engine,
    lock: FileLock,
    timeout: float,
    configure: Callable[[sqlite3.Connection], None],
) -> None:
    """Make `engine`'s pooled connections share one group-committing writer per process."""
    writers: list[GroupWriter] = []
    _WRITERS[engine] = writers

    @event.listens_for(engine, "do_connect")
    def connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> GroupConnection:
        own: sqlite3.Connection = dialect.loaded_dbapi.connect(*cargs, **cparams)
        if not writers:

            def open_writer() -> sqlite3.Connection:
                conn: sqlite3.Connection = sqlite3.connect(
                    *cargs, **{**cparams, "isolation_level": None}
                )
                configure(conn)
                return conn

            writers.append(GroupWriter(open_writer, lock, timeout))
        return GroupConnection(own, writers[0])

    @event.listens_for(engine, "engine_disposed")
    def disposed(_engine: Engine) -> None:
        for writer in writers:
            writer.close()


# Per engine, its writer once a connection was made (tests read `batches`).
_WRITERS: weakref.WeakKeyDictionary[Engine, list[GroupWriter]] = weakref.WeakKeyDictionary()


def writer_of(engine: Engine) -> GroupWriter | None:
    writers = _WRITERS.get(engine)
    return writers[0] if writers else None


def _is_write(statement: str) -> bool:
    return statement.lstrip()[:9].upper().startswith(_WRITES)


def _locked() -> sqlite3.OperationalError:
    return sqlite3.OperationalError("database is locked")


class _Batch:
    """One transaction's requests: set when its COMMIT (or ROLLBACK) has returned."""

    __slots__ = ("done", "error", "members")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.members = 0


class GroupWriter:
    """The writer connection of one process and whose turn it is to use it."""

    def __init__(
        self, connect: Callable[[], sqlite3.Connection], lock: FileLock, timeout: float
    ) -> None:
        self._connect = connect
        self._lock = lock
        self._timeout = timeout
        self._turn = threading.Lock()
        self._count = threading.Lock()  # guards _waiting
        self._waiting = 0
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._batch: _Batch | None = None
        self.batches = 0  # transactions committed
        self.committed = 0  # requests' savepoints they held

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            self._conn = self._connect()
            self._pid = os.getpid()
            self._batch = None
        return self._conn

    def close(self) -> None:
        """Close the writer connection unless a batch is open (the engine was disposed)."""
        with self._turn:
            if self._conn is not None and self._batch is None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    def begin(self) -> sqlite3.Connection:
        """Take the turn, open the request's savepoint; `database is locked` past the timeout."""
        deadline = time.monotonic() + self._timeout
        with self._count:
            self._waiting += 1
        got = self._turn.acquire(timeout=self._timeout)
        with self._count:
            self._waiting -= 1
        if not got:
            self._rescue()
            raise _locked()
        try:
            conn = self._connection()
            if self._batch is None:
                if not self._lock.acquire(max(0.0, deadline - time.monotonic())):
                    raise _locked()
                try:
                    conn.execute("BEGIN IMMEDIATE")
                except BaseException:
                    self._lock.release()
                    raise
                self._batch = _Batch()
            conn.execute(f"SAVEPOINT {_SAVEPOINT}")
        except BaseException:
            self._close_if_idle()
            self._turn.release()
            raise
        return conn

    def end(self, *, keep: bool) -> _Batch | None:
        """End the request's savepoint, keeping or dropping its writes; the turn passes on.

        Kept writes are durable once the returned batch is done without an error.
        """
        conn, batch = self._conn, self._batch
        assert conn is not None  # noqa: S101 - begin() opened it
        assert batch is not None  # noqa: S101 - and the batch
        try:
            if keep:
                conn.execute(f"RELEASE {_SAVEPOINT}")
                batch.members += 1
                return batch
            conn.execute(f"ROLLBACK TO {_SAVEPOINT}")
            conn.execute(f"RELEASE {_SAVEPOINT}")
            return None
        except sqlite3.Error as exc:
            if not conn.in_transaction:  # SQLite gave up the whole transaction
                self._finish(batch, error=exc)
            elif keep:
                conn.execute(f"ROLLBACK TO {_SAVEPOINT}")
                conn.execute(f"RELEASE {_SAVEPOINT}")
            raise
        finally:
            self._close_if_idle()
            self._turn.release()

    def _rescue(self) -> None:
        # A waiter that gave up may have been the one the last writer left the batch to.
        if self._turn.acquire(blocking=False):
            try:
                self._close_if_idle()
            finally:
                self._turn.release()

    def _close_if_idle(self) -> None:
        """Commit the open batch unless another writer is waiting for the turn (turn held)."""
        batch = self._batch
        if batch is None:
            return
        with self._count:
            waiting = self._waiting
        if waiting and batch.members < MAX_BATCH:
            return
        self._finish(batch, error=None)

    def _finish(self, batch: _Batch, *, error: BaseException | None) -> None:
        conn = self._conn
        assert conn is not None  # noqa: S101 - a batch lives on a connection
        self._batch = None
        try:
            if error is None:
                conn.execute("COMMIT" if batch.members else "ROLLBACK")
                if batch.members:
                    self.batches += 1
                    self.committed += batch.members
        except sqlite3.Error as exc:
            error = exc
        finally:
            if error is not None and conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    self._conn = None  # a connection that cannot roll back is not reused
            batch.error = error
            self._lock.release()
            batch.done.set()


class GroupConnection:
    """A pooled DB-API connection: reads on its own connection, writes in the writer's turn."""

    def __init__(self, own: sqlite3.Connection, writer: GroupWriter) -> None:
        self.own = own
        self._own = own
        self._writer = writer
        self._writing: sqlite3.Connection | None = None

    def connection_for(self, statement: str) -> sqlite3.Connection:
        if self._writing is not None:
            return self._writing
        if _is_write(statement):
            self._writing = self._writer.begin()
            return self._writing
        return self._own

    def cursor(self) -> GroupCursor:
        return GroupCursor(self)

    def commit(self) -> None:
        if self._writing is None:
            self._own.commit()
            return
        self._writing = None
        batch = self._writer.end(keep=True)
        assert batch is not None  # noqa: S101 - kept writes belong to a batch
        batch.done.wait()  # no timeout: an answer must not come before the fsync
        if batch.error is not None:
            raise sqlite3.OperationalError(f"commit failed: {batch.error}") from batch.error

    def rollback(self) -> None:
        if self._writing is None:
            self._own.rollback()
            return
        self._writing = None
        self._writer.end(keep=False)

    def close(self) -> None:
        if self._writing is not None:
            self.rollback()
        self._own.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._own, name)


class GroupCursor:
    """A cursor that runs each statement on the connection `GroupConnection` picks.

    On the writer a statement's rows are read at once and its cursor closed: nothing of the
    shared connection may be touched after the turn has passed to another thread.
    """

    def __init__(self, owner: GroupConnection) -> None:
        self._owner = owner
        self._cursor: sqlite3.Cursor | None = None  # streaming, on the own connection
        self._rows: list[Any] = []
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self.arraysize = 1

    def _run(self, statement: str, call: Callable[[sqlite3.Cursor], Any]) -> GroupCursor:
        self.close()
        conn = self._owner.connection_for(statement)
        cursor = conn.cursor()
        cursor.arraysize = self.arraysize
        call(cursor)
        self._description = cursor.description
        self._rowcount = cursor.rowcount
        self._lastrowid = cursor.lastrowid
        if conn is self._owner.own:
            self._cursor = cursor
        else:
            self._rows = cursor.fetchall() if cursor.description else []
            self._rows.reverse()  # popped from the end
            cursor.close()
        return self

    def execute(self, statement: str, parameters: Any = ()) -> GroupCursor:
        return self._run(statement, lambda cursor: cursor.execute(statement, parameters))

    def executemany(self, statement: str, parameters: Sequence[Any]) -> GroupCursor:
        return self._run(statement, lambda cursor: cursor.executemany(statement, parameters))

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._lastrowid

    def fetchone(self) -> Any:
        if self._cursor is not None:
            return self._cursor.fetchone()
        return self._rows.pop() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        if self._cursor is not None:
            return self._cursor.fetchmany(size if size is not None else self.arraysize)
        n = size if size is not None else self.arraysize
        return [self._rows.pop() for _ in range(min(n, len(self._rows)))]

    def fetchall(self) -> list[Any]:
        if self._cursor is not None:
            return self._cursor.fetchall()
        rows, self._rows = self._rows[::-1], []
        return rows

    def close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None
        self._rows = []

    def __iter__(self) -> Iterator[Any]:
        while (row := self.fetchone()) is not None:
            yield row
