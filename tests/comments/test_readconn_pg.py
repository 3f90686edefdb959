"""The PostgreSQL read lookups: shared only by requests that arrived before they were sent."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.comments.readconn import PgReader, _numbered
from tests.comments.test_threads import _seed

SQL = "SELECT version FROM stories WHERE site_id = %s AND external_id = %s"
PARAMS = ("gazette", "story-1")


@pytest.fixture
def reader(engine: Engine, session: Session, clock: FrozenClock) -> PgReader:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's read connection")
    _seed(session, clock, 1)
    return PgReader(engine)


def _bump(engine: Engine) -> None:
    with engine.begin() as conn:  # another worker commits
        conn.execute(text("UPDATE stories SET version = version + 1"))


def _counted(reader: PgReader) -> list[int]:
    """Round trips made, as the number of lookups each one carried."""
    trips: list[int] = []
    execute = reader._execute

    async def counting(keys: list[Any]) -> list[list[Any]]:
        trips.append(len(keys))
        return await execute(keys)

    reader._execute = counting  # type: ignore[method-assign]
    return trips


def test_waiting_requests_share_one_round_trip_and_later_ones_see_new_commits(
    reader: PgReader, engine: Engine
) -> None:
    trips = _counted(reader)

    async def scenario() -> None:
        waiting = time.perf_counter()  # requests that arrived before anything was sent
        first = await asyncio.gather(*(reader.query_since(SQL, PARAMS, waiting) for _ in range(20)))
        assert len({r[0][0] for r in first}) == 1
        assert trips == [1]  # twenty requests, one lookup
        version = int(first[0][0][0])
        assert await reader.query_since(SQL, PARAMS, waiting) == first[0]  # sent after it
        assert trips == [1]
        _bump(engine)
        later = await reader.query_since(SQL, PARAMS, time.perf_counter())  # after the commit
        assert int(later[0][0]) == version + 1
        assert await reader.query_since(SQL, PARAMS, None) == later  # no arrival time: a query
        assert trips == [1, 1, 1]

    asyncio.run(scenario())


def test_a_request_arriving_while_a_lookup_is_out_waits_for_the_next(
    reader: PgReader, engine: Engine
) -> None:
    trips = _counted(reader)

    async def scenario() -> None:
        before = await reader.query_since(SQL, PARAMS, None)
        out = asyncio.ensure_future(reader.query_since(SQL, PARAMS, time.perf_counter()))
        while not trips or len(trips) < 2:
            await asyncio.sleep(0)  # the lookup is on the wire
        _bump(engine)  # acknowledged before the next request arrives
        arrived = time.perf_counter()
        other = ("gazette", "story-none")  # a second lookup, in the same batch
        late = asyncio.gather(
            reader.query_since(SQL, PARAMS, arrived), reader.query_since(SQL, other, arrived)
        )
        await out
        mine, none = await late
        assert int(mine[0][0]) == int(before[0][0]) + 1  # never the lookup sent before it
        assert none == []
        assert trips == [1, 1, 2]

    asyncio.run(scenario())


def test_a_broken_connection_fails_its_waiters_and_the_next_lookup_reconnects(
    reader: PgReader, engine: Engine
) -> None:
    async def scenario() -> None:
        rows = await reader.query_since(SQL, PARAMS, None)
        assert reader._conn is not None
        pid = reader._conn.pgconn.backend_pid
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(Exception):  # noqa: B017,PT011 - whatever libpq says
            await reader.query_since(SQL, PARAMS, None)
        assert await reader.query_since(SQL, PARAMS, None) == rows

    asyncio.run(scenario())


def test_a_new_event_loop_gets_a_new_connection(reader: PgReader) -> None:
    first = asyncio.run(reader.query_since(SQL, PARAMS, None))
    assert asyncio.run(reader.query_since(SQL, PARAMS, None)) == first


def test_placeholders_are_numbered() -> None:
    assert _numbered("a = %s AND b IN (%s, %s)") == "a = $1 AND b IN ($2, $3)"
    assert _numbered("SELECT 1") == "SELECT 1"
