from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.db import make_engine, make_sessionmaker
from belowline.outbox import service as outbox
from belowline.outbox.models import OutboxMessage, OutboxStatus
from belowline.outbox.service import Claimed
from belowline.outbox.worker import OutboxWorker
from tests.asyncrun import run_async


def _enqueue(session: Session, clock: FrozenClock, n: int = 1, kind: str = "test") -> list[int]:
    ids = []
    for i in range(n):
        m = outbox.enqueue(session, kind=kind, payload={"n": i}, now=clock(), site_id="gazette")
        session.flush()
        ids.append(m.id)
    session.commit()
    return ids


def test_outbox_delivers_once_and_records_it(engine: Engine, clock: FrozenClock) -> None:
    sessions = make_sessionmaker(engine)
    with sessions() as s:
        [mid] = _enqueue(s, clock)
    seen: list[Claimed] = []

    async def handle(message: Claimed) -> None:
        seen.append(message)

    worker = OutboxWorker(sessions, {"test": handle}, clock=clock)
    assert run_async(worker.run_once) == 1
    assert run_async(worker.run_once) == 0
    assert [m.payload for m in seen] == [{"n": 0}]
    with sessions() as s:
        row = s.get(OutboxMessage, mid)
        assert row is not None and row.status == OutboxStatus.SENT and row.attempts == 1


def test_outbox_failure_is_retried_with_backoff_then_given_up(
    engine: Engine, clock: FrozenClock
) -> None:
    sessions = make_sessionmaker(engine)
    with sessions() as s:
        [mid] = _enqueue(s, clock)
    calls = 0

    async def fail(_message: Claimed) -> None:
        nonlocal calls
        calls += 1
        raise ConnectionError("receiver down")

    worker = OutboxWorker(sessions, {"test": fail}, clock=clock)
    run_async(worker.run_once)
    assert run_async(worker.run_once) == 0  # not due again yet: backing off
    delays = []
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        with sessions() as s:
            row = s.get(OutboxMessage, mid)
            assert row is not None
            delays.append((row.next_attempt_at - clock()).total_seconds())
        clock.advance(hours=2)
        run_async(worker.run_once)
    assert calls == outbox.MAX_ATTEMPTS
    assert delays[1] > delays[0] * 1.3  # the wait grows
    with sessions() as s:
        row = s.get(OutboxMessage, mid)
        assert row is not None and row.status == OutboxStatus.DEAD
        assert row.last_error == "ConnectionError: receiver down"


def test_two_workers_never_claim_the_same_message(engine: Engine, clock: FrozenClock) -> None:
    sessions = make_sessionmaker(engine)
    with sessions() as s:
        _enqueue(s, clock, n=30)
    got: list[int] = []
    lock = threading.Lock()

    def claim() -> None:
        for _ in range(10):
            with sessions() as s:
                claimed = outbox.claim_due(s, now=clock(), kinds=("test",), limit=5)
                s.commit()
            with lock:
                got.extend(m.id for m in claimed)
            time.sleep(0.001)

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == sorted(set(got))
    assert len(got) == 30


def test_outbox_rows_follow_their_transaction(session: Session, clock: FrozenClock) -> None:
    outbox.enqueue(session, kind="test", payload={}, now=clock())
    session.rollback()
    assert session.scalars(select(OutboxMessage)).all() == []


def test_app_runs_the_worker_in_the_background(app: FastAPI, engine: Engine) -> None:
    delivered = threading.Event()

    async def handle(_message: Claimed) -> None:
        delivered.set()

    worker: OutboxWorker = app.state.outbox_worker
    worker.handlers["test"] = handle
    worker.interval = 0.05
    with TestClient(app):
        with make_sessionmaker(engine)() as s:
            _enqueue(s, app.state.clock)
        assert delivered.wait(5)


def test_an_unreachable_database_is_logged_once_not_every_round(
    tmp_path: Path, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    away = make_engine(f"sqlite:///{tmp_path / 'no-such-dir' / 'belowline.db'}")

    async def handle(message: Claimed) -> None:
        raise AssertionError("nothing can be claimed")

    worker = OutboxWorker(make_sessionmaker(away), {"test": handle}, clock=clock, interval=0.01)

    async def rounds() -> None:
        with anyio.move_on_after(0.5):
            await worker.run_forever()

    with caplog.at_level(logging.WARNING, logger="belowline.outbox"):
        run_async(rounds)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1 and "cannot reach the database" in messages[0], messages
    assert not any(r.exc_info for r in caplog.records)
    away.dispose()
