"""Group commit on SQLite: requests share a transaction, each keeps its own all-or-nothing."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from belowline.db import groupcommit, make_engine


def _engine(tmp_path: Path, **kwargs: int) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'g.db'}", group_commit=True, **kwargs)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE, req INT)"))
    return engine


def _rows(tmp_path: Path) -> list[tuple[str, int]]:
    # A connection of its own, outside the engine: only what was committed.
    with sqlite3.connect(tmp_path / "g.db") as conn:
        return list(conn.execute("SELECT v, req FROM t ORDER BY id"))


def test_concurrent_requests_share_commits_and_a_bad_one_spoils_only_itself(
    tmp_path: Path,
) -> None:
    engine = _engine(tmp_path)
    failed: list[int] = []
    start = threading.Barrier(40)

    def request(i: int) -> None:
        start.wait()
        try:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t (v, req) VALUES (:v, :r)"), {"v": f"a{i}", "r": i})
                # Every fifth request's second row collides: its first row must go too.
                v = "taken" if i % 5 == 0 and i else f"b{i}"
                conn.execute(text("INSERT INTO t (v, req) VALUES (:v, :r)"), {"v": v, "r": i})
        except IntegrityError:
            failed.append(i)

    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t (v, req) VALUES ('taken', -1)"))
    threads = [threading.Thread(target=request, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(failed) == [5, 10, 15, 20, 25, 30, 35]
    rows = _rows(tmp_path)
    kept = {r for _, r in rows} - {-1}
    assert kept == set(range(40)) - set(failed)
    assert len(rows) == 1 + 2 * len(kept)  # both rows of every kept request, no half
    writer = groupcommit.writer_of(engine)
    assert writer is not None
    assert writer.committed == 2 + len(kept)  # the table, 'taken', and each kept request
    assert writer.batches < writer.committed  # some commits carried several requests
    engine.dispose()


def test_a_commit_returns_once_the_row_is_committed_and_a_rollback_leaves_nothing(
    tmp_path: Path,
) -> None:
    engine = _engine(tmp_path)
    with engine.connect() as conn:
        conn.execute(text("INSERT INTO t (v, req) VALUES ('kept', 1)"))
        conn.commit()
        assert _rows(tmp_path) == [("kept", 1)]
        conn.execute(text("INSERT INTO t (v, req) VALUES ('dropped', 2)"))
        # Reads after a write see the request's own writes (they run on the writer).
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 2
        conn.rollback()
    assert _rows(tmp_path) == [("kept", 1)]
    engine.dispose()


def test_a_writer_waiting_past_the_timeout_is_told_the_database_is_locked(
    tmp_path: Path,
) -> None:
    engine = _engine(tmp_path, busy_timeout_ms=300)
    holder = engine.connect()
    holder.execute(text("INSERT INTO t (v, req) VALUES ('first', 1)"))
    outcome: list[str] = []

    def second() -> None:
        try:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t (v, req) VALUES ('second', 2)"))
            outcome.append("ok")
        except OperationalError as exc:
            outcome.append(str(exc.orig))

    t = threading.Thread(target=second)
    t.start()
    t.join()
    assert outcome == ["database is locked"]
    holder.commit()
    holder.close()
    second()  # the turn is free again
    assert outcome[-1] == "ok"
    assert _rows(tmp_path) == [("first", 1), ("second", 2)]
    engine.dispose()


def test_a_second_process_engine_waits_for_the_batch_then_writes(tmp_path: Path) -> None:
    # Another engine stands for another worker: the file lock keeps their batches apart.
    engine = _engine(tmp_path)
    other = make_engine(f"sqlite:///{tmp_path / 'g.db'}")
    holder = engine.connect()
    holder.execute(text("INSERT INTO t (v, req) VALUES ('a', 1)"))
    done = threading.Event()

    def write_other() -> None:
        with other.begin() as conn:
            conn.execute(text("INSERT INTO t (v, req) VALUES ('b', 2)"))
        done.set()

    t = threading.Thread(target=write_other)
    t.start()
    assert not done.wait(0.3)
    holder.commit()
    t.join(10)
    assert done.is_set()
    assert _rows(tmp_path) == [("a", 1), ("b", 2)]
    holder.close()
    engine.dispose()
    other.dispose()


@pytest.mark.parametrize("group_commit", [True, False])
def test_nested_savepoints_inside_a_request_roll_back_alone(
    tmp_path: Path, group_commit: bool
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'n.db'}", group_commit=group_commit)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t (v) VALUES ('x')"))
        with pytest.raises(IntegrityError), conn.begin_nested():
            conn.execute(text("INSERT INTO t (v) VALUES ('x')"))
        conn.execute(text("INSERT INTO t (v) VALUES ('y')"))
    with sqlite3.connect(tmp_path / "n.db") as raw:
        assert [r[0] for r in raw.execute("SELECT v FROM t ORDER BY id")] == ["x", "y"]
    engine.dispose()
