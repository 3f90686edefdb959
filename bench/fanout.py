"""Live fan-out and memory (issue 5, items 6 and 7): thousands of SSE readers on one story.

Starts ``belowline serve`` on 127.0.0.1 (SQLite, one worker; or with ``--redis``
PostgreSQL + Redis and two workers), seeded by ``bench/belowline_seed.py``, opens N
concurrent Server-Sent Events readers on one story (raw asyncio streams, so the client costs
little), then posts comments one at a time and records, for every reader, the time from the
POST's response to the reader receiving that comment's event. Prints p50 / p99 / max over all
readers and posts, the server's RSS at rest, with N idle readers (and per 1,000 connections),
under the posts, and each worker's RSS after a read load (wrk on the 10k-comment story's first
page).

    python bench/fanout.py                    # SQLite, 2,000 readers, 10 posts
    python bench/fanout.py --readers 5000
    python bench/fanout.py --redis            # PostgreSQL + Redis, 2 workers

PostgreSQL comes from ``BENCH_FANOUT_PG_URL`` (default: database ``belowline_fanout`` of the
local server, created if missing), Redis from ``BENCH_REDIS_URL`` (default local).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset
from bench.belowline_target import BelowlineTarget
from bench.load import measure_rss, process_tree, run_load, wrk_path
from bench.targets import RESULTS_DIR

DEFAULT_PG = "postgresql+psycopg://belowline:belowline@127.0.0.1:5432/belowline_fanout"
DEFAULT_REDIS = "redis://127.0.0.1:6379/3"
MARK = re.compile(rb"fanout-(\d+)-mark")
TARGET_P99_MS = 1000.0


def raise_fd_limit() -> int:
    """Lift this process's open-file limit to the hard limit (the server inherits it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@dataclass(slots=True)
class Reader:
    """One SSE connection; `seen` maps post number -> perf_counter time of arrival."""

    seen: dict[int, float] = field(default_factory=dict)
    connected: bool = False
    error: str | None = None


async def run_reader(reader: Reader, host: str, port: int, path: str, stop: asyncio.Event) -> None:
    try:
        r, w = await asyncio.open_connection(host, port)
    except OSError as exc:
        reader.error = f"connect: {exc}"
        return
    try:
        w.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        await w.drain()
        buf = b""
        while b": connected" not in buf:
            chunk = await r.read(65536)
            if not chunk:
                reader.error = f"closed before connected: {buf[:120]!r}"
                return
            buf += chunk
        if not buf.startswith(b"HTTP/1.1 200"):
            reader.error = buf[:120].decode(errors="replace")
            return
        reader.connected = True
        tail = b""
        while not stop.is_set():
            read = asyncio.ensure_future(r.read(65536))
            halt = asyncio.ensure_future(stop.wait())
            done, _ = await asyncio.wait({read, halt}, return_when=asyncio.FIRST_COMPLETED)
            if read not in done:
                read.cancel()
                break
            halt.cancel()
            chunk = read.result()
            if not chunk:
                reader.error = "server closed the stream"
                break
            now = time.perf_counter()
            for m in MARK.finditer(tail + chunk):
                reader.seen.setdefault(int(m.group(1)), now)
            tail = chunk[-64:]
    except (OSError, asyncio.IncompleteReadError) as exc:
        reader.error = f"{type(exc).__name__}: {exc}"
    finally:
        w.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_by_pid(root: int) -> dict[int, float]:
    return measure_rss(process_tree([root]))


def post(url: str, token: str, k: int) -> tuple[float, float, int]:
    """POST comment k; returns (sent, returned) perf_counter times and the status."""
    body = json.dumps(
        {"body": dataset.post_body_text(f"fanout-{k}-mark"), "parent_id": None}
    ).encode()
    req = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    sent = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
            status = resp.status
            resp.read()
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:  # refused or reset: the server is out of file descriptors, say
        status = 0
    return sent, time.perf_counter(), status


