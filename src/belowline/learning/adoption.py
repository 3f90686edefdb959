"""The adoption check: adopt a site's retrained model only on evidence that it is better.

A few dozen labels give noisy ROC-AUCs: on about 20 positives a worse model once won by
chance. So a candidate is adopted only if

* the site has at least `MIN_POSITIVES` removals and `MIN_NEGATIVES` approved/standing
  comments, and the held-back newest part has at least `MIN_TEST_EACH` of each;
* it is judged on newer comments than it learnt from (a time-ordered split), with any test
  comment whose text also appears in training dropped (copies would flatter it);
* the 95 % bootstrap interval of its ROC-AUC gain over the current model (paired: both scored
  on the same resampled comments, each class resampled on its own) lies above zero and the
  gain itself is at least `MIN_GAIN`.

Otherwise it refuses, and says which of these failed, with the figures.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from belowline.triage.fitting import roc_auc

__all__ = [
    "ADOPTED",
    "BOOTSTRAP_ROUNDS",
    "FEW_HELD_BACK",
    "FEW_OTHERS",
    "FEW_REMOVALS",
    "INTERVAL",
    "MIN_GAIN",
    "MIN_NEGATIVES",
    "MIN_POSITIVES",
    "MIN_TEST_EACH",
    "MISSING",
    "NOT_CLEAR",
    "NOT_ENOUGH",
    "ONE_CLASS",
    "OUTCOMES",
    "TOO_SMALL",
    "Verdict",
    "enough_labels",
    "judge",
]

MIN_POSITIVES = 50
MIN_NEGATIVES = 50
MIN_TEST_EACH = 15
MIN_GAIN = 0.01
BOOTSTRAP_ROUNDS = 1000
SEED = 20261201  # a fixed seed: the same labels always give the same verdict

# The outcome's sentences: kept with the run in English (the CLI and API print them); the
# dashboard matches a stored outcome back to them and translates it (staffing/outcomes.py).
INTERVAL = "ROC-AUC %(before)s -> %(after)s, gain %(gain)s (95%% %(low)s to %(high)s)"
ADOPTED = "adopted (%(interval)s)"
NOT_CLEAR = "kept the current model: the gain is not clearly above zero (%(interval)s)"
TOO_SMALL = "kept the current model: the gain is under %(min_gain)s (%(interval)s)"
NOT_ENOUGH = "not enough labels to judge a new model: %(missing)s"
ONE_CLASS = "not enough labels: the older part has one class only"
FEW_REMOVALS = "%(have)s removals for abuse (need %(need)s)"
FEW_OTHERS = "%(have)s approved or standing comments (need %(need)s)"
FEW_HELD_BACK = (
    "%(removals)s removals and %(others)s others among the newest comments held back for "
    "testing (need %(need)s of each)"
)
OUTCOMES = (ADOPTED, NOT_CLEAR, TOO_SMALL, NOT_ENOUGH, ONE_CLASS)
MISSING = (FEW_REMOVALS, FEW_OTHERS, FEW_HELD_BACK)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether to adopt, why, and the figures behind it."""

    adopt: bool
    reason: str
    auc_current: float
    auc_candidate: float
    gain: float
    gain_low: float
    gain_high: float


def enough_labels(
    *, positives: int, negatives: int, test_positives: int, test_negatives: int
) -> str | None:
    """None if there are enough labels to judge a candidate, else what is missing."""
    missing = []
    if positives < MIN_POSITIVES:
        missing.append(FEW_REMOVALS % {"have": positives, "need": MIN_POSITIVES})
    if negatives < MIN_NEGATIVES:
        missing.append(FEW_OTHERS % {"have": negatives, "need": MIN_NEGATIVES})
    if min(test_positives, test_negatives) < MIN_TEST_EACH:
        missing.append(
            FEW_HELD_BACK
            % {"removals": test_positives, "others": test_negatives, "need": MIN_TEST_EACH}
        )
    if not missing:
        return None
    return NOT_ENOUGH % {"missing": "; ".join(missing)}


def _gain_interval(
    labels: Sequence[int], current: Sequence[float], candidate: Sequence[float], rounds: int
) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of the paired, class-stratified bootstrap AUC gain."""
    rng = random.Random(SEED)  # noqa: S311 - resampling, not secrecy
    pos = [i for i, y in enumerate(labels) if y == 1]
    neg = [i for i, y in enumerate(labels) if y != 1]
    gains = []
    for _ in range(rounds):
        sample = rng.choices(pos, k=len(pos)) + rng.choices(neg, k=len(neg))
        ys = [labels[i] for i in sample]
        gains.append(
            roc_auc(ys, [candidate[i] for i in sample]) - roc_auc(ys, [current[i] for i in sample])
        )
    gains.sort()
    return gains[int(0.025 * rounds)], gains[min(rounds - 1, int(0.975 * rounds))]


def judge(
    labels: Sequence[int],
    current: Sequence[float],
    candidate: Sequence[float],
    *,
    rounds: int = BOOTSTRAP_ROUNDS,
) -> Verdict:
    """Compare the two models' scores on the same held-back comments; adopt on clear evidence."""
    auc_now, auc_new = roc_auc(labels, current), roc_auc(labels, candidate)
    gain = auc_new - auc_now
    low, high = _gain_interval(labels, current, candidate, rounds)
    interval = INTERVAL % {
        "before": f"{auc_now:.3f}",
        "after": f"{auc_new:.3f}",
        "gain": f"{gain:+.3f}",
        "low": f"{low:+.3f}",
        "high": f"{high:+.3f}",
    }
    if low <= 0.0:
        return Verdict(
            False, NOT_CLEAR % {"interval": interval}, auc_now, auc_new, gain, low, high
        )  # fmt: skip
    if gain < MIN_GAIN:
        return Verdict(
            False,
            TOO_SMALL % {"min_gain": MIN_GAIN, "interval": interval},
            auc_now, auc_new, gain, low, high,
        )  # fmt: skip
    return Verdict(True, ADOPTED % {"interval": interval}, auc_now, auc_new, gain, low, high)
