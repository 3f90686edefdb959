"""Where a post's CPU goes under load: a real server, wrk posting, py-spy on every worker.

    python bench/post_profile_load.py                          # SQLite, 2 workers, c=16, 10 s
    python bench/post_profile_load.py --pg URL --redis URL     # PostgreSQL + Redis
    python bench/post_profile_load.py -c 64 --seconds 15

Seeds the data of the `belowline-sqlite` target of run_peers.py (or `belowline-pg`), starts
`belowline serve --workers N`, attaches ``py-spy record --subprocesses`` (install it from
the package index: ``pip install py-spy``) and posts with wrk as the `post` scenario does.
CPU ms per post comes from /proc (user + system of the master and workers over the run,
divided by the 201s); py-spy's samples split it by component. Each sample is charged by
walking its stack from the innermost frame outwards:

- the SQL driver's execute (and group commit's raw sqlite3 statements) → ``SQL in the
  driver``; its commit (and group commit's batch COMMIT) → ``commit + fsync``;
- else the innermost frame of Belowline decides: ``triage/`` → triage, ``policy/`` →
  policy, ``accounts/``, ``web/deps`` → auth (with the rate limit), ``live/``,
  ``metrics/``, ``webhooks/``, ``outbox/`` → events, ``comments/rendering`` → sanitise, the
  rest of ``belowline/`` → services; but SQLAlchemy frames met before it → ORM;
- else (no Belowline frame on the stack) → framework (uvicorn, Starlette, FastAPI,
  pydantic, anyio, asyncio).

py-spy leaves out threads it sees idle; the shares of the busy samples split the CPU time
measured from /proc. On a loaded box a runnable thread waiting for a core or the GIL still
counts as busy, so the busy samples' own time per post (printed) exceeds the CPU time;
the shares are what to read.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.belowline_target import BelowlineTarget
from bench.load import process_tree, run_load, wait_idle
from bench.targets import POST, WORK_DIR

DRIVER_EXEC = ("do_execute", "do_executemany", "do_execute_no_params")
DRIVER_COMMIT = ("do_commit",)
BELOWLINE = (
    ("belowline/triage/", "triage"),
    ("belowline/policy/", "policy"),
    ("belowline/accounts/", "auth + rate limit"),
    ("belowline/web/deps", "auth + rate limit"),
    ("belowline/web/ratelimit", "auth + rate limit"),
    ("belowline/live/", "events (bus, webhooks, metrics)"),
    ("belowline/metrics/", "events (bus, webhooks, metrics)"),
    ("belowline/webhooks/", "events (bus, webhooks, metrics)"),
    ("belowline/outbox/", "events (bus, webhooks, metrics)"),
    ("belowline/comments/rendering", "sanitise + markdown"),
    ("belowline/", "services (comments, stories, ...)"),
)
# Leaves that are a thread blocked (py-spy's idle test misses some under load): a condition
# or queue wait, the writer's turn, the cross-process SQLite lock, the supervisor's ping.
WAITS = (
    ("wait", "threading.py"),
    ("get", "queue.py"),
    ("_recv", "multiprocessing/connection.py"),
    ("begin", "belowline/db/groupcommit.py:135"),
    ("_wait_for_turns", "belowline/db/__init__.py"),
    ("acquire", "belowline/db/__init__.py:115"),
    ("acquire", "belowline/db/__init__.py:136"),
)
ORM = "ORM (SQLAlchemy's Python)"
FRAMEWORK = "framework (event loop, HTTP, Starlette, FastAPI, pydantic, anyio)"


def _frames(stack: str) -> list[tuple[str, str]]:
    """(function, file) of each frame, outermost first; py-spy's process labels left out."""
    out = []
    for frame in stack.split(";"):
        if frame.startswith("process "):
            continue
        func, _, where = frame.partition(" (")
        out.append((func.rsplit(".", 1)[-1], where))
    return out


