"""The adoption check refuses thin or unclear evidence and says why; clear gains are adopted."""

from __future__ import annotations

import random

from belowline.learning import adoption


def _scores(labels: list[int], separation: float, seed: int) -> list[float]:
    """Scores whose positives sit ``separation`` higher, plus noise."""
    rng = random.Random(seed)
    return [rng.gauss(0.0, 1.0) + separation * y for y in labels]


LABELS = [1] * 60 + [0] * 140


def test_too_few_labels_is_refused_with_what_is_missing() -> None:
    missing = adoption.enough_labels(
        positives=20, negatives=300, test_positives=4, test_negatives=60
    )
    assert missing is not None
    assert "20 removals for abuse (need 50)" in missing
    assert "4 removals and 60 others among the newest" in missing
    assert "approved or standing" not in missing
    assert (
        adoption.enough_labels(positives=50, negatives=50, test_positives=15, test_negatives=15)
        is None
    )


def test_a_clearly_better_model_is_adopted() -> None:
    verdict = adoption.judge(LABELS, _scores(LABELS, 0.3, 1), _scores(LABELS, 2.0, 2))
    assert verdict.adopt
    assert verdict.gain_low > 0
    assert verdict.gain_low <= verdict.gain <= verdict.gain_high
    assert verdict.reason.startswith("adopted (ROC-AUC")


def test_a_worse_model_is_refused() -> None:
    verdict = adoption.judge(LABELS, _scores(LABELS, 1.5, 3), _scores(LABELS, 0.5, 4))
    assert not verdict.adopt
    assert verdict.gain < 0
    assert "not clearly above zero" in verdict.reason


def test_a_lucky_small_gain_on_few_labels_is_refused() -> None:
    # Two equally good models: on 20 + 20 held-back comments one of them "wins" by chance.
    labels = [1] * 20 + [0] * 20
    current, candidate = _scores(labels, 1.0, 5), _scores(labels, 1.0, 6)
    verdict = adoption.judge(labels, current, candidate)
    assert verdict.gain != 0
    assert verdict.gain_low < 0 < verdict.gain_high
    assert not verdict.adopt


def test_the_verdict_is_repeatable() -> None:
    current, candidate = _scores(LABELS, 1.0, 7), _scores(LABELS, 1.2, 8)
    assert adoption.judge(LABELS, current, candidate) == adoption.judge(LABELS, current, candidate)
