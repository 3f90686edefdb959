"""The semantic head's plain-Python scoring, and the shipped head file (no torch needed)."""

from __future__ import annotations

import math

import pytest

from belowline.triage.semantic.encoder import DIM
from belowline.triage.semantic.head import combine, load_head, parse_head


def test_the_head_is_a_logistic_regression_over_the_embedding() -> None:
    head = parse_head({"coef": [1.0, -2.0, 0.5], "intercept": 0.25})
    z = 0.25 + 1.0 * 0.2 - 2.0 * 0.4 + 0.5 * 0.6
    assert head.predict([0.2, 0.4, 0.6]) == pytest.approx(1 / (1 + math.exp(-z)))
    assert head.predict([0.0, 1000.0, 0.0]) == 0.0  # no overflow far out
    with pytest.raises(ValueError, match="expected 3 dimensions"):
        head.predict([0.1, 0.2])


def test_the_shipped_head_fits_the_encoder_and_never_learnt_from_measured_sets() -> None:
    head = load_head()
    assert len(head.coef) == DIM
    never = set(head.meta["never_trained_on"])
    assert {"ucc", "stormfront", "hatecheck", "madlibs"} <= never
    learnt = {source.split("-")[0] for source in head.meta["items"]}
    assert not learnt & {"ucc", "stormfront", "hatecheck", "madlibs"}
    assert 0.0 < head.predict([1 / math.sqrt(DIM)] * DIM) < 1.0


def test_the_tiers_are_averaged() -> None:
    assert combine(0.2, 0.8) == pytest.approx(0.5)
    assert combine(0.0, 0.0) == 0.0
