"""Declarative base, engine and session factory for SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

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


def _serialise_writers(engine: Engine) -> None:
    """Queue this process's writers on a lock instead of SQLite's sleep-and-retry busy handler.

    SQLite has one writer. Threads that find the lock taken poll with growing sleeps, which
    wastes most of a busy worker's time; a Python lock hands the turn straight to the next
    writer. Other processes still meet at SQLite's own lock.
    """
    lock = threading.Lock()

    def before(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if conn.info.get("belowline_writer") is None and statement.lstrip()[:7].upper().startswith(
            _DML
        ):
            # The timeout is a safety net: never wait for ever on a lock held in error.
            conn.info["belowline_writer"] = lock.acquire(timeout=15)

    def end(info: dict[str, Any]) -> None:
        if info.pop("belowline_writer", None):
            lock.release()

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "commit", lambda conn: end(conn.info))
    event.listen(engine, "rollback", lambda conn: end(conn.info))
    event.listen(engine.pool, "reset", lambda _dbapi, record, *_a: end(record.info))


def make_engine(
    url: str, *, pool_size: int = 5, max_overflow: int = 10, busy_timeout_ms: int = 15000
) -> Engine:
    """Build an engine with the settings each backend needs."""
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
        _serialise_writers(engine)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True)


def make_sessionmaker(engine: Engine, *, public_url: str | None = None) -> sessionmaker[Session]:
    """Sessions that keep loaded rows after commit; `public_url` lets services write links."""
    return sessionmaker(bind=engine, expire_on_commit=False, info={"public_url": public_url or ""})


def enum_check(column: str, values: type[StrEnum]) -> str:
    """A CHECK constraint's SQL: the column holds one of the enum's values."""
    return f"{column} in ({', '.join(repr(v.value) for v in values)})"
