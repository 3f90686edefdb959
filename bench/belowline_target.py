"""Belowline as a benchmark target, by the API contract (shared/CONTRACT.md).

Everything that does not need Belowline's internals is here: the server command
(``belowline serve --workers 2``), its environment (SQLite, or PostgreSQL + Redis), the
readiness check (``GET /healthz``) and each scenario's request. Seeding the benchmark data
does need the internals (bulk inserts, users, tokens), so it is a hook: a module
``bench.belowline_seed`` with

    def seed(env: Mapping[str, str], data_dir: Path) -> SeedInfo: ...

that migrates the database named by ``env`` and loads :mod:`bench.dataset` (same stories,
texts, nesting and times as Isso gets), then returns the ids and bearer tokens below.
Until that module exists, ``--targets belowline-sqlite`` stops with a clear message.

The posting scenario cycles through ``SeedInfo.tokens`` (``{{token}}`` in the Lua script),
so each post comes from one of many subscribers who accepted the rules: per-user rate
limits then behave as with real readers, while every check a real post does still runs.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from urllib.parse import quote, urlencode

from bench import dataset
from bench.targets import (
    COUNTS_20,
    PAGE_10K,
    PAGE_50,
    POST,
    WORK_DIR,
    RequestSpec,
    ServerProcess,
    TargetKind,
    free_port,
)


@dataclass(frozen=True, slots=True)
class SeedInfo:
    """What the seeder hands back: the site, each dataset story key's story id, tokens."""

    site_id: str
    story_ids: Mapping[str, str]  # dataset story key -> Belowline story id (publisher id)
    tokens: tuple[str, ...]  # bearer tokens of subscribers who accepted the current rules
    accept_terms_version: int | None = None  # sent with posts when set


Seeder = Callable[[Mapping[str, str], Path], SeedInfo]


def _load_seeder() -> Seeder:
    try:
        module = importlib.import_module("bench.belowline_seed")
    except ModuleNotFoundError as exc:
        if exc.name != "bench.belowline_seed":
            raise
        raise SystemExit(
            "Belowline targets need bench/belowline_seed.py with "
            "seed(env, data_dir) -> SeedInfo (see bench/belowline_target.py)"
        ) from exc
    return cast(Seeder, module.seed)


class BelowlineTarget:
    """``belowline serve --workers N`` on SQLite (default) or PostgreSQL + Redis."""

    kind: TargetKind = "belowline"

    def __init__(
        self,
        name: str = "belowline-sqlite",
        *,
        database_url: str | None = None,
        redis_url: str | None = None,
        workers: int = 2,
        port: int | None = None,
        page_params: Mapping[str, str] | None = None,
        thread_cache: bool = True,
    ) -> None:
        self.name = name
        self.port = port or free_port()
        self.workers = workers
        self.base = f"http://127.0.0.1:{self.port}"
        self.data_dir = WORK_DIR / name
        self.page_params = dict(page_params or {"limit": "20"})
        self.env: dict[str, str] = {
            "BELOWLINE_DATA_DIR": str(self.data_dir),
            "BELOWLINE_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
            # The limit is still checked on every post; it is raised so that the load
            # generator's few hundred "readers" are not the bottleneck being measured.
            "BELOWLINE_RATE_LIMIT_POSTS": "1000000/minute",
            "BELOWLINE_THREAD_CACHE": "true" if thread_cache else "false",
        }
        if database_url:
            self.env["BELOWLINE_DATABASE_URL"] = database_url
        if redis_url:
            self.env["BELOWLINE_REDIS_URL"] = redis_url
        self.seed_info: SeedInfo | None = None
        self.server: ServerProcess | None = None

    def prepare(self) -> None:
        if "BELOWLINE_DATABASE_URL" not in self.env and self.data_dir.exists():
            shutil.rmtree(self.data_dir)  # fresh SQLite data every run
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.seed_info = _load_seeder()(dict(os.environ, **self.env), self.data_dir)

    def start(self) -> None:
        belowline = Path(sys.executable).with_name("belowline")
        argv = [str(belowline)] if belowline.exists() else [sys.executable, "-m", "belowline"]
        self.server = ServerProcess(
            self.name,
            [
                *argv,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
        )
        # Generous: two workers importing at once on a loaded 2-core box can take a minute.
        self.server.start(f"{self.base}/healthz", timeout_s=180)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def pids(self) -> list[int]:
        pid = self.server.pid if self.server is not None else None
        return [pid] if pid is not None else []

    def request(self, scenario: str) -> RequestSpec | None:
        info = self.seed_info
        if info is None:
            raise RuntimeError("prepare() first")
        site = f"{self.base}/api/v1/sites/{quote(info.site_id, safe='')}"

        def story(key: str) -> str:
            return f"{site}/stories/{quote(info.story_ids[key], safe='')}"

        if scenario in (PAGE_10K, PAGE_50):
            key = dataset.HOT_STORY if scenario == PAGE_10K else dataset.MEDIUM_STORY
            return RequestSpec(f"{story(key)}/comments?{urlencode(self.page_params)}")
        if scenario == COUNTS_20:
            query = urlencode([("story", info.story_ids[k]) for k in dataset.SMALL_STORIES])
            return RequestSpec(f"{site}/counts?{query}")
        if scenario == POST:
            # Readers write different comments: repeating one text would (rightly) trip
            # the spam scorer's repetition check and measure the hold path instead.
            body: dict[str, object] = {"body": "{{text}} (ref {{seq}})", "parent_id": None}
            if info.accept_terms_version is not None:
                body["accept_terms_version"] = info.accept_terms_version
            return RequestSpec(
                f"{story(dataset.POST_STORY)}/comments",
                method="POST",
                body=json.dumps(body),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": "Bearer {{token}}",
                },
                expect_status=(201,),
                choices={"token": info.tokens, "text": _post_texts()},
            )
        return None


def _post_texts(n: int = 47) -> tuple[str, ...]:
    """Varied, realistic comment texts (no quotes, backslashes or % for the Lua filler)."""
    import random

    rng = random.Random(11)
    texts = []
    while len(texts) < n:
        text = dataset._paragraph(rng, rng.randint(120, 600)).replace("\n", " ")
        if not any(ch in text for ch in '"\\%'):
            texts.append(text)
    return tuple(texts)


def sqlite_target() -> BelowlineTarget:
    return BelowlineTarget("belowline-sqlite")


def sqlite_nocache_target() -> BelowlineTarget:
    """The same SQLite service with the hot-thread cache off: every page is rendered."""
    return BelowlineTarget("belowline-sqlite-nocache", thread_cache=False)


def sqlite_single_commit_target() -> BelowlineTarget:
    """SQLite with group commit off: every post commits (and fsyncs) alone, in turn."""
    target = BelowlineTarget("belowline-sqlite-single-commit")
    target.env["BELOWLINE_SQLITE_GROUP_COMMIT"] = "false"
    return target


def postgres_target() -> BelowlineTarget:
    """PostgreSQL + Redis from ``BENCH_DATABASE_URL`` / ``BENCH_REDIS_URL``."""
    database_url = os.environ.get("BENCH_DATABASE_URL")
    redis_url = os.environ.get("BENCH_REDIS_URL")
    if not database_url or not redis_url:
        raise SystemExit("belowline-pg needs BENCH_DATABASE_URL and BENCH_REDIS_URL")
    return BelowlineTarget("belowline-pg", database_url=database_url, redis_url=redis_url)
