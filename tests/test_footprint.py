"""A worker's import footprint: what posting and reading never use is not loaded at start."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from belowline.app import create_app
from belowline.settings import Settings
create_app(Settings(environment="test", data_dir=sys.argv[1], secret_key="x" * 40,
                    periodic_jobs=False))
print(" ".join(m for m in ("httpx", "argon2", "numpy", "joblib", "sklearn") if m in sys.modules))
"""


def test_a_new_worker_loads_no_http_client_password_hasher_or_numpy(tmp_path: object) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
