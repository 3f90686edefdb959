"""The post threads: many posts at once on few threads, each answered with its own outcome,
a failing one leaving nothing behind and the others committed exactly once."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import anyio
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from belowline.comments.posting import executor
from belowline.comments.posting.executor import PostThreads
from belowline.db import groupcommit, make_engine


def _engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}", group_commit=True)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE, req INT)"))
        conn.execute(text("INSERT INTO t (v, req) VALUES ('taken', -1)"))
    return engine


def _rows(tmp_path: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(tmp_path / "p.db") as conn:  # its own connection: only what is on disk
        return list(conn.execute("SELECT v, req FROM t WHERE req >= 0 ORDER BY id"))


def test_concurrent_posts_run_on_few_threads_and_a_failing_one_spoils_only_itself(
    tmp_path: Path,
) -> None:
    engine = _engine(tmp_path)
    threads = PostThreads(2)
    seen: set[int] = set()
    busy = [0, 0]  # now, most at once
    count = threading.Lock()

    def post(i: int) -> str:
        with count:
            seen.add(threading.get_ident())
            busy[0] += 1
            busy[1] = max(busy)
        try:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t (v, req) VALUES (:v, :r)"), {"v": f"a{i}", "r": i})
                time.sleep(0.001)  # the other thread's post runs meanwhile
                # Post 7's second row collides after its first was written: both must go.
                v = "taken" if i == 7 else f"b{i}"
                conn.execute(text("INSERT INTO t (v, req) VALUES (:v, :r)"), {"v": v, "r": i})
            return f"answer {i}"
        finally:
            with count:
                busy[0] -= 1

    async def main() -> list[str | BaseException]:
        results: list[str | BaseException] = [""] * 40

        async def one(i: int) -> None:
            try:
                results[i] = await threads.run(post, i)
            except IntegrityError as exc:
                results[i] = exc

        async with anyio.create_task_group() as tg:
            for i in range(40):
                tg.start_soon(one, i)
        return results

    results = anyio.run(main)

    assert isinstance(results[7], IntegrityError)
    assert [r for i, r in enumerate(results) if i != 7] == [
        f"answer {i}" for i in range(40) if i != 7
    ]
    rows = _rows(tmp_path)
    assert sorted(rows) == sorted(
        (f"{p}{i}", i) for i in range(40) if i != 7 for p in ("a", "b")
    )  # every other post's two rows, each once; nothing of post 7
    assert len(seen) <= 2
    assert busy[1] <= 2
    writer = groupcommit.writer_of(engine)
    assert writer is not None
    assert writer.committed == 1 + 39  # the table with its first row, then each kept post
    engine.dispose()


def test_posts_run_in_the_order_given_on_one_thread() -> None:
    threads = PostThreads(1)
    order: list[int] = []
    idents: set[int] = set()

    def post(i: int) -> int:
        order.append(i)
        idents.add(threading.get_ident())
        return i * i

    async def main() -> list[int]:
        return list(await asyncio.gather(*(threads.run(post, i) for i in range(50))))

    assert anyio.run(main) == [i * i for i in range(50)]
    assert order == list(range(50))
    assert len(idents) == 1


def test_idle_threads_end_and_a_later_post_starts_one_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(executor, "IDLE_S", 0.05)
    threads = PostThreads(2, name="belowline-post-idle-test")

    def ours() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name == threads.name]

    async def burst() -> list[int]:
        return list(await asyncio.gather(*(threads.run(lambda i=i: i) for i in range(10))))

    assert anyio.run(burst) == list(range(10))
    deadline = time.monotonic() + 5
    while ours() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ours() == []
    assert anyio.run(burst) == list(range(10))  # not stranded on a thread that ended


def test_a_cancelled_caller_stops_waiting_but_its_post_runs_to_the_end(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    threads = PostThreads(1)
    started = threading.Event()

    def post() -> None:
        started.set()
        time.sleep(0.2)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t (v, req) VALUES ('late', 1)"))

    async def main() -> None:
        with anyio.move_on_after(0.05):
            await threads.run(post)
        assert started.is_set()
        await threads.run(lambda: None)  # behind the cancelled post on the one thread

    anyio.run(main)
    assert _rows(tmp_path) == [("late", 1)]
    engine.dispose()


def test_an_exception_reaches_its_caller_and_the_thread_serves_the_next_post() -> None:
    threads = PostThreads(1)

    def fail() -> None:
        raise KeyError("gone")

    async def main() -> str:
        with pytest.raises(KeyError):
            await threads.run(fail)
        return str(await threads.run(lambda: "next"))

    assert anyio.run(main) == "next"
