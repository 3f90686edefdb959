"""What a benchmark target is, the four scenarios, and a helper to run a server process.

A *target* is one server under test (Isso, the bare-ASGI ceiling, Belowline on SQLite,
Belowline on PostgreSQL + Redis). It knows how to prepare and seed itself, start and stop
its server, which pids to measure, and how each scenario's request looks on its API.
``run_peers.py`` runs every scenario against every target with the same load settings.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Literal, Protocol, runtime_checkable

BENCH_DIR = Path(__file__).resolve().parent
WORK_DIR = BENCH_DIR / ".work"
RESULTS_DIR = BENCH_DIR / "results"

# The four scenarios of issue 5, in the order they run. Reads come first so that the posts
# (which go to their own story) never change what the reads see within one run.
PAGE_10K = "page_10k"
PAGE_50 = "page_50"
COUNTS_20 = "counts_20"
POST = "post"
SCENARIOS: tuple[str, ...] = (PAGE_10K, PAGE_50, COUNTS_20, POST)
SCENARIO_TITLES: Mapping[str, str] = {
    PAGE_10K: "first page, 10k-comment story",
    PAGE_50: "first page, 50-comment story",
    COUNTS_20: "counts for 20 stories",
    POST: "post a comment",
}

TargetKind = Literal["peer", "ceiling", "belowline"]


@dataclass(frozen=True, slots=True)
class RequestSpec:
    """One scenario's request on one target. ``{{seq}}``/``{{ip}}`` see bench/load.py."""

    url: str
    method: str = "GET"
    body: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    expect_status: tuple[int, ...] = (200,)
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)


@runtime_checkable
class Target(Protocol):
    """A server under test. ``kind`` decides its role in the RESULT line."""

    name: str
    kind: TargetKind

    def prepare(self) -> None:
        """Install what the target needs and seed its data (idempotent, may be slow)."""

    def start(self) -> None:
        """Start the server and return once it answers."""

    def stop(self) -> None:
        """Stop the server and everything it started."""

    def pids(self) -> list[int]:
        """Root pids of the server (workers are found as their descendants)."""

    def request(self, scenario: str) -> RequestSpec | None:
        """The request for ``scenario``, or ``None`` if the target does not do it."""


def _raise_interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def stop_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt so ``finally`` blocks stop the servers."""
    signal.signal(signal.SIGTERM, _raise_interrupt)


def free_port() -> int:
    """An unused TCP port on 127.0.0.1 (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_http(
    url: str, timeout_s: float = 30.0, proc: subprocess.Popen[bytes] | None = None
) -> None:
    """Wait until ``url`` answers any HTTP status (or raise, with the process's exit)."""
    deadline = time.monotonic() + timeout_s
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback only
                return
        except urllib.error.HTTPError:
            return
        except OSError as exc:
            last = exc
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout_s:.0f}s: {last}")


def preflight(spec: RequestSpec) -> tuple[int, bytes]:
    """Send ``spec`` once (placeholders filled) and return (status, body)."""
    fill = {"{{seq}}": str(int(time.time() * 1000) % 10**9), "{{ip}}": "203.0.113.7"}
    fill.update({"{{" + name + "}}": values[0] for name, values in spec.choices.items()})

    def sub(value: str) -> str:
        for key, replacement in fill.items():
            value = value.replace(key, replacement)
        return value

    data = sub(spec.body).encode() if spec.body is not None else None
    req = urllib.request.Request(  # noqa: S310 - loopback only
        sub(spec.url),
        data=data,
        method=spec.method,
        headers={k: sub(v) for k, v in spec.headers.items()},
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class ServerProcess:
    """A server started in its own process group, logging to a file, stopped as a group."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.env = dict(os.environ, **(env or {}))
        self.cwd = cwd
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = WORK_DIR / "logs" / f"{name}.log"

    def start(self, ready_url: str, timeout_s: float = 60.0) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            self.argv,
            env=self.env,
            cwd=self.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        try:
            wait_http(ready_url, timeout_s, self.proc)
        except Exception:
            self.stop()
            raise

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def stop(self, timeout_s: float = 10.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        # The group holds the server's master and its workers, and nothing else.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
