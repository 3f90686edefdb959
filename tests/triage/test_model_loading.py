"""Workers score from plain shipped weights: no scikit-learn, SciPy, NumPy or joblib import."""

from __future__ import annotations

from tests.fresh_process import facts, loaded_after

HEAVY = {"sklearn", "scipy", "numpy", "joblib", "matplotlib", "profanity_check"}


def test_scoring_process_never_imports_the_training_stack() -> None:
    assert facts()["abuse"] > 0.8
    assert set(loaded_after("score")) & HEAVY == set()


def test_the_app_never_imports_the_training_stack() -> None:
    assert set(loaded_after("warm_up")) & HEAVY == set()