def charge(stack: str) -> str:
    """The component one collapsed py-spy stack (outermost first) is charged to."""
    frames = _frames(stack)
    if frames and any(frames[-1][0] == f and frames[-1][1].startswith(w) for f, w in WAITS):
        return "idle"
    seen_sqlalchemy = False
    for func, where in reversed(frames):
        if func in DRIVER_COMMIT:
            return "commit + fsync"
        if func in DRIVER_EXEC:
            return "SQL in the driver"
        if where.startswith("belowline/db/groupcommit"):  # the writer's raw sqlite3 calls
            return "commit + fsync" if func == "_finish" else "SQL in the driver"
        if where.startswith("sqlalchemy/"):
            seen_sqlalchemy = True
            continue
        for prefix, name in BELOWLINE:
            if where.startswith(prefix):
                if seen_sqlalchemy:
                    return ORM
                return name
    return ORM if seen_sqlalchemy else FRAMEWORK


def by_component(raw: str) -> Counter[str]:
    totals: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            totals[charge(stack)] += int(count)
    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pg", default=None, help="PostgreSQL URL (with --redis)")
    ap.add_argument("--redis", default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("-c", "--connections", type=int, default=16)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    args = ap.parse_args(argv)

    name = "profile-pg" if args.pg else "profile-sqlite"
    target = BelowlineTarget(name, database_url=args.pg, redis_url=args.redis, workers=args.workers)
    print(f"seeding {name} ...", flush=True)
    target.prepare()
    spec = target.request(POST)
    if spec is None:
        raise SystemExit("the Belowline target has no post scenario")
    raw_path = WORK_DIR / f"{name}.collapsed"
    target.start()
    try:
        master = target.pids()[0]
        workers_before = process_tree([master])
        load = {
            "method": spec.method,
            "body": spec.body,
            "headers": spec.headers,
            "choices": spec.choices,
            "connections": args.connections,
        }
        # /healthz answers once one worker is up; the others may still be importing, and
        # py-spy would charge their start-up to the posts.
        time.sleep(2.0)
        wait_idle([master])
        run_load(spec.url, seconds=2, **load)  # type: ignore[arg-type]  # warm-up
        wait_idle([master])
        py_spy = Path(sys.executable).with_name("py-spy")
        spy = subprocess.Popen(
            [
                *(str(py_spy), "record", "--pid", str(master), "--subprocesses"),
                *("--nonblocking", "--rate", str(args.rate), "--format", "raw"),
                *("--output", str(raw_path)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(2.0)  # py-spy attaches to every worker
        result = run_load(spec.url, seconds=args.seconds, pids=[master], **load)  # type: ignore[arg-type]
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)
        restarted = sorted(set(process_tree([master])) - set(workers_before))
    finally:
        target.stop()
    raw = raw_path.read_text() if raw_path.exists() else ""
    # A worker started during the run (one killed by the supervisor's health check) would
    # put its start-up in the profile: its samples are left out and it is named.
    skip = tuple(f"process {pid}:" for pid in restarted)
    totals = by_component(
        "\n".join(line for line in raw.splitlines() if not any(k in line for k in skip))
    )
    idle = totals.pop("idle", 0)
    busy = sum(totals.values()) or 1
    cpu = result.cpu_ms_per_req or 0.0
    print(
        f"\n{name}, {args.workers} workers, c={args.connections}, {args.seconds} s: "
        f"{result.rps:.0f} posts/s, p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, "
        f"errors {result.errors}, {cpu:.2f} ms CPU per post (load average "
        f"{os.getloadavg()[0]:.1f}); {busy} busy samples, "
        f"{busy / args.rate * 1000 / max(result.requests, 1):.1f} ms of them per post "
        f"({idle} blocked in waits left out)"
    )
    if restarted:
        print(f"workers started during the run (left out): {restarted}")
    print(f"{'component':58s} {'ms/post':>8s} {'share':>6s}")
    for comp, n in totals.most_common():
        print(f"{comp:58s} {cpu * n / busy:8.2f} {100 * n / busy:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
