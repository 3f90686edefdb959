"""Hot-thread cache: rendered public pages keyed by the story's version.

Every change to a story bumps its version, so stale entries are never served; they simply
age out of the LRU. Only the public page is cached; personal bits are overlaid per request.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Protocol


class PageCache(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes) -> None: ...


MAX_PAGE_BYTES = 16 * 2**20  # a worker's own pages: bounded in bytes, not only in count


class LocalPageCache:
    """A worker's LRU of rendered pages, bounded by count and by bytes (pages of a busy
    thread run to tens of kB: 2,048 of them could grow a worker by 80 MB)."""

    def __init__(self, max_entries: int = 2048, max_bytes: int = MAX_PAGE_BYTES) -> None:
        self._data: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size = 0  # bytes of the pages held

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        if len(value) > self.max_bytes:
            return  # would evict everything else and still not fit
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self._data[key] = value
            self.size += len(value)
            while len(self._data) > self.max_entries or self.size > self.max_bytes:
                self.size -= len(self._data.popitem(last=False)[1])


class LayeredPageCache:
    """A worker's own LRU in front of a shared cache (Redis): a hot page costs no round trip.

    Safe without invalidation messages: a key names the story's version, so a change makes
    new keys and the old entries are never asked for again.
    """

    def __init__(self, shared: PageCache, local: LocalPageCache | None = None) -> None:
        self.shared = shared
        self.local = local or LocalPageCache()

    def get(self, key: str) -> bytes | None:
        value = self.local.get(key)
        if value is None:
            value = self.shared.get(key)
            if value is not None:
                self.local.set(key, value)
        return value

    def set(self, key: str, value: bytes) -> None:
        self.local.set(key, value)
        self.shared.set(key, value)


class NullPageCache:
    """No caching: every page is rendered (for measuring, or tiny sites)."""

    def get(self, key: str) -> bytes | None:  # noqa: ARG002 - PageCache protocol
        return None

    def set(self, key: str, value: bytes) -> None:  # noqa: ARG002 - PageCache protocol
        return None


def page_key(story_id: int, version: int, *parts: object) -> str:
    raw = "|".join(str(p) for p in parts)
    return f"page:{story_id}:{version}:{hashlib.blake2s(raw.encode(), digest_size=8).hexdigest()}"


def etag_for(key: str) -> str:
    return f'W/"{hashlib.blake2s(key.encode(), digest_size=12).hexdigest()}"'
