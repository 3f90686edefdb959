"""SQLite's writer lock: one writer across processes, in turn, with a bounded wait."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from belowline.db import make_engine

CTX = multiprocessing.get_context("spawn")


def _hold_write(url: str, seconds: float, started: object, done: object) -> None:
    """Another worker: begin a write through the lock, hold it, commit."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t (who) VALUES ('child')"))
        started.set()  # type: ignore[attr-defined]
        time.sleep(seconds)
    done.set()  # type: ignore[attr-defined]
    engine.dispose()


def _writes(url: str, n: int) -> None:
    engine = make_engine(url, busy_timeout_ms=20000)
    for i in range(n):
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t (who) VALUES (:w)"), {"w": f"child-{i}"})
    engine.dispose()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)"))
    engine.dispose()
    return url


def _child(url: str, seconds: float) -> tuple[object, object, object]:
    started, done = CTX.Event(), CTX.Event()
    proc = CTX.Process(target=_hold_write, args=(url, seconds, started, done))
    proc.start()
    assert started.wait(30)
    return proc, started, done


def test_a_writer_waits_its_turn_behind_another_process(db: str) -> None:
    proc, _started, done = _child(db, 0.5)
    engine: Engine = make_engine(db, busy_timeout_ms=10000)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t (who) VALUES ('parent')"))
    assert done.wait(10)  # type: ignore[attr-defined]
    proc.join(10)  # type: ignore[attr-defined]
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT group_concat(who) FROM t")) == "child,parent"
    engine.dispose()


def test_a_writer_that_waits_too_long_gives_up_as_locked_and_recovers(db: str) -> None:
    proc, _started, done = _child(db, 1.5)
    engine = make_engine(db, busy_timeout_ms=200)
    t0 = time.monotonic()
    with pytest.raises(OperationalError, match="locked"), engine.begin() as conn:
        conn.execute(text("INSERT INTO t (who) VALUES ('impatient')"))
    assert time.monotonic() - t0 < 1.2
    assert done.wait(10)  # type: ignore[attr-defined]
    proc.join(10)  # type: ignore[attr-defined]
    with engine.begin() as conn:  # the late turn was handed back, not kept
        conn.execute(text("INSERT INTO t (who) VALUES ('later')"))
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT group_concat(who) FROM t")) == "child,later"
    engine.dispose()


def test_writers_in_two_processes_and_many_threads_all_succeed(db: str) -> None:
    procs = [CTX.Process(target=_writes, args=(db, 40)) for _ in range(2)]
    for p in procs:
        p.start()
    engine = make_engine(db, busy_timeout_ms=20000)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(20):
                with engine.begin() as conn:
                    conn.execute(text("INSERT INTO t (who) VALUES ('thread')"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for p in procs:
        p.join(60)
    assert not errors
    assert all(p.exitcode == 0 for p in procs)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM t")) == 2 * 40 + 4 * 20
    engine.dispose()
