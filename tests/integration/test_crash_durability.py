"""The real server killed with SIGKILL at random moments under load, 20 times, on SQLite and
on PostgreSQL: every acknowledged write (comments, reports, a moderator's decisions) is there
exactly once, nothing is half-written (bench/crash_durability.py; the script runs more crashes)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bench.crash_durability import run

from tests.isolation import fresh_postgres

pytestmark = pytest.mark.integration

CRASHES = int(os.environ.get("BELOWLINE_TEST_CRASHES", "5"))


@pytest.mark.timeout(1800)  # a restart costs seconds on an idle machine, far more on a busy one
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_acknowledged_writes_survive_kill_9(backend: str, tmp_path: Path) -> None:
    drop = None
    if backend == "postgres":
        server_url = os.environ.get("BELOWLINE_TEST_PG_URL", "")
        if not server_url:
            pytest.fail("This test needs BELOWLINE_TEST_PG_URL (run scripts/services.sh).")
        url, drop = fresh_postgres(server_url)
    else:
        url = f"sqlite:///{tmp_path}/belowline.db"
    try:
        result = run(url, tmp_path / "data", backend=backend, crashes=CRASHES, seed=CRASHES)
    finally:
        if drop is not None:
            drop()
    print("\n" + "\n".join(result.lines()))  # noqa: T201 - the figures, shown with -s
    findings = result.findings
    assert not findings.problems, findings.problems
    assert findings.server_errors == 0
    assert findings.acknowledged >= CRASHES  # each round saw at least one write through
    assert findings.found_once == findings.acknowledged
