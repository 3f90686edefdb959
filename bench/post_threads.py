"""Where a post's CPU goes by thread: the event loop against the threads that run the post.

    python bench/post_threads.py                       # SQLite, 2 workers, c=16 and c=64, 5 s
    python bench/post_threads.py -c 16 --seconds 8
    python bench/post_threads.py --src before=/tmp/old/src --src after=src   # back to back

Seeds the `belowline-sqlite` data once, then for each source tree (``--src LABEL=DIR``: the
server runs with ``PYTHONPATH=DIR``, so two checkouts compare in one run on one dataset) and
each connection count starts ``belowline serve --workers N`` on a fresh copy of it and posts
with wrk as the `post` scenario does. Per post it prints, from /proc/PID/task/*/{stat,status}
of every worker: CPU ms of the event loop's thread (each worker's main thread: HTTP, the
ASGI app, hand-offs) and of the other threads (the post itself, commits, helpers), and their
voluntary and involuntary context switches: what the execution layer costs beside the work.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.belowline_target import BelowlineTarget
from bench.load import process_tree, run_load, wait_idle
from bench.targets import POST, WORK_DIR

_CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass(slots=True)
class ThreadSample:
    """One thread's CPU seconds and context switches so far."""

    cpu_s: float
    voluntary: int
    involuntary: int


def threads_of(pids: Iterable[int]) -> dict[tuple[int, int], ThreadSample]:
    """(pid, tid) → the thread's counters, for every thread of every live pid."""
    out: dict[tuple[int, int], ThreadSample] = {}
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            base = f"/proc/{pid}/task/{tid}"
            try:
                stat = Path(base, "stat").read_text()
                status = Path(base, "status").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            counts = dict(
                line.split(":\t", 1) for line in status.splitlines() if "ctxt_switches" in line
            )
            out[(pid, int(tid))] = ThreadSample(
                (int(fields[11]) + int(fields[12])) / _CLK_TCK,
                int(counts.get("voluntary_ctxt_switches", "0")),
                int(counts.get("nonvoluntary_ctxt_switches", "0")),
            )
    return out


def split(
    before: dict[tuple[int, int], ThreadSample],
    after: dict[tuple[int, int], ThreadSample],
    workers: set[int],
) -> dict[str, list[float]]:
    """Per role (event loop, other threads of the workers, supervisor): [cpu, vol, invol, n]."""
    roles: dict[str, list[float]] = {}
    for key, now in after.items():
        pid, tid = key
        was = before.get(key, ThreadSample(0.0, 0, 0))
        if pid not in workers:
            role = "supervisor"
        elif tid == pid:
            role = "event loop thread"
        else:
            role = "other threads"
        cpu = now.cpu_s - was.cpu_s
        row = roles.setdefault(role, [0.0, 0.0, 0.0, 0.0])
        row[0] += cpu
        row[1] += now.voluntary - was.voluntary
        row[2] += now.involuntary - was.involuntary
        row[3] += 1 if cpu > 0 else 0
    return roles