async def fan_out(args: argparse.Namespace, target: BelowlineTarget) -> dict[str, Any]:
    info = target.seed_info
    assert info is not None  # noqa: S101 - prepared
    parts = urlsplit(target.base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    site = quote(info.site_id, safe="")
    story = quote(info.story_ids[dataset.POST_STORY], safe="")
    events_path = f"/api/v1/sites/{site}/stories/{story}/events"
    post_url = f"{target.base}/api/v1/sites/{site}/stories/{story}/comments"
    root = target.pids()[0]
    out: dict[str, Any] = {"readers": args.readers, "workers": target.workers}
    time.sleep(1.0)
    out["rss_rest_mb"] = rss_by_pid(root)

    stop = asyncio.Event()
    readers = [Reader() for _ in range(args.readers)]
    tasks: list[asyncio.Task[None]] = []
    started = time.perf_counter()
    for i in range(0, args.readers, args.batch):  # connect in batches: no SYN flood
        for reader in readers[i : i + args.batch]:
            tasks.append(asyncio.create_task(run_reader(reader, host, port, events_path, stop)))
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            settled = sum(1 for r in readers[: i + args.batch] if r.connected or r.error)
            if settled >= min(i + args.batch, args.readers):
                break
            await asyncio.sleep(0.02)
    connected = sum(r.connected for r in readers)
    errors = [r.error for r in readers if r.error]
    out["connected"] = connected
    out["connect_seconds"] = round(time.perf_counter() - started, 2)
    out["connect_errors"] = len(errors)
    if errors:
        out["first_error"] = errors[0]
    await asyncio.sleep(2.0)  # let the server settle with every connection idle
    out["rss_idle_mb"] = rss_by_pid(root)
    rest, idle = sum(out["rss_rest_mb"].values()), sum(out["rss_idle_mb"].values())
    out["rss_per_1000_conn_mb"] = round((idle - rest) / max(connected, 1) * 1000, 2)

    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    per_post: list[dict[str, Any]] = []
    rss_peak: dict[int, float] = {}
    for k in range(args.posts):
        token = info.tokens[k % len(info.tokens)]
        sent, returned, status = await loop.run_in_executor(None, post, post_url, token, k)
        deadline = time.perf_counter() + args.wait
        live = [r for r in readers if r.connected and not r.error]
        while time.perf_counter() < deadline and any(k not in r.seen for r in live):
            await asyncio.sleep(0.01)
        for pid, mb in rss_by_pid(root).items():
            rss_peak[pid] = max(rss_peak.get(pid, 0.0), mb)
        got = [r.seen[k] - returned for r in live if k in r.seen]
        latencies.extend(max(0.0, g) * 1000 for g in got)
        per_post.append(
            {
                "status": status,
                "post_ms": round((returned - sent) * 1000, 1),
                "received": len(got),
                "of": len(live),
                "last_ms": round(max(got) * 1000, 1) if got else None,
            }
        )
        await asyncio.sleep(args.gap)
    out["posts"] = per_post
    out["missed"] = sum(p["of"] - p["received"] for p in per_post)
    if latencies:
        out["p50_ms"] = round(pct(latencies, 0.5), 1)
        out["p99_ms"] = round(pct(latencies, 0.99), 1)
        out["max_ms"] = round(max(latencies), 1)
        out["mean_ms"] = round(statistics.fmean(latencies), 1)
    out["rss_under_posts_mb"] = rss_peak
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return out


def read_load(target: BelowlineTarget, seconds: int) -> dict[str, Any]:
    """Each worker's RSS after `seconds` of wrk on the 10k-comment story's first page."""
    spec = target.request("page_10k")
    assert spec is not None  # noqa: S101
    root = target.pids()[0]
    before = rss_by_pid(root)
    result = run_load(spec.url, connections=64, seconds=seconds, pids=[root])
    return {
        "rss_before_mb": before,
        "rss_after_mb": rss_by_pid(root),
        "rps": round(result.rps, 1),
        "p99_ms": round(result.p99_ms, 1),
        "errors": result.errors,
    }


def ensure_pg_database(url: str) -> None:
    """Create the fan-out database if missing (the role may create databases)."""
    from sqlalchemy import create_engine, text

    name = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def fmt_rss(rss: dict[Any, float]) -> str:
    values = list(rss.values())
    each = ", ".join(f"{v:.0f}" for v in values)
    return f"{sum(values):.0f} MB ({each})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=2000)
    parser.add_argument("--posts", type=int, default=10)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between posts")
    parser.add_argument("--wait", type=float, default=10.0, help="max seconds per post")
    parser.add_argument("--batch", type=int, default=200, help="readers connecting at once")
    parser.add_argument("--redis", action="store_true", help="PostgreSQL + Redis, 2 workers")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--read-seconds", type=int, default=5, help="0 skips the read load")
    parser.add_argument(
        "--server-nofile",
        type=int,
        default=None,
        help="start the server with this soft open-file limit (e.g. 1024, a common default)",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    limit = raise_fd_limit()
    if limit < args.readers + 100:
        print(f"open-file limit {limit} is below {args.readers} readers", file=sys.stderr)
    if args.redis:
        pg = os.environ.get("BENCH_FANOUT_PG_URL", DEFAULT_PG)
        ensure_pg_database(pg)
        target = BelowlineTarget(
            "fanout-pg",
            database_url=pg,
            redis_url=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
            workers=args.workers or 2,
        )
    else:
        target = BelowlineTarget("fanout-sqlite", workers=args.workers or 1)
    # posts come one at a time from the same few readers; the limit is not what we measure
    target.env["BELOWLINE_RATE_LIMIT_POSTS"] = "1000/minute"
    t0 = time.monotonic()
    target.prepare()
    print(f"seeded in {time.monotonic() - t0:.0f}s; serving {target.name}", flush=True)
    if args.server_nofile:  # the server inherits the limit in force when it is started
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        resource.setrlimit(resource.RLIMIT_NOFILE, (args.server_nofile, hard))
        try:
            target.start()
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
    else:
        target.start()
    try:
        result = asyncio.run(fan_out(args, target))
        if args.read_seconds and wrk_path():
            result["read_load"] = read_load(target, args.read_seconds)
    finally:
        target.stop()
    result["target"] = target.name
    result["fd_limit"] = limit
    name = target.name
    print(
        f"\n{name}: {result['connected']}/{args.readers} readers connected in "
        f"{result['connect_seconds']}s ({result['connect_errors']} errors)"
    )
    if result.get("first_error"):
        print(f"  first error: {result['first_error']}")
    print(f"  RSS at rest            {fmt_rss(result['rss_rest_mb'])}")
    print(
        f"  RSS with idle readers  {fmt_rss(result['rss_idle_mb'])}  "
        f"= {result['rss_per_1000_conn_mb']} MB per 1,000 connections"
    )
    print(f"  RSS under posts (peak) {fmt_rss(result['rss_under_posts_mb'])}")
    if "p50_ms" in result:
        verdict = "met" if result["p99_ms"] < TARGET_P99_MS and not result["missed"] else "NOT met"
        print(
            f"  POST returned -> reader got it, over {len(result['posts'])} posts x readers: "
            f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms, "
            f"missed {result['missed']} (target p99 < {TARGET_P99_MS:.0f} ms: {verdict})"
        )
        post_ms = [p["post_ms"] for p in result["posts"]]
        print(
            f"  POST itself: median {statistics.median(post_ms):.0f} ms, "
            f"statuses {sorted({p['status'] for p in result['posts']})}"
        )
    if "read_load" in result:
        rl = result["read_load"]
        print(
            f"  read load (wrk -c64 {args.read_seconds}s first page 10k): {rl['rps']} req/s, "
            f"p99 {rl['p99_ms']} ms, errors {rl['errors']}; RSS per process "
            f"before {fmt_rss(rl['rss_before_mb'])}, after {fmt_rss(rl['rss_after_mb'])}"
        )
    out = args.out or RESULTS_DIR / f"fanout-{name}-latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"  results: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
