"""Cost that does not grow (issue 5, item 5): the same reads on threads of 10^3 to 10^6 comments.

For each size N a database holds one site with

* ``hot``: one story with N comments (40% top-level; replies go to recent comments or, by
  a power law, to the thread's early comments, so its biggest sub-thread grows with N;
  30% of replies answer another reply, so threads nest several levels deep),
* N more comments spread over ``max(20, N/100)`` stories (10^4 stories at N = 10^6) for
  the counts call,
* N/50 open items in the Reported queue with one to three reports each, as many decided
  ones, and N/500 in the Held queue.

Every operation then runs in-process through the ASGI app with the page cache off
(``thread_cache=False``), so each call does the full database work: the first page of
``hot`` newest first and most-replies first, a page 50 pages deep by cursor, counts for 20
stories and the first page of the moderation queue. Sizes are measured round-robin so
that a noisy minute on a shared machine hits every size alike.

    python bench/scaling.py                  # SQLite, 10^3..10^6
    python bench/scaling.py --max 100000     # quicker look
    python bench/scaling.py --pg             # PostgreSQL too (BENCH_PG_URL or the default)

Seeded databases are kept in ``bench/.work/scaling/`` (SQLite) or in one schema per size
(PostgreSQL) and reused by later runs; ``--reseed`` starts again.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

import sqlalchemy as sa
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine, create_engine, event, insert, select, text

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from belowline import migrate
from belowline.accounts.models import User
from belowline.accounts.tokens import issue_access_token
from belowline.comments.models import Comment
from belowline.comments.rendering import render_markdown
from belowline.db import make_engine
from belowline.queues.models import QueueItem
from belowline.reports.models import Report
from belowline.settings import Settings
from belowline.stories.models import Site, Story
from bench import dataset
from bench.targets import RESULTS_DIR, WORK_DIR

SITE = "scale"
SEED_VERSION = 2  # bump when the seeded shape changes, so kept databases are rebuilt
SIZES = (1_000, 10_000, 100_000, 1_000_000)
DEEP_PAGES = 50
PAGE = 20
SECRET = "bench-only-secret-key-not-for-production-0123456789"  # noqa: S105
DEFAULT_PG = "postgresql+psycopg://belowline:belowline@127.0.0.1:5432/belowline_bench"
START = datetime(2025, 1, 6, tzinfo=UTC)
BATCH = 20_000
OPS = ("first_page", "first_page_by_replies", "deep_page", "counts_20", "mod_queue")
TARGET_RATIO = 1.5
console = Console(width=150)


# --------------------------------------------------------------------------- data shape


@dataclass(slots=True)
class Thread:
    """Shape of one story's comments, by position: parent, root and depth (-1 = none)."""

    parent: list[int] = field(default_factory=list)
    root: list[int] = field(default_factory=list)
    depth: list[int] = field(default_factory=list)


def plan_thread(n: int, rng: random.Random) -> Thread:
    """A thread of `n` comments whose biggest sub-thread grows with `n` (heavy tail)."""
    t = Thread()
    tops: list[int] = []
    replies: list[int] = []
    for i in range(n):
        u = rng.random()
        if not tops or u >= 0.6:
            tops.append(i)
            t.parent.append(-1)
            t.root.append(-1)
            t.depth.append(0)
            continue
        v = rng.random()
        if replies and v < 0.3:  # answer a recent reply
            p = replies[-1 - int(rng.random() * min(len(replies), 300))]
        elif v < 0.65:  # a recent top-level comment
            p = tops[-1 - int(rng.random() * min(len(tops), 100))]
        else:  # the thread's early, popular comments: power law on age
            p = tops[int(len(tops) * rng.random() ** 4)]
        replies.append(i)
        t.parent.append(p)
        t.root.append(t.root[p] if t.root[p] >= 0 else p)
        t.depth.append(t.depth[p] + 1)
    return t


def text_pool(size: int = 400) -> list[tuple[str, str]]:
    """(markdown, html) pairs from the shared benchmark texts."""
    story = dataset.SeedStory("scale-texts", "texts", "/texts", size)
    return [(c.text, render_markdown(c.text)) for c in dataset.comments(story)]


