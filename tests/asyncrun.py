"""Run async code from a sync test, whatever event loop the thread already has.

The browser tests' Playwright (sync API) keeps an asyncio loop running in the main thread for
the whole session, so `anyio.run` there fails; a fresh thread has no loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import anyio

T = TypeVar("T")


def run_async(fn: Callable[[], Awaitable[T]]) -> T:
    """Run `fn()` to completion on a new event loop in a worker thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(anyio.run, fn).result()
