"""Workers forked from a supervisor that imported and warmed the app once.

uvicorn's own supervisor starts each worker with multiprocessing *spawn*: every worker then
re-imports FastAPI, SQLAlchemy and every router and reloads the triage models (seconds of CPU
each, all at once on a small box) and holds private copies of all of it. Forked after the
supervisor has imported the app, loaded the models and frozen the garbage collector's objects,
a worker starts in the time ``create_app`` takes and shares those pages copy-on-write.

Each worker still builds its own app (engine, pools, caches, the outbox worker and periodic
jobs): nothing that holds a connection or a thread is made before the fork.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from types import FrameType

__all__ = ["STARTUP_FAILURE", "Supervisor"]

STARTUP_FAILURE = 3  # uvicorn's exit status when a worker cannot start: restarting won't help
RESPAWN_PAUSE_S = 1.0  # a worker that died within this long is replaced after this pause
POLL_S = 0.1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


class Supervisor:
    """Keep ``workers`` forked children running ``serve`` until told to stop."""

    def __init__(self, *, workers: int, serve: Callable[[], int], grace_s: float) -> None:
        self.workers = workers
        self.serve = serve
        self.grace_s = grace_s
        self.children: dict[int, float] = {}  # pid -> when it was forked
        self._stop = False
        self._restart = False

    def run(self) -> int:
        """Fork the workers, replace any that die, stop them all on SIGINT/SIGTERM."""
        for sig in STOP_SIGNALS:
            signal.signal(sig, self._on_stop)
        signal.signal(signal.SIGHUP, self._on_hup)
        status = 0
        try:
            while not self._stop:
                if self._restart:
                    self._restart = False
                    self._signal_all(signal.SIGTERM)  # replaced below as each one exits
                while len(self.children) < self.workers and not self._stop:
                    self._fork()
                time.sleep(POLL_S)
                failed = self._reap()
                if failed:
                    sys.stderr.write("A worker could not start; stopping the server.\n")
                    status = STARTUP_FAILURE
                    break
        finally:
            self._shutdown()
        return status

    def _on_stop(self, _sig: int, _frame: FrameType | None) -> None:
        self._stop = True

    def _on_hup(self, _sig: int, _frame: FrameType | None) -> None:
        self._restart = True

    def _fork(self) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            self._child()
        self.children[pid] = time.monotonic()

    def _child(self) -> None:  # pragma: no cover - the forked worker
        """Serve, then leave without running the supervisor's exit handlers."""
        for sig in (*STOP_SIGNALS, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        code = 1
        try:
            code = self.serve()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    def _reap(self) -> bool:
        """Forget the children that exited; True when one failed to start."""
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                self.children.clear()
                return False
            if pid == 0:
                return False
            started = self.children.pop(pid, None)
            if started is None:
                continue
            code = os.waitstatus_to_exitcode(status)  # -N: killed by signal N
            if code == STARTUP_FAILURE:
                return True
            if not self._stop:
                sys.stderr.write(f"Worker {pid} exited ({code}); starting another.\n")
                if time.monotonic() - started < RESPAWN_PAUSE_S:
                    time.sleep(RESPAWN_PAUSE_S)  # no busy loop of a worker that keeps dying
        return False

    def _signal_all(self, sig: int) -> None:
        for pid in list(self.children):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                self.children.pop(pid, None)

    def _shutdown(self) -> None:
        """SIGTERM every worker (uvicorn drains its connections), SIGKILL any left after grace."""
        self._signal_all(signal.SIGTERM)
        deadline = time.monotonic() + self.grace_s
        while self.children and time.monotonic() < deadline:
            time.sleep(POLL_S)
            self._reap()
        self._signal_all(signal.SIGKILL)
        for pid in list(self.children):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self.children.clear()