def measure(
    label: str,
    src: str | None,
    env: dict[str, str],
    seed_dir: Path,
    info: object,
    connections: int,
    seconds: int,
    perf_out: Path | None = None,
    spy_out: Path | None = None,
) -> None:
    target = BelowlineTarget(f"threads-{label}")
    if target.data_dir.exists():
        shutil.rmtree(target.data_dir)
    shutil.copytree(seed_dir, target.data_dir)
    target.seed_info = info  # type: ignore[assignment]
    if src:
        target.env["PYTHONPATH"] = str(Path(src).resolve())
    target.env.update(env)
    spec = target.request(POST)
    assert spec is not None  # noqa: S101 - the Belowline target posts
    load = {
        "method": spec.method,
        "body": spec.body,
        "headers": spec.headers,
        "choices": spec.choices,
        "connections": connections,
    }
    target.start()
    try:
        master = target.pids()[0]
        wait_idle([master])
        run_load(spec.url, seconds=2, **load)  # type: ignore[arg-type]  # warm-up
        wait_idle([master])
        tree = process_tree([master])
        workers = set(tree[1:])
        before = threads_of(tree)
        perf = None
        if perf_out is not None:
            perf = subprocess.Popen(
                [
                    *("perf", "record", "-q", "-F", "499", "-o", str(perf_out)),
                    *("-p", ",".join(str(pid) for pid in sorted(workers))),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        spy = None
        if spy_out is not None:
            spy = subprocess.Popen(
                [
                    *(str(Path(sys.executable).with_name("py-spy")), "record", "--nonblocking"),
                    *("--rate", "200", "--format", "raw", "--output", str(spy_out)),
                    *("--pid", str(master), "--subprocesses"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(2.0)  # py-spy attaches to every worker
        result = run_load(spec.url, seconds=seconds, **load)  # type: ignore[arg-type]
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
        after = threads_of(process_tree([master]))
        if perf is not None:
            perf.send_signal(signal.SIGINT)
            perf.wait(timeout=60)
    finally:
        target.stop()
    posts = max(result.requests - result.errors, 1)
    roles = split(before, after, workers)
    total = sum(row[0] for row in roles.values())
    print(
        f"\n{label} c={connections}: {result.rps:.0f} posts/s, p50 {result.p50_ms:.0f} ms, "
        f"p99 {result.p99_ms:.0f} ms, errors {result.errors}, {total * 1000 / posts:.2f} ms "
        f"CPU per post (load average {os.getloadavg()[0]:.1f})"
    )
    print(f"  {'thread':20s} {'CPU ms/post':>11s} {'vol cs/post':>11s} {'invol/post':>10s} busy")
    for role, (cpu, vol, invol, busy) in sorted(roles.items()):
        print(
            f"  {role:20s} {cpu * 1000 / posts:11.2f} {vol / posts:11.2f} "
            f"{invol / posts:10.2f} {int(busy):4d}"
        )
    if perf_out is not None and perf_out.exists():
        print(f"  perf samples by shared object ({perf_out}):")
        report = subprocess.run(
            [
                *("perf", "report", "-i", str(perf_out), "--stdio", "--sort", "dso"),
                *("--percent-limit", "1"),
            ],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        for line in report.splitlines():
            if line.strip() and not line.startswith("#"):
                print("   ", line.strip())


def serial(seed_dir: Path, info: Any, posts: int) -> None:
    """The post's own work: `posts` posts run back to back on this thread by the fast
    path's `_work`, no HTTP, no event loop, no hand-off; CPU ms per post from thread_time."""
    target = BelowlineTarget("threads-serial")
    if target.data_dir.exists():
        shutil.rmtree(target.data_dir)
    shutil.copytree(seed_dir, target.data_dir)
    os.environ.update(target.env)
    from fastapi.testclient import TestClient

    from belowline.app import create_app
    from belowline.comments.posting import fastpath
    from belowline.comments.schemas import CommentIn
    from bench.belowline_target import _post_texts
    from bench.dataset import POST_STORY

    app = create_app()
    texts = _post_texts()
    story = info.story_ids[POST_STORY]
    with TestClient(app):  # the lifespan: the state a serving worker has
        state = app.state

        def one(n: int) -> None:
            body = CommentIn.model_validate(
                {
                    "body": f"{texts[n % len(texts)]} (ref serial {n})",
                    "parent_id": None,
                    "accept_terms_version": info.accept_terms_version,
                }
            )
            token = info.tokens[n % len(info.tokens)]
            fastpath._work(state, info.site_id, story, body, token, state.clock())

        for n in range(20):  # warm-up
            one(n)
        started = time.thread_time()
        wall = time.perf_counter()
        for n in range(20, 20 + posts):
            one(n)
        cpu = time.thread_time() - started
        wall = time.perf_counter() - wall
    print(
        f"\nserial, one thread, {posts} posts: {cpu * 1000 / posts:.2f} ms CPU per post, "
        f"{wall * 1000 / posts:.2f} ms wall (load average {os.getloadavg()[0]:.1f})"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-c", "--connections", type=int, action="append")
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--src", action="append", default=[], help="LABEL=DIR (repeatable)")
    ap.add_argument(
        "--env", action="append", default=[], help="LABEL:NAME=VALUE, server env of a --src"
    )
    ap.add_argument("--perf", action="store_true", help="perf record the workers (by DSO)")
    ap.add_argument("--spy", action="store_true", help="py-spy the workers (collapsed stacks)")
    ap.add_argument("--rounds", type=int, default=1, help="repeat the whole set (A/B/A/B)")
    ap.add_argument("--serial", type=int, default=0, help="posts run in-process, one thread")
    args = ap.parse_args(argv)
    sources = [tuple(s.split("=", 1)) for s in args.src] or [("this", "")]
    envs: dict[str, dict[str, str]] = {}
    for item in args.env:
        label, _, pair = item.partition(":")
        name, _, value = pair.partition("=")
        envs.setdefault(label, {})[name] = value
    seeder = BelowlineTarget("threads-seed")
    print("seeding ...", flush=True)
    seeder.prepare()
    if args.serial:
        serial(seeder.data_dir, seeder.seed_info, args.serial)
        return 0
    for _ in range(args.rounds):
        for connections in args.connections or [16, 64]:
            for label, src in sources:
                perf_out = WORK_DIR / f"threads-{label}-c{connections}.perf" if args.perf else None
                measure(
                    label,
                    src or None,
                    envs.get(label, {}),
                    seeder.data_dir,
                    seeder.seed_info,
                    connections,
                    args.seconds,
                    perf_out,
                    WORK_DIR / f"threads-{label}-c{connections}.spy" if args.spy else None,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
