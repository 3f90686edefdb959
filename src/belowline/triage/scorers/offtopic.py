"""Off-topic: how far a comment is from its article and from the comment it replies to.

TF-IDF cosine similarity over word stems (the first six letters of each word: cheap, and enough
to join "resign" and "resignation"). Word weights are the inverse document frequencies the
abuse model learnt, so "the" counts for nothing and names count for a lot. A reply close to
its parent is on topic even if it has drifted from the article: sub-threads are allowed to
wander. Short comments ("Agreed.") carry too few words to judge, so their score is shrunk
towards zero rather than reported as off-topic.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from belowline.triage.normalise import fold
from belowline.triage.scorers.abuse import abuse_model

__all__ = ["OffTopicResult", "score_off_topic", "similarity"]

STEM = 6
# Cosine similarity at or above which a comment counts as fully on topic. Comment-vs-article
# similarities are small because an article has many more words than a comment.
ON_TOPIC_SIMILARITY = 0.2
# Content words needed before a comment's distance counts in full.
CONFIDENT_WORDS = 8
REASON_THRESHOLD = 0.7

_WORD = re.compile(r"[^\W\d_]{2,}")

Vector = tuple[dict[str, float], float]


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    """Word -> idf from the abuse model's word block, and the idf given to unseen words."""
    parts = [p for p in abuse_model().parts if p.analyzer == "word"]
    table = {gram: row[0] for gram, row in parts[0].table.items() if " " not in gram}
    return table, max(table.values(), default=1.0)


_STEMS: dict[str, tuple[str, float]] = {}
STEMS_CACHED = 16_384


def _stem_idf(word: str) -> tuple[str, float]:
    """A word's stem and idf (cached: a comment's words are mostly ones seen before)."""
    hit = _STEMS.get(word)
    if hit is None:
        if len(_STEMS) >= STEMS_CACHED:
            _STEMS.clear()
        idf, unseen = _idf()
        hit = _STEMS[word] = (word[:STEM], idf.get(word, unseen))
    return hit


# 1 + log(count) for the counts most words have (the same floats math.log gives)
_TF = tuple(1.0 + math.log(count) if count else 0.0 for count in range(64))


def _vector(text: str) -> Vector:
    weights: dict[str, float] = {}
    counts = Counter(_WORD.findall(fold(text).text))
    stems = _STEMS
    for (word, count), hit in zip(counts.items(), map(stems.get, counts), strict=True):
        stem, idf = _stem_idf(word) if hit is None else hit
        tf = _TF[count] if count < 64 else 1.0 + math.log(count)
        weights[stem] = weights.get(stem, 0.0) + tf * idf
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return weights, norm


@lru_cache(maxsize=512)
def _cached_vector(text: str) -> Vector:
    """Articles and parents recur across many comments: vectorise each once."""
    return _vector(text)


def _cosine(a: Vector, b: Vector) -> float:
    (small, small_norm), (large, large_norm) = sorted((a, b), key=lambda v: len(v[0]))
    if small_norm == 0.0 or large_norm == 0.0:
        return 0.0
    dot = sum(w * large.get(stem, 0.0) for stem, w in small.items())
    return dot / (small_norm * large_norm)


def similarity(a: str, b: str) -> float:
    """TF-IDF cosine similarity of two texts, in [0, 1]."""
    return _cosine(_vector(a), _cached_vector(b))


@dataclass(frozen=True, slots=True)
class OffTopicResult:
    """Off-topic score (None without an article), the similarities behind it, and reasons."""

    score: float | None
    article_similarity: float | None
    parent_similarity: float | None
    reasons: tuple[str, ...]


def score_off_topic(
    text: str, *, article: str | None = None, parent: str | None = None
) -> OffTopicResult:
    """Score how far ``text`` strays from ``article`` and, for a reply, from ``parent``."""
    if not article or not article.strip():
        return OffTopicResult(None, None, None, ())
    comment = _vector(text)
    to_article = _cosine(comment, _cached_vector(article))
    to_parent = _cosine(comment, _cached_vector(parent)) if parent and parent.strip() else None
    best = max(to_article, to_parent or 0.0)
    distance = 1.0 - min(1.0, best / ON_TOPIC_SIMILARITY)
    confidence = min(1.0, len(comment[0]) / CONFIDENT_WORDS)
    score = distance * confidence
    reasons: tuple[str, ...] = ()
    if score >= REASON_THRESHOLD:
        against = "the article" if to_parent is None else "the article or the comment it answers"
        reasons = (f"Shares few key words with {against} (similarity {best:.2f})",)
    return OffTopicResult(score, to_article, to_parent, reasons)
