"""The threads a worker's posts run on: a few long-lived ones fed from one queue.

A post is one blocking call (reader, rate limit, post, commit, events). Through anyio's
thread pool each one paid for a limiter, a cancel scope and a hand-off to any of 40 threads,
and the worker's session gate let 8 of them run at once: 8 threads taking turns at one GIL,
about 19 voluntary context switches per post. Here a post waits in the event loop for one
of `threads` threads (3: one runs Python while the others wait for a commit or the writer),
which takes it from a `SimpleQueue` and answers it with one `call_soon_threadsafe`. A thread
left idle for `IDLE_S` ends, so an app that stops posting (a test's) leaves no thread
behind; one is started again when a post finds no idle thread.
"""

from __future__ import annotations

import asyncio
import os
import queue
import threading
from collections.abc import Callable
from typing import Any

IDLE_S = 5.0

_Job = tuple[Callable[..., Any], tuple[Any, ...], asyncio.AbstractEventLoop, "asyncio.Future[Any]"]


class PostThreads:
    """Run blocking calls on at most `threads` long-lived threads, in the order given."""

    def __init__(self, threads: int, *, name: str = "belowline-post") -> None:
        self.threads = max(1, threads)
        self.name = name
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()  # guards _running, _idle and _pid
        self._running = 0
        self._idle = 0
        self._pid = os.getpid()

    async def run(self, call: Callable[..., Any], *args: Any) -> Any:
        """`call(*args)` on one of the threads; its result or exception.

        A cancelled caller stops waiting, but the call runs on to its end (a post that
        reached its commit is kept), as a thread-pool call that cannot be abandoned would.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's threads are not here
                self._pid, self._running, self._idle = os.getpid(), 0, 0
                self._jobs = queue.SimpleQueue()
            jobs = self._jobs
            jobs.put((call, args, loop, future))
            # A thread ends only when the queue is empty (under this lock), so a job is never
            # left without one: with none running, none is idle and one is started here.
            start = jobs.qsize() > self._idle and self._running < self.threads
            if start:
                self._running += 1
        if start:
            threading.Thread(target=self._serve, args=(jobs,), name=self.name, daemon=True).start()
        return await asyncio.shield(future)

    def _serve(self, jobs: queue.SimpleQueue[_Job]) -> None:
        lock = self._lock
        while True:
            with lock:
                self._idle += 1
            try:
                call, args, loop, future = jobs.get(timeout=IDLE_S)
            except queue.Empty:
                with lock:
                    self._idle -= 1
                    if jobs.empty():  # nothing was put since: no job counts on this thread
                        self._running -= 1
                        return
                continue
            with lock:
                self._idle -= 1
            try:
                outcome: tuple[Any, BaseException | None] = (call(*args), None)
            except BaseException as exc:  # the caller gets it; the thread goes on
                outcome = (None, exc)
            _answer(loop, future, *outcome)
            del call, args, loop, future, outcome  # nothing of a post outlives it here


def _answer(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    result: Any,
    error: BaseException | None,
) -> None:
    try:
        loop.call_soon_threadsafe(_settle, future, result, error)
    except RuntimeError:  # the loop was closed meanwhile: no one is waiting any more
        return


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
