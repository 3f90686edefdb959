"""Real servers on PostgreSQL and Redis, started as separate processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.isolation import claim_redis_db, fresh_postgres

PG_URL = os.environ.get("BELOWLINE_TEST_PG_URL", "")
REDIS_URL = os.environ.get("BELOWLINE_TEST_REDIS_URL", "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    urls: list[str]
    env: dict[str, str]
    site_id: str
    sso_secret: str


def _cli(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "belowline", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return out.stdout.strip()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not PG_URL or not REDIS_URL:
        pytest.fail(
            "Integration tests need BELOWLINE_TEST_PG_URL and BELOWLINE_TEST_REDIS_URL "
            "(run scripts/services.sh)."
        )
    # This run's own database and Redis db: other runs on the machine are left alone.
    database_url, drop_database = fresh_postgres(PG_URL)
    redis_url, release_redis = claim_redis_db(REDIS_URL)
    data_dir: Path = tmp_path_factory.mktemp("cluster")
    env = {
        **os.environ,
        "BELOWLINE_DATABASE_URL": database_url,
        "BELOWLINE_REDIS_URL": redis_url,
        "BELOWLINE_DATA_DIR": str(data_dir),
        "BELOWLINE_SECRET_KEY": "integration-secret-key-x" * 2,
        "BELOWLINE_RATE_LIMIT_LOGIN": "5/minute",
        "BELOWLINE_RATE_LIMIT_POSTS": "1000/minute",
    }
    try:
        with serve_cluster(env) as cluster:
            yield cluster
    finally:
        drop_database()
        release_redis()


@contextmanager
def serve_cluster(env: dict[str, str]) -> Iterator[Cluster]:
    """Migrate, create the "cluster" site, and serve it from two `belowline serve` processes."""
    _cli(env, "db", "upgrade")
    secret = "integration-sso-secret-" * 3
    site_id = _cli(
        env, "sites", "create", "--name", "Cluster Times", "--origin", "https://times.example",
        "--sso-secret", secret, "--id", "cluster",
    )  # fmt: skip
    ports = [free_port(), free_port()]
    procs = [
        subprocess.Popen([sys.executable, "-m", "belowline", "serve", "--port", str(p)], env=env)
        for p in ports
    ]
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for url in urls:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, f"server at {url} did not start"
                time.sleep(0.1)
        yield Cluster(urls=urls, env=env, site_id=site_id, sso_secret=secret)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
