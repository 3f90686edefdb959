"""Abuse/toxicity: our TF-IDF + logistic regression model, alt-profanity-check, word lists.

The two models are averaged (both were trained with balanced classes, so their probabilities
are on a comparable scale); a banned or suspect word then sets a floor under the score. Both
models load lazily, once per process, and score through :mod:`belowline.triage.linear`.
"""

from __future__ import annotations

import html
import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import joblib

from belowline.triage.linear import LinearTextModel, from_sklearn
from belowline.triage.normalise import fold
from belowline.triage.wordlists import ListKind, WordMatch

__all__ = [
    "BANNED_FLOOR",
    "SUSPECT_FLOOR",
    "AbuseResult",
    "abuse_model",
    "prepare",
    "profanity_model",
    "score_abuse",
]

MODEL_FILE = "abuse.joblib"
BANNED_FLOOR = 0.95
SUSPECT_FLOOR = 0.6
REASON_THRESHOLD = 0.5
# The models read at most this much of a comment: cost grows with length, and a comment's
# first few thousand characters say what it is. Word lists still scan the whole text.
MODEL_CHARS = 4000

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_WORD_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_RETWEET = re.compile(r"^\s*rt\b\s*:?", re.IGNORECASE)


def prepare(text: str) -> str:
    """The text a model sees: entities decoded, links and @mentions dropped, Unicode folded.

    Training applies the same function, so tweet furniture (``RT @user``, ``&amp;``) carries
    no signal that would not exist in news comments.
    """
    text = html.unescape(text)
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _RETWEET.sub(" ", text)
    return fold(text).text


@dataclass(frozen=True, slots=True)
class AbuseResult:
    """Abuse score in [0, 1], the signals behind it and reasons for a moderator."""

    score: float
    model: float
    profanity: float
    reasons: tuple[str, ...]


@lru_cache(maxsize=1)
def abuse_model() -> LinearTextModel:
    """Belowline's shipped abuse model (loaded once per process)."""
    path = resources.files("belowline.triage.models") / MODEL_FILE
    with resources.as_file(path) as file:
        state = joblib.load(file)
    return LinearTextModel.from_state(state)


def _profanity_from_sklearn(data: Path) -> LinearTextModel:
    vectorizer = joblib.load(data / "vectorizer.joblib")
    calibrated = joblib.load(data / "model.joblib")
    heads = calibrated.calibrated_classifiers_
    return from_sklearn(
        [vectorizer],
        [h.estimator.coef_[0] for h in heads],
        [float(h.estimator.intercept_[0]) for h in heads],
        calibration=[(float(h.calibrators[0].a_), float(h.calibrators[0].b_)) for h in heads],
        digits=12,
    )


def _profanity_cache_file() -> Path:
    version = importlib.metadata.version("alt-profanity-check")
    base = os.environ.get("BELOWLINE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "belowline"
    )
    return Path(base) / f"profanity-check-{version}.joblib"


def export_profanity_state(target: str) -> None:
    """Convert alt-profanity-check's model to plain data (run in a child process)."""
    spec = importlib.util.find_spec("profanity_check")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("alt-profanity-check is not installed")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    joblib.dump(_profanity_from_sklearn(data).to_state(), tmp, compress=3)
    tmp.replace(path)


@lru_cache(maxsize=1)
def profanity_model() -> LinearTextModel | None:
    """alt-profanity-check's shipped model as a fast linear model, or None if not installed.

    Unpickling it needs scikit-learn and SciPy (over 100 MB per worker), so a child process
    converts it once to plain data in a cache file, and workers load only that.
    """
    spec = importlib.util.find_spec("profanity_check")
    if spec is None or not spec.submodule_search_locations:
        return None
    try:
        cache = _profanity_cache_file()
        if not cache.exists():
            subprocess.run(  # noqa: S603 - our own module, fixed arguments
                [
                    sys.executable,
                    "-c",
                    "import sys; from belowline.triage.scorers.abuse import export_profanity_state;"
                    " export_profanity_state(sys.argv[1])",
                    str(cache),
                ],
                check=True,
                timeout=300,
                capture_output=True,
            )
        return LinearTextModel.from_state(joblib.load(cache))
    except (OSError, subprocess.SubprocessError, importlib.metadata.PackageNotFoundError):
        data = Path(next(iter(spec.submodule_search_locations))) / "data"
        return _profanity_from_sklearn(data)


def _strongest_words(model: LinearTextModel, text: str, limit: int = 3) -> list[str]:
    """The words that pushed the model furthest towards "abusive".

    Ranked by the summed weights of each word's character n-grams (``char_wb`` n-grams never
    cross a space, so each belongs to exactly one word). Within one comment the block's norm is
    common to every word, so it does not change the order and is skipped.
    """
    chars = [p for p in model.parts if p.analyzer == "char_wb"]
    if not chars:
        return []
    part = chars[0]
    pushes: dict[str, float] = {}
    for token in set(text.split()):
        push = 0.0
        for gram in set(part.ngrams(token)):
            row = part.table.get(gram)
            if row is not None:
                push += row[1]
        if push > 0:
            pushes[token] = push
    ranked = sorted(pushes, key=lambda t: -pushes[t])
    words = [_WORD_EDGES.sub("", t) for t in ranked]
    return [w for w in dict.fromkeys(words) if w][:limit]


def score_abuse(text: str, matches: Sequence[WordMatch] = ()) -> AbuseResult:
    """Score ``text`` for abuse; ``matches`` are its word-list hits (see ``find_words``)."""
    prepared = prepare(text[:MODEL_CHARS])
    model = abuse_model()
    ours = model.predict(prepared)
    other = profanity_model()
    profanity = other.predict(prepared) if other is not None else ours
    score = (ours + profanity) / 2
    reasons: list[str] = []
    if score >= REASON_THRESHOLD:
        strongest = _strongest_words(model, prepared)
        because = f"; strongest words: {', '.join(repr(w) for w in strongest)}" if strongest else ""
        reasons.append(f"Reads as abusive ({score:.2f}{because})")
    kinds = {m.kind for m in matches}
    if ListKind.BANNED in kinds:
        score = max(score, BANNED_FLOOR)
    elif ListKind.SUSPECT in kinds:
        score = max(score, SUSPECT_FLOOR)
    return AbuseResult(min(1.0, max(0.0, score)), ours, profanity, tuple(reasons))