def status_for(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.970:
        return "published"
    if r < 0.985:
        return "removed"
    if r < 0.995:
        return "deleted"
    return "held"


# --------------------------------------------------------------------------- databases


@dataclass(slots=True)
class Db:
    """Where one size lives: a SQLite file or a PostgreSQL schema."""

    backend: str
    n: int
    url: str
    schema: str | None = None

    @property
    def label(self) -> str:
        return f"{self.backend} {self.n:,}"

    def engine(self, *, seeding: bool = False) -> Engine:
        if self.backend == "sqlite":
            if not seeding:
                return make_engine(self.url)
            engine = create_engine(self.url)

            def fast(dbapi_conn: Any, _record: Any) -> None:
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=OFF")  # seeding only: rebuilt if interrupted
                cur.execute("PRAGMA cache_size=-1000000")
                cur.close()

            event.listen(engine, "connect", fast)
            return engine
        return create_engine(
            self.url,
            pool_size=5,
            max_overflow=10,
            connect_args={"options": f"-csearch_path={self.schema}"},
        )


def databases(backend: str, sizes: list[int], pg_url: str) -> list[Db]:
    if backend == "sqlite":
        root = WORK_DIR / "scaling"
        root.mkdir(parents=True, exist_ok=True)
        return [Db("sqlite", n, f"sqlite:///{root / f'sqlite-{n}.db'}") for n in sizes]
    return [Db("pg", n, pg_url, schema=f"scale_{n}") for n in sizes]


def is_seeded(engine: Engine, n: int) -> bool:
    try:
        with engine.connect() as conn:
            settings = conn.execute(select(Site.settings).where(Site.id == SITE)).scalar()
    except Exception:  # no schema yet
        return False
    return isinstance(settings, dict) and settings.get("scaling_seed") == [SEED_VERSION, n]


def reset(db: Db) -> None:
    if db.backend == "sqlite":
        path = Path(db.url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin = create_engine(db.url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {db.schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {db.schema}"))
    admin.dispose()


# --------------------------------------------------------------------------- seeding


def _rows_in_batches(
    conn: Any, table: Any, rows: Iterator[dict[str, Any]], advance: Callable[[int], None]
) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            conn.execute(insert(table), batch)
            advance(len(batch))
            batch = []
    if batch:
        conn.execute(insert(table), batch)
        advance(len(batch))


def seed(db: Db, progress: Progress, *, reseed: bool) -> None:
    """Fill one size's database in one transaction, counters set directly."""
    engine = db.engine(seeding=True)
    if not reseed and is_seeded(engine, db.n):
        migrate.upgrade(engine)  # kept data, newest indexes
        engine.dispose()
        return
    engine.dispose()
    reset(db)
    engine = db.engine(seeding=True)
    migrate.upgrade(engine)
    n = db.n
    rng = random.Random(n)
    texts = text_pool()
    n_users = max(200, n // 20)
    spread_stories = max(20, n // 100)
    task = progress.add_task(f"seed {db.label}", total=2 * n + n // 50 * 2)
    advance: Callable[[int], None] = lambda k: progress.advance(task, k)  # noqa: E731

    # users: a moderator (id 1) and commenters with a heavy-tailed activity
    users = [
        {
            "id": 1,
            "site_id": SITE,
            "display_name": "Moderator",
            "role": "moderator",
            "is_subscriber": True,
            "created_at": START,
        }
    ] + [
        {
            "id": i,
            "site_id": SITE,
            "display_name": f"Reader {i}",
            "role": "commenter",
            "is_subscriber": True,
            "created_at": START,
        }
        for i in range(2, n_users + 2)
    ]

    def author() -> int:
        return 2 + int(n_users * rng.random() ** 3)

    hot = plan_thread(n, rng)
    stories: list[dict[str, Any]] = [
        {"id": 1, "site_id": SITE, "external_id": "hot", "title": "Hot story", "version": 1}
    ]
    stories += [
        {"id": 2 + s, "site_id": SITE, "external_id": f"s-{s:05d}", "title": "", "version": 1}
        for s in range(spread_stories)
    ]
    for s in stories:
        s.update(url="", text="", closed=False, premoderate=False, created_at=START)
        s["comment_count"] = 0

    # Every comment as (story row index, parent id or None, root id, depth), ids from 1.
    statuses: list[str] = []
    story_of: list[int] = []
    parent_id: list[int | None] = []
    root_id: list[int | None] = []
    depth: list[int] = []
    for i in range(n):
        story_of.append(0)
        p = hot.parent[i]
        parent_id.append(p + 1 if p >= 0 else None)
        root_id.append(hot.root[i] + 1 if hot.root[i] >= 0 else None)
        depth.append(hot.depth[i])
    # spread: small threads, a top-level comment then replies to it or the previous one
    offset = n
    last_top: dict[int, int] = {}
    for j in range(n):
        row = 1 + int(spread_stories * rng.random() ** 1.5)
        cid = offset + j + 1
        story_of.append(row)
        top = last_top.get(row)
        if top is None or rng.random() < 0.5:
            last_top[row] = cid
            parent_id.append(None)
            root_id.append(None)
            depth.append(0)
        else:
            parent_id.append(top)
            root_id.append(top)
            depth.append(1)
    total = len(story_of)
    reply_count = [0] * (total + 1)
    for i in range(total):
        st = status_for(rng)
        statuses.append(st)
        if parent_id[i] is not None and st != "held":
            reply_count[parent_id[i]] += 1  # type: ignore[index]
        if st == "published":
            stories[story_of[i]]["comment_count"] += 1

    def comment_rows() -> Iterator[dict[str, Any]]:
        for i in range(total):
            md, html = texts[i % len(texts)]
            cid = i + 1
            # hot comments arrive about every 2 s, spread ones over the stories' days
            created = START + timedelta(seconds=2 * i if i < n else 2 * (i - n) + 7)
            yield {
                "id": cid,
                "site_id": SITE,
                "story_id": stories[story_of[i]]["id"],
                "parent_id": parent_id[i],
                "root_id": root_id[i],
                "depth": depth[i],
                "author_id": author(),
                "status": statuses[i],
                "body_md": md,
                "body_html": html,
                "created_at": created,
                "moderator_edited": False,
                "featured": False,
                "reaction_count": int(rng.paretovariate(1.5)) - 1,
                "reply_count": reply_count[cid],
                "version": 1,
            }

    n_reported = max(20, n // 50)
    n_held = max(5, n // 500)
    reasons = ("abusive", "off_topic", "untrue", "spam", "other")

    def queue_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        picked = rng.sample(range(1, total + 1), 2 * n_reported + n_held)
        items: list[dict[str, Any]] = []
        reports: list[dict[str, Any]] = []
        for k, cid in enumerate(picked):
            opened = START + timedelta(minutes=k % 5000)
            queue = "held" if k >= 2 * n_reported else "reported"
            decided = k % 2 == 1 and queue == "reported"
            n_reports = 0 if queue == "held" else 1 + int(3 * rng.random() ** 3)
            weight = 0.0
            for r in range(n_reports):
                w = rng.choice((0.5, 1.0, 1.0, 1.0, 1.5))
                weight += w
                reports.append(
                    {
                        "site_id": SITE,
                        "comment_id": cid,
                        "reporter_id": 2 + (cid * 7 + r * 13) % n_users,
                        "reason": rng.choice(reasons),
                        "weight": w,
                        "status": "dismissed" if decided else "open",
                        "created_at": opened,
                    }
                )
            items.append(
                {
                    "site_id": SITE,
                    "story_id": stories[story_of[cid - 1]]["id"],
                    "comment_id": cid,
                    "queue": queue,
                    "status": "decided" if decided else "open",
                    "priority": weight,
                    "report_count": n_reports,
                    "report_weight": weight,
                    "reason": "spam" if queue == "held" else None,
                    "first_reported_at": opened if n_reports else None,
                    "opened_at": opened,
                    "decided_at": opened + timedelta(hours=1) if decided else None,
                }
            )
        return items, reports

    items, reports = queue_rows()
    with engine.begin() as conn:
        conn.execute(
            insert(Site),
            [
                {
                    "id": SITE,
                    "name": "Scale",
                    "origins": ["https://scale.example"],
                    "sso_algorithms": [],
                    "settings": {"scaling_seed": [SEED_VERSION, n]},
                    "created_at": START,
                }
            ],
        )
        conn.execute(insert(User), users)
        conn.execute(insert(Story), stories)
        # Building the comment indexes once, after the rows, is several times faster than
        # keeping six B-trees in step with a million inserts.
        indexes = list(cast(sa.Table, Comment.__table__).indexes)
        for index in indexes:
            index.drop(conn)
        _rows_in_batches(conn, Comment.__table__, comment_rows(), advance)
        for index in indexes:
            index.create(conn)
        _rows_in_batches(conn, QueueItem.__table__, iter(items), advance)
        _rows_in_batches(conn, Report.__table__, iter(reports), lambda _k: None)
    if db.backend == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    progress.update(task, completed=progress.tasks[task].total)
    engine.dispose()


# --------------------------------------------------------------------------- measuring


class Sized:
    """One size's app, client and the requests to time."""

    def __init__(self, db: Db) -> None:
        from fastapi.testclient import TestClient

        from belowline.app import create_app

        self.db = db
        self.engine = db.engine()
        settings = Settings(
            environment="test",
            data_dir=WORK_DIR / "scaling" / "data",
            secret_key=SECRET,
            thread_cache=False,
            rate_limit_enabled=False,
            database_url=db.url,
        )
        self.client = TestClient(create_app(settings, engine=self.engine))
        self.client.__enter__()
        now = datetime.now(UTC)
        token = issue_access_token(secret=SECRET, user_id=1, site_id=SITE, now=now, ttl=24 * 3600)
        self.staff = {"Authorization": f"Bearer {token}"}
        base = f"/api/v1/sites/{SITE}"
        self.first = f"{base}/stories/hot/comments?limit={PAGE}"
        self.by_replies = f"{base}/stories/hot/comments?limit={PAGE}&sort=replies"
        rng = random.Random(20)
        spread = max(20, db.n // 100)
        ids = [f"s-{s:05d}" for s in rng.sample(range(spread), 20)]
        self.counts = f"{base}/counts?" + urlencode([("story", s) for s in ids])
        self.queue = f"/api/v1/moderation/queues/reported?site_id={SITE}"
        self.deep, self.deep_pages = self._walk()

    def _get(self, url: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        resp = self.client.get(url, headers=headers)
        if resp.status_code != 200:
            raise RuntimeError(f"{self.db.label}: GET {url} -> {resp.status_code} {resp.text}")
        body: dict[str, Any] = resp.json()
        return body

    def _walk(self) -> tuple[str, int]:
        url, pages = self.first, 0
        while pages < DEEP_PAGES:
            cursor = self._get(url).get("next_cursor")
            if not cursor:
                break
            nxt = f"{self.first}&{urlencode({'cursor': cursor})}"
            if pages + 1 == DEEP_PAGES or not self._get(nxt).get("next_cursor"):
                return nxt, pages + 1
            url, pages = nxt, pages + 1
        return url, pages

    def call(self, op: str) -> tuple[float, float]:
        """Wall and CPU milliseconds of one call (CPU of this process: SQLite runs in it)."""
        url, headers = {
            "first_page": (self.first, None),
            "first_page_by_replies": (self.by_replies, None),
            "deep_page": (self.deep, None),
            "counts_20": (self.counts, None),
            "mod_queue": (self.queue, self.staff),
        }[op]
        cpu = time.process_time()
        started = time.perf_counter()
        resp = self.client.get(url, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        if resp.status_code != 200:
            raise RuntimeError(f"{self.db.label}: {op} -> {resp.status_code} {resp.text[:300]}")
        return elapsed, cpu_ms

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self.engine.dispose()


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


Samples = dict[str, dict[int, list[tuple[float, float]]]]  # op -> size -> [(wall, cpu) ms]


def measure(dbs: list[Db], rounds: int) -> Samples:
    """Time every operation on every size, round-robin."""
    sized = [Sized(db) for db in dbs]
    for s in sized:
        console.print(f"  {s.db.label}: deep page is page {s.deep_pages + 1}")
    out: Samples = {op: {s.db.n: [] for s in sized} for op in OPS}
    try:
        for s in sized:  # warm the database caches and the code paths
            for op in OPS:
                for _ in range(3):
                    s.call(op)
        with Progress(
            TextColumn("measure"), BarColumn(), MofNCompleteColumn(), console=console
        ) as progress:
            task = progress.add_task("rounds", total=rounds)
            for _ in range(rounds):
                for s in sized:
                    for op in OPS:
                        out[op][s.db.n].append(s.call(op))
                progress.advance(task)
    finally:
        for s in sized:
            s.close()
    return out


def _med(samples: list[tuple[float, float]], k: int) -> float:
    return statistics.median(x[k] for x in samples)


def report(backend: str, results: Samples) -> dict[str, Any]:
    """Print the table; the verdict uses CPU on SQLite (all work in-process), wall on PG."""
    sizes = sorted(next(iter(results.values())))
    judge = 1 if backend == "sqlite" else 0
    table = Table(
        title=f"Cost by thread size, {backend}, page cache off: wall ms median / p90 (CPU ms)"
    )
    table.add_column("operation")
    for n in sizes:
        table.add_column(f"{n:,}", justify="right")
    table.add_column("ratio wall", justify="right")
    table.add_column("ratio CPU", justify="right")
    summary: dict[str, Any] = {}
    for op, by_size in results.items():
        wall = {n: _med(by_size[n], 0) for n in sizes}
        cpu = {n: _med(by_size[n], 1) for n in sizes}
        ratios = (wall[sizes[-1]] / wall[sizes[0]], cpu[sizes[-1]] / max(cpu[sizes[0]], 1e-3))
        cells = [
            f"{wall[n]:.1f} / {p90([x[0] for x in by_size[n]]):.1f} ({cpu[n]:.1f})" for n in sizes
        ]
        marks = [
            ("[green]" if r <= TARGET_RATIO else "[red]") if k == judge else ""
            for k, r in enumerate(ratios)
        ]
        table.add_row(op, *cells, *(f"{m}{r:.2f}x" for m, r in zip(marks, ratios, strict=True)))
        summary[op] = {
            "wall_median_ms": {str(n): round(wall[n], 3) for n in sizes},
            "wall_p90_ms": {str(n): round(p90([x[0] for x in by_size[n]]), 3) for n in sizes},
            "cpu_median_ms": {str(n): round(cpu[n], 3) for n in sizes},
            "ratio_wall": round(ratios[0], 3),
            "ratio_cpu": round(ratios[1], 3),
            "ratio": round(ratios[judge], 3),
        }
    console.print(table)
    return summary


def chart(all_results: dict[str, Samples], path: Path) -> None:
    """Median latency by size, one panel per backend (CPU on SQLite, wall on PG), log-log."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    backends = list(all_results)
    fig, axes = plt.subplots(1, len(backends), figsize=(6.5 * len(backends), 4.5), squeeze=False)
    for ax, backend in zip(axes[0], backends, strict=True):
        k = 1 if backend == "sqlite" else 0
        for op, by_size in all_results[backend].items():
            sizes = sorted(by_size)
            ax.plot(sizes, [_med(by_size[n], k) for n in sizes], marker="o", label=op)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("comments in the story (and as many in the site's other stories)")
        ax.set_ylabel(f"median {'CPU' if k else 'wall'} ms per call (in-process)")
        ax.set_title(f"{backend}, page cache off")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def post_load(db: Db, *, connections: int, seconds: int) -> dict[str, Any]:
    """Posts into `hot` at `connections` against a real 2-worker server on the size's database:
    requests/s, p50/p99, errors, CPU ms per post and the workers' RSS at rest and after load."""
    from bench.belowline_target import BelowlineTarget
    from bench.load import measure_rss, process_tree, run_load

    target = BelowlineTarget(f"scaling-post-{db.n}", database_url=db.url)
    target.env["BELOWLINE_THREAD_CACHE"] = "true"
    now = datetime.now(UTC)
    tokens = [
        issue_access_token(secret=SECRET, user_id=u, site_id=SITE, now=now, ttl=3600)
        for u in range(2, 202)
    ]
    target.start()
    try:
        pids = target.pids()
        rest = measure_rss(process_tree(pids))
        result = run_load(
            f"{target.base}/api/v1/sites/{SITE}/stories/hot/comments",
            method="POST",
            body='{"body": "Scaling post {{seq}}: does a write cost more in a bigger thread?"}',
            headers={"Content-Type": "application/json", "Authorization": "Bearer {{token}}"},
            connections=connections,
            seconds=seconds,
            pids=pids,
            choices={"token": tokens},
        )
        after = measure_rss(process_tree(pids))
    finally:
        target.stop()
    errors = (
        result.errors_connect
        + result.errors_read
        + result.errors_write
        + result.errors_timeout
        + result.errors_status
    )
    return {
        "connections": connections,
        "rps": round(result.rps, 1),
        "p50_ms": round(result.p50_ms, 1),
        "p99_ms": round(result.p99_ms, 1),
        "errors": errors,
        "cpu_ms_per_post": result.cpu_ms_per_req,
        "rss_rest_mb": round(max(rest.values(), default=0.0), 1),
        "rss_after_mb": round(max(after.values(), default=0.0), 1),
    }


def report_posts(backend: str, posts: dict[int, dict[str, Any]]) -> None:
    table = Table(title=f"Posts into the big thread, {backend}: a real server, largest worker RSS")
    for name in ("size", "c", "posts/s", "p50 ms", "p99 ms", "errors", "CPU ms", "RSS rest/after"):
        table.add_column(name, justify="right")
    for n, r in sorted(posts.items()):
        table.add_row(
            f"{n:,}",
            str(r["connections"]),
            f"{r['rps']:.1f}",
            f"{r['p50_ms']:.1f}",
            f"{r['p99_ms']:.1f}",
            str(r["errors"]),
            f"{r['cpu_ms_per_post'] or 0:.2f}",
            f"{r['rss_rest_mb']:.0f}/{r['rss_after_mb']:.0f} MB",
        )
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=SIZES[-1], help="largest size to run")
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--pg-only", action="store_true", help="run on PostgreSQL only")
    parser.add_argument("--pg-url", default=None, help="PostgreSQL URL (BENCH_PG_URL)")
    parser.add_argument("--rounds", type=int, default=25, help="timed calls per op and size")
    parser.add_argument("--reseed", action="store_true", help="rebuild kept databases")
    parser.add_argument("--seed-only", action="store_true", help="seed, do not measure")
    parser.add_argument("--chart", type=Path, default=RESULTS_DIR / "scaling.png")
    parser.add_argument("--post-connections", type=int, default=64, help="posts: wrk -c")
    parser.add_argument("--post-seconds", type=int, default=5, help="posts: seconds per size")
    parser.add_argument("--no-posts", action="store_true", help="skip posting under load")
    args = parser.parse_args(argv)

    import os

    pg_url = args.pg_url or os.environ.get("BENCH_PG_URL") or DEFAULT_PG
    sizes = [n for n in SIZES if n <= args.max]
    backends = ["pg"] if args.pg_only else ["sqlite", *(["pg"] if args.pg else [])]
    all_results: dict[str, Samples] = {}
    summaries: dict[str, Any] = {}
    started = time.monotonic()
    for backend in backends:
        dbs = databases(backend, sizes, pg_url)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            for db in dbs:
                seed(db, progress, reseed=args.reseed)
        console.print(f"[bold]{backend}[/bold]: seeded in {time.monotonic() - started:.0f}s")
        if args.seed_only:
            continue
        all_results[backend] = measure(dbs, args.rounds)
        summaries[backend] = report(backend, all_results[backend])
        # After the reads (the posts land in `hot`); SQLite only: PG sizes are schemas of one
        # database, which the server does not select.
        if not args.no_posts and backend == "sqlite":
            posts = {
                db.n: post_load(db, connections=args.post_connections, seconds=args.post_seconds)
                for db in dbs
            }
            report_posts(backend, posts)
            summaries[backend + "_posts"] = {str(n): r for n, r in posts.items()}
    if args.seed_only:
        return 0
    chart(all_results, args.chart)
    out = RESULTS_DIR / "scaling-latest.json"
    out.write_text(json.dumps(summaries, indent=2))
    reads = [b for name, b in summaries.items() if not name.endswith("_posts")]
    worst = max(s["ratio"] for b in reads for s in b.values())
    console.print(f"chart: {args.chart}  results: {out}  ({time.monotonic() - started:.0f}s)")
    posted = [
        (r["p99_ms"], r["rss_after_mb"], r["cpu_ms_per_post"] or 0.0)
        for name, b in summaries.items()
        if name.endswith("_posts")
        for r in b.values()
    ]
    extra = ""
    if posted:
        sizes_cpu = [c for _, _, c in posted]
        extra = (
            f" posts_p99_max_ms={max(p for p, _, _ in posted):.0f}"
            f" posts_cpu_ratio={sizes_cpu[-1] / max(sizes_cpu[0], 1e-3):.2f}"
            f" rss_after_max_mb={max(r for _, r, _ in posted):.0f}"
        )
    console.print(f"RESULT scaling_worst_ratio={worst:.2f} target<={TARGET_RATIO}{extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
