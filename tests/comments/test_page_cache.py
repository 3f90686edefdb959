"""The layered page cache: a worker's LRU in front of Redis, shared by every worker."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from belowline.comments.cache import LayeredPageCache, LocalPageCache, page_key
from belowline.live.redis_bus import PREFIX, RedisPageCache

REDIS_URL = os.environ.get("BELOWLINE_TEST_REDIS_URL", "")


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis")
def test_workers_share_pages_through_redis_and_answer_hot_ones_from_their_own_lru() -> None:
    story = int(uuid.uuid4().int % 10**9)  # keys of this test only, in a shared Redis db
    first, second = (LayeredPageCache(RedisPageCache(REDIS_URL)) for _ in range(2))
    key = page_key(story, 1, "newest", 20, None)
    first.set(key, b"page at version 1")
    assert second.get(key) == b"page at version 1"  # rendered by the other worker
    raw = redis.Redis.from_url(REDIS_URL)
    raw.delete(PREFIX + key)
    assert second.get(key) == b"page at version 1"  # now from its own LRU, no round trip
    assert second.shared.get(key) is None
    newer = page_key(story, 2, "newest", 20, None)  # a change bumps the version: a new key
    assert first.get(newer) is None
    assert second.get(newer) is None
    raw.close()


def test_a_workers_own_pages_are_bounded_in_bytes_the_oldest_going_first() -> None:
    local = LocalPageCache(max_entries=100, max_bytes=10_000)
    for n in range(5):
        local.set(f"page:{n}", bytes(3_000))
    kept = [local.get(f"page:{n}") is not None for n in range(5)]
    assert kept == [False, False, True, True, True]
    assert local.size == 9_000
    local.set("page:4", bytes(1_000))  # replaced, not counted twice
    assert local.size == 7_000
    local.set("huge", bytes(10_001))  # larger than the whole budget: not kept, nothing evicted
    assert local.get("huge") is None
    assert local.size == 7_000
