"""One fresh Python process for the import facts of a new worker: what it loads after
create_app (test and default settings), after the triage warm-up and a score, and after a post
with the semantic tier on. Each fact once cost a process of its own (about 20 s each on a busy
machine); the facts are absences, so one process that does it all, recording what it has loaded
after each step, proves each as a process doing only that step would."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# Top-level packages whose loading the facts are about (their submodules count too).
WATCHED = (
    "redis", "httpx", "argon2", "numpy", "joblib", "sklearn", "scipy", "matplotlib",
    "profanity_check", "torch", "jwt", "cryptography",
)  # fmt: skip

PROBE = textwrap.dedent(
    """
    import json, sys
    data_dir = sys.argv[1]
    watched = tuple(sys.argv[2].split(","))
    facts = {}

    def seen(step):
        facts[step] = sorted({m.split(".")[0] for m in sys.modules} & set(watched))

    from belowline.app import create_app
    from belowline.settings import Settings
    create_app(Settings(environment="test", data_dir=data_dir, secret_key="x" * 40,
                        periodic_jobs=False))
    seen("create_app")
    create_app(Settings())  # the defaults, as `belowline serve` on SQLite alone
    seen("create_app with defaults")

    from belowline.triage.pipeline import score_comment, warm_up
    warm_up()
    seen("warm_up")
    facts["abuse"] = score_comment("you are a stupid idiot").abuse
    seen("score")

    from fastapi.testclient import TestClient
    from sqlalchemy import select
    from belowline import migrate
    from belowline import models
    from belowline.clock import FrozenClock
    from belowline.db import make_engine, make_sessionmaker
    from belowline.outbox.models import OutboxMessage
    from tests.cast import COMMENTS_URL, make_cast
    from tests.factories import TEST_SECRET

    engine = make_engine(f"sqlite:///{data_dir}/probe.db")
    migrate.upgrade(engine)
    clock = FrozenClock()
    session = make_sessionmaker(engine)()
    cast = make_cast(session, clock)
    settings = Settings(environment="test", data_dir=data_dir, secret_key=TEST_SECRET,
                        rate_limit_enabled=False, periodic_jobs=False, outbox_worker=False,
                        semantic_tier=True, release_memory_on_start=False)
    with TestClient(create_app(settings, clock=clock, engine=engine)) as client:
        r = client.post(COMMENTS_URL, json={"body": "A fair piece on the bridge."},
                        headers=cast.h(cast.author))
        assert r.status_code == 201, r.text
    facts["outbox kinds"] = [m.kind for m in session.scalars(select(OutboxMessage))]
    seen("post with the semantic tier on")
    print(json.dumps(facts))
    """
)


@functools.cache
def facts() -> dict[str, Any]:
    """The facts, from one process per test process (run on first use)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BELOWLINE_REDIS_URL", "BELOWLINE_DATABASE_URL")
    }
    with tempfile.TemporaryDirectory(prefix="belowline-probe-") as data_dir:
        env["BELOWLINE_DATA_DIR"] = data_dir
        done = subprocess.run(
            [sys.executable, "-c", PROBE, data_dir, ",".join(WATCHED)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def loaded_after(step: str) -> list[str]:
    """The watched packages loaded once the probe had done `step` (and every step before)."""
    names: list[str] = facts()[step]
    return names
