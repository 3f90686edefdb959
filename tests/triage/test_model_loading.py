"""Workers score from plain shipped weights: no scikit-learn, SciPy, NumPy or joblib import."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sklearn", "scipy", "numpy", "joblib", "matplotlib", "profanity_check")


def test_scoring_process_never_imports_the_training_stack() -> None:
    code = (
        "import sys\n"
        "from belowline.triage.pipeline import score_comment\n"
        "r = score_comment('you are a stupid idiot')\n"
        f"print(round(r.abuse, 3), *[m in sys.modules for m in {HEAVY!r}])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    score, *loaded = out.stdout.split()
    assert float(score) > 0.8
    assert dict(zip(HEAVY, loaded, strict=True)) == dict.fromkeys(HEAVY, "False")


def test_the_app_never_imports_the_training_stack() -> None:
    code = (
        "import sys\n"
        "from belowline.app import create_app\n"
        "from belowline.triage.pipeline import warm_up\n"
        "create_app(); warm_up()\n"
        f"print(*[m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.split() == []
