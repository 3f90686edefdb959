"""A database state built once per test module and put back before each of its tests: a test
starts from exactly that state, without paying again for the requests that made it."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text

from belowline.db import Base, make_engine

SCHEMA = "test_snapshot"


@functools.cache
def _emptying_statement() -> str:
    """One server-side block that empties this run's database for the next test.

    TRUNCATE of every table cost a second or more a test (new files for each table and index,
    then their removal); a test leaves rows in a few tables, so only those are emptied, with
    DELETE, children first. The audit log refuses DELETE (an append-only trigger), so it is
    truncated. Sequences a test advanced start again, as RESTART IDENTITY did."""
    names = [t.name for t in reversed(Base.metadata.sorted_tables)]
    array = ", ".join("'" + name + "'" for name in names)
    return f"""
DO $$
DECLARE
    t text;
    used boolean;
BEGIN
    FOREACH t IN ARRAY ARRAY[{array}] LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO used;
        IF used AND t = 'audit_log' THEN
            EXECUTE 'TRUNCATE audit_log';
        ELSIF used THEN
            EXECUTE format('DELETE FROM %I', t);
        END IF;
    END LOOP;
    PERFORM setval(format('%I.%I', schemaname, sequencename), start_value, false)
    FROM pg_sequences
    WHERE schemaname = current_schema() AND last_value IS NOT NULL;
END
$$"""


def emptied_postgres(url: str) -> Engine:
    engine = make_engine(url)
    with engine.begin() as conn:
        # A connection an earlier test leaked inside a transaction would block the emptying
        # for ever: this run's database is ours alone, so end every other session on it.
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        conn.execute(text("SET LOCAL lock_timeout = '20s'"))
        conn.execute(text(_emptying_statement()))
    return engine


def sqlite_without_flush(dbapi_connection: Any, _record: Any) -> None:
    """A test's SQLite copy does not wait for the disk at each commit (the product's FULL is
    set just before): a test never survives a power cut, and the flushes were a good part of
    each test's time."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def sqlite_engine(path: Path, *, group_commit: bool = False) -> Engine:
    """A test's SQLite engine (group commit's own writer keeps the product's FULL flush)."""
    engine = make_engine(f"sqlite:///{path}", group_commit=group_commit)
    event.listen(engine, "connect", sqlite_without_flush)
    return engine


def _tables() -> list[str]:
    return [t.name for t in Base.metadata.sorted_tables]  # parents first


class Snapshot:
    """The rows a build left, kept beside the live tables (PostgreSQL: a schema of this run's
    own database) or as a file (SQLite), and a way to put them back."""

    def __init__(self, template: Path | str, workdir: Path) -> None:
        self.template = template
        self.file = workdir / "snapshot.db"
        self.sequences: dict[str, int] = {}

    def take(self, build: Callable[[Engine], Any], empty: Callable[[str], Engine]) -> Any:
        """Run `build` on an empty database and keep what it left."""
        if isinstance(self.template, str):
            engine = empty(self.template)
            result = build(engine)
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
                conn.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
                for table in _tables():
                    conn.execute(
                        text(f'CREATE TABLE "{SCHEMA}"."{table}" AS SELECT * FROM "{table}"')
                    )
                rows = conn.execute(
                    text(
                        "SELECT sequencename, last_value FROM pg_sequences "
                        "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
                    )
                ).all()
                self.sequences = {name: int(value) for name, value in rows}
            engine.dispose()
            return result
        shutil.copy(self.template, self.file)
        engine = sqlite_engine(self.file)
        result = build(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        return result

    def restore(self, tmp_path: Path, empty: Callable[[str], Engine]) -> Engine:
        """An engine on a database holding exactly the kept rows."""
        if isinstance(self.template, str):
            engine = empty(self.template)
            with engine.begin() as conn:
                for table in _tables():
                    conn.execute(text(f'INSERT INTO "{table}" SELECT * FROM "{SCHEMA}"."{table}"'))
                for name, value in self.sequences.items():
                    conn.execute(
                        text("SELECT setval(:name, :value)"), {"name": name, "value": value}
                    )
            return engine
        db = tmp_path / "belowline.db"
        shutil.copy(self.file, db)
        return sqlite_engine(db)

    def drop(self) -> None:
        if isinstance(self.template, str):
            engine = make_engine(self.template)
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
            engine.dispose()
