"""Worker memory and start-up: RSS of each `belowline serve` worker at rest and after load.

    python bench/worker_memory.py                     # SQLite, 2 workers, 5 s of posts + reads
    python bench/worker_memory.py --pg URL --redis URL
    python bench/worker_memory.py --seconds 10 --workers 1

Seeds the same data as the `belowline-sqlite` target of run_peers.py, then starts a real
server (free port, 127.0.0.1) and times it from exec to the first answer of /healthz and
of the 10k-story first page (issue 10: < 1.5 s to first answer). It reads each worker's
VmRSS from /proc at rest, after bounded post load (wrk, `-c 16`) and after bounded read
load (first page, `-c 64`), and prints them against the 120 MB ceiling (a ratio < 1 is
under it). The uvicorn supervisor is shown apart: it serves nothing.

The last line is ``RESULT rss_rest_mb=… rss_after_mb=… rss_vs_ceiling=… start_s=…
start_vs_ceiling=…`` (largest worker; ratios over 120 MB and 1.5 s).
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.request
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.belowline_target import BelowlineTarget
from bench.load import measure_rss, process_tree, run_load
from bench.targets import PAGE_10K, POST, ServerProcess, wait_http

RSS_CEILING_MB = 120.0
START_CEILING_S = 1.5


def workers_rss(master: int) -> dict[int, float]:
    """VmRSS (MiB) of the server's workers: the master's descendants, less the master and
    multiprocessing's resource tracker (a 12 MB helper that serves nothing)."""

    def helper(pid: int) -> bool:
        try:
            return b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return True

    tree = [pid for pid in process_tree([master]) if pid != master and not helper(pid)]
    return measure_rss(tree)


def first_answer(url: str, *, timeout_s: float, started: float) -> float:
    """Seconds from ``started`` until ``url`` answers 200 (polled every 20 ms)."""
    deadline = started + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - loopback only
                if resp.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not answer within {timeout_s:.0f}s")


def fmt(rss: dict[int, float]) -> str:
    return ", ".join(f"{mb:.1f}" for _, mb in sorted(rss.items())) or "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default=None, help="PostgreSQL URL (with --redis)")
    parser.add_argument("--redis", default=None, help="Redis URL (with --pg)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=5, help="seconds of each load")
    args = parser.parse_args(argv)

    name = "memory-pg" if args.pg else "memory-sqlite"
    target = BelowlineTarget(name, database_url=args.pg, redis_url=args.redis, workers=args.workers)
    print(f"seeding {name} ...", flush=True)
    target.prepare()
    page = target.request(PAGE_10K)
    post = target.request(POST)
    if page is None or post is None:
        raise SystemExit("the Belowline target lacks the page or post scenario")

    # Started by hand (not target.start()) to time exec -> first answer.
    belowline = Path(sys.executable).with_name("belowline")
    server = ServerProcess(
        name,
        [
            *(str(belowline), "serve", "--host", "127.0.0.1"),
            *("--port", str(target.port), "--workers", str(args.workers)),
        ],
        env=target.env,
    )
    started = time.monotonic()
    server.start(f"{target.base}/healthz", timeout_s=180)
    target.server = server
    try:
        health_s = time.monotonic() - started
        page_s = first_answer(page.url, timeout_s=60, started=started)
        master = server.pid or 0
        time.sleep(2.0)  # every worker past its lifespan start-up
        wait_http(f"{target.base}/healthz")
        rest = workers_rss(master)
        master_mb = measure_rss([master]).get(master, 0.0)
        posted = run_load(
            post.url,
            method=post.method,
            body=post.body,
            headers=post.headers,
            choices=post.choices,
            connections=16,
            seconds=args.seconds,
            pids=[master],
        )
        after_posts = workers_rss(master)
        read = run_load(page.url, connections=64, seconds=args.seconds, pids=[master])
        after = workers_rss(master)
    finally:
        target.stop()

    print(f"\nworkers {args.workers}, {name}; supervisor (serves nothing) {master_mb:.1f} MB")
    print(f"start-up: /healthz answered after {health_s:.2f} s, first page after {page_s:.2f} s")
    print(f"worker RSS at rest:        {fmt(rest)} MB")
    print(
        f"worker RSS after posts:    {fmt(after_posts)} MB "
        f"({posted.rps:.0f} posts/s, p99 {posted.p99_ms:.0f} ms, errors {posted.errors})"
    )
    print(
        f"worker RSS after reads:    {fmt(after)} MB "
        f"({read.rps:.0f} pages/s, p99 {read.p99_ms:.0f} ms, errors {read.errors})"
    )
    rest_max = max(rest.values(), default=0.0)
    after_max = max([*after_posts.values(), *after.values()], default=0.0)
    print(
        f"RESULT rss_rest_mb={rest_max:.0f} rss_after_mb={after_max:.0f} "
        f"rss_vs_ceiling={after_max / RSS_CEILING_MB:.2f} start_s={page_s:.2f} "
        f"start_vs_ceiling={page_s / START_CEILING_S:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
