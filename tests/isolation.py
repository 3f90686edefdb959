"""Per-run PostgreSQL databases and Redis dbs, so parallel test runs on one machine (other
checkouts, CI) never wipe each other: each run creates its own and drops only that."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from bench.databases import fresh_postgres

__all__ = ["claim_redis_db", "fresh_postgres"]

_OWNER_KEY = "belowline:test-run-owner"


def claim_redis_db(server_url: str, *, ttl: int = 3 * 3600) -> tuple[str, Callable[[], None]]:
    """An empty Redis db that this run alone holds (a marker key set with NX), starting from the
    URL's own db number; returns its URL and a function that empties and releases it."""
    import redis

    base = server_url.rsplit("/", 1)[0] if server_url.rsplit("/", 1)[-1].isdigit() else server_url
    first = int(server_url.rsplit("/", 1)[-1]) if server_url.rsplit("/", 1)[-1].isdigit() else 0
    token = secrets.token_hex(8)
    for offset in range(16):
        number = (first + offset) % 16
        client = redis.Redis.from_url(f"{base}/{number}")
        if not client.set(_OWNER_KEY, token, nx=True, ex=ttl):
            client.close()
            continue
        if client.dbsize() != 1:  # someone's data without our marker: not ours to use
            client.delete(_OWNER_KEY)
            client.close()
            continue

        def release(client: redis.Redis = client) -> None:
            if client.get(_OWNER_KEY) == token.encode():
                client.flushdb()
            client.close()

        return f"{base}/{number}", release
    raise RuntimeError("no free Redis db for this test run")
