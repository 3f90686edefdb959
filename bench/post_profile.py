"""Profile posting in-process: SQL statements per post and CPU by component (py-spy).

    python bench/post_profile.py                 # SQLite in bench/.work/post-profile
    python bench/post_profile.py --pg URL --redis URL
    python bench/post_profile.py --posts 300 --sql

The same seed and post body as the `post` scenario of run_peers.py; posts go through the
ASGI app (TestClient), one at a time, so the profile is of the work, not of queueing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset
from bench.belowline_seed import seed
from bench.belowline_target import WORK_DIR, _post_texts

# Longest prefix wins: the component a frame's own time is charged to.
COMPONENTS = (
    ("belowline/triage/", "triage"),
    ("belowline/comments/rendering", "sanitise+markdown"),
    ("belowline/", "belowline (other)"),
    ("sqlalchemy/", "SQLAlchemy"),
    ("psycopg/", "driver (SQL, fsync)"),
    ("sqlite3/", "driver (SQL, fsync)"),
    ("fastapi/", "FastAPI/Starlette/pydantic"),
    ("starlette/", "FastAPI/Starlette/pydantic"),
    ("pydantic", "FastAPI/Starlette/pydantic"),
    ("anyio/", "threads/anyio"),
    ("threading.py", "threads/anyio"),
    ("concurrent/", "threads/anyio"),
    ("limits/", "rate limiter"),
    ("redis/", "redis client"),
    ("markdown_it/", "sanitise+markdown"),
    ("nh3", "sanitise+markdown"),
    ("bleach/", "sanitise+markdown"),
    ("jwt/", "auth (jwt)"),
    ("orjson", "json"),
    ("json/", "json"),
    ("httpx/", "test client"),
    ("testclient", "test client"),
)


# Leaves that are a thread waiting, not working (py-spy's idle test misses some).
IDLE = ("Condition.wait ", "EpollSelector.select ", "Event.wait ", "Thread.join ")
# Where SQLAlchemy hands over to the driver: the SQL itself, and the commit's fsync.
DRIVER = ("DefaultDialect.do_execute ", "DefaultDialect.do_commit ", "do_executemany ")


def component(path: str) -> str:
    if path.startswith(DRIVER):
        return "driver (SQL, fsync)"
    for prefix, name in COMPONENTS:
        if prefix in path:
            return name
    return "python/stdlib"


def by_component(raw: str) -> Counter[str]:
    """Samples of py-spy's collapsed stacks, charged to the component of the innermost frame."""
    totals: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        leaf = stack.rsplit(";", 1)[-1]
        if leaf.startswith(IDLE):
            continue
        totals[component(leaf)] += int(count)
    return totals


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--posts", type=int, default=200)
    ap.add_argument("--pg", default=None, help="PostgreSQL URL (else SQLite)")
    ap.add_argument("--redis", default=None, help="Redis URL (with --pg)")
    ap.add_argument("--sql", action="store_true", help="print the statements of one post")
    args = ap.parse_args()

    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from belowline.app import create_app
    from belowline.settings import Settings

    data_dir = WORK_DIR / "post-profile"
    if data_dir.exists():
        shutil.rmtree(data_dir)
    env = {
        "BELOWLINE_DATA_DIR": str(data_dir),
        "BELOWLINE_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "BELOWLINE_RATE_LIMIT_POSTS": "1000000/minute",
        # The nightly jobs (retraining on the seeded decisions) would run in this process at
        # start-up and be charged to the posts.
        "BELOWLINE_PERIODIC_JOBS": "false",
    }
    if args.pg:
        env["BELOWLINE_DATABASE_URL"] = args.pg
    if args.redis:
        env["BELOWLINE_REDIS_URL"] = args.redis
    info = seed(env, data_dir)
    os.environ.update(env)
    app = create_app(Settings())
    statements: list[str] = []
    event.listen(
        app.state.sessionmaker.kw["bind"],
        "before_cursor_execute",
        lambda _c, _cur, stmt, *_a: statements.append(stmt),
    )
    texts = _post_texts()
    url = f"/api/v1/sites/{info.site_id}/stories/{info.story_ids[dataset.POST_STORY]}/comments"

    with TestClient(app) as client:

        def post(i: int) -> None:
            r = client.post(
                url,
                json={"body": f"{texts[i % len(texts)]} (ref {i})", "parent_id": None},
                headers={"Authorization": f"Bearer {info.tokens[i % len(info.tokens)]}"},
            )
            if r.status_code != 201:
                raise SystemExit(f"post {i}: {r.status_code} {r.text[:200]}")

        for i in range(20):  # warm caches, models and the statement cache
            post(i)
        statements.clear()
        post(20)
        print(f"statements in one post: {len(statements)}")
        if args.sql:
            for s in statements:
                print("  ", " ".join(s.split())[:160])
        raw_path = data_dir / "post.collapsed"
        spy = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("py-spy")),
                "record",
                "--pid",
                str(os.getpid()),
                "--rate",
                "1000",
                "--format",
                "raw",
                "--output",
                str(raw_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.0)  # py-spy attaches
        cpu0 = time.process_time()
        wall0 = time.perf_counter()
        for i in range(21, 21 + args.posts):
            post(i)
        cpu = (time.process_time() - cpu0) / args.posts * 1000
        wall = (time.perf_counter() - wall0) / args.posts * 1000
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=30)
    totals = by_component(raw_path.read_text()) if raw_path.exists() else Counter()
    whole = sum(totals.values()) or 1
    print(f"per post: {cpu:.2f} ms CPU, {wall:.2f} ms wall (one at a time, py-spy attached)")
    print("CPU by component (py-spy samples of the innermost frame; test client included):")
    for name, n in totals.most_common():
        print(f"  {name:30s} {cpu * n / whole:6.2f} ms  {100 * n / whole:5.1f} %")


if __name__ == "__main__":
    main()
