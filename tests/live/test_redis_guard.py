"""redis-py loads only where Redis is configured: a worker on SQLite alone never imports it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import redis.exceptions

from belowline.live.redis_guard import RedisGuard, client_options, redis_down
from tests.fresh_process import loaded_after

PROBE = """
import sys
from belowline.app import create_app
from belowline.settings import Settings
create_app(Settings())
print(sorted(m for m in sys.modules if m == "redis" or m.startswith("redis.")))
"""


def _modules_after_create_app(tmp_path: Path, redis_url: str) -> str:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BELOWLINE_REDIS_URL", "BELOWLINE_DATABASE_URL")
    }
    env["BELOWLINE_DATA_DIR"] = str(tmp_path)
    env["BELOWLINE_REDIS_URL"] = redis_url
    run = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return run.stdout.strip().splitlines()[-1]


def test_an_sqlite_worker_never_imports_redis() -> None:
    assert "redis" not in loaded_after("create_app with defaults")


def test_a_worker_with_redis_configured_loads_it(tmp_path: Path) -> None:
    loaded = _modules_after_create_app(tmp_path, "redis://127.0.0.1:1/0")
    assert "'redis'" in loaded


def test_the_guard_falls_back_on_redis_py_errors() -> None:
    assert redis.exceptions.ConnectionError in redis_down()
    guard = RedisGuard()

    def away() -> str:
        raise redis.exceptions.ConnectionError("refused")

    assert guard.call(away, lambda: "fallback") == "fallback"
    assert guard.down
    assert client_options()["socket_timeout"] == 1.0
