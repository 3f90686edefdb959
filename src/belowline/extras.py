"""Optional extras: a clear message naming the extra when a training tool runs without it.

Serving needs none of these; training the shipped model, converting third-party models and
the evaluation scripts do (``pip install 'belowline[train]'``).
"""

from __future__ import annotations

import importlib.util
import sys

__all__ = ["TRAIN_MODULES", "missing_train_modules", "require_train_extra"]

# Import name -> distribution, for the message.
TRAIN_MODULES = {
    "sklearn": "scikit-learn",
    "scipy": "scipy",
    "numpy": "numpy",
    "joblib": "joblib",
    "profanity_check": "alt-profanity-check",
    "matplotlib": "matplotlib",
}


def missing_train_modules(modules: tuple[str, ...] = tuple(TRAIN_MODULES)) -> list[str]:
    """The distributions of ``modules`` that cannot be imported here."""
    return [TRAIN_MODULES.get(m, m) for m in modules if importlib.util.find_spec(m) is None]


def require_train_extra(what: str, modules: tuple[str, ...] = tuple(TRAIN_MODULES)) -> None:
    """Exit with status 2 and the install line when ``what`` lacks the ``train`` extra."""
    missing = missing_train_modules(modules)
    if missing:
        sys.stderr.write(
            f"{what} needs the 'train' extra (missing: {', '.join(missing)}).\n"
            "Install it with: pip install 'belowline[train]'\n"
        )
        raise SystemExit(2)
