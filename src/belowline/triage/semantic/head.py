"""The semantic tier's classifier head: 384 weights over an embedding, read from plain JSON.

Trained by ``scripts/train_semantic_head.py`` on the fast tier's licence-compatible mix and
shipped as ``triage/models/semantic_head.json``; scoring needs no scikit-learn or numpy.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["SemanticHead", "combine", "load_head"]


@dataclass(frozen=True, slots=True)
class SemanticHead:
    """A logistic regression over unit-length sentence embeddings."""

    coef: tuple[float, ...]
    intercept: float
    meta: dict[str, Any] = field(default_factory=dict)

    def predict(self, vector: Sequence[float]) -> float:
        """The probability that the embedded comment is abusive."""
        if len(vector) != len(self.coef):
            raise ValueError(f"expected {len(self.coef)} dimensions, got {len(vector)}")
        z = self.intercept + math.fsum(w * x for w, x in zip(self.coef, vector, strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def combine(fast: float, semantic: float) -> float:
    """The two tiers' abuse scores, averaged (fixed a priori, not tuned on a reported set)."""
    return (fast + semantic) / 2.0


def parse_head(raw: dict[str, Any]) -> SemanticHead:
    """A head from its JSON form (as the training script writes it)."""
    coef = tuple(float(w) for w in raw["coef"])
    return SemanticHead(
        coef=coef, intercept=float(raw["intercept"]), meta=dict(raw.get("meta", {}))
    )


@lru_cache(maxsize=1)
def load_head() -> SemanticHead:
    """The shipped head (read once per process)."""
    path = resources.files("belowline.triage.models").joinpath("semantic_head.json")
    return parse_head(json.loads(path.read_text(encoding="utf-8")))
