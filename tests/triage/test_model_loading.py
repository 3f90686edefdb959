"""Workers score without importing scikit-learn: its model is converted once, in a child."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_scoring_process_never_imports_sklearn(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from belowline.triage.pipeline import score_comment\n"
        "r = score_comment('you are a stupid idiot')\n"
        "print(round(r.abuse, 3), 'sklearn' in sys.modules, 'scipy' in sys.modules)\n"
    )
    env = {**os.environ, "BELOWLINE_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # the first run converts, the second reads the cache
        out = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        score, sklearn, scipy = out.stdout.split()
        assert float(score) > 0.8
        assert (sklearn, scipy) == ("False", "False")
    assert list(tmp_path.glob("profanity-check-*.joblib"))
