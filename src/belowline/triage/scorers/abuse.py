"""Abuse/toxicity: our TF-IDF + logistic regression model, alt-profanity-check's, word lists.

The two models are averaged (both were trained with balanced classes, so their probabilities
are on a comparable scale); a banned or suspect word then sets a floor under the score. Both
models load lazily, once per process, and score through :mod:`belowline.triage.linear`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from belowline.triage.context import without_counter_quotes
from belowline.triage.identity import group_terms, neutralise
from belowline.triage.linear import LinearTextModel, load_model
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
    "word_floor",
]

MODEL_FILE = "abuse.json.gz"
PROFANITY_FILE = "profanity.json.gz"
BANNED_FLOOR = 0.95
SUSPECT_FLOOR = 0.6
REASON_THRESHOLD = 0.5
# From here a score gets a reason too (the lowest flag threshold of the default policy), so a
# flag always says what led to it: the fast tier's two models and the words that pushed.
HINT_THRESHOLD = 0.3
# Scores from here up, on a comment naming a group, are checked with the group names neutral
# (under the lowest flag threshold of the default policy, 0.3, so no flag skips the check).
NEUTRALISE_FROM = 0.25
# ... and the neutral reading replaces the score if it is under this: nothing but the group
# name was hostile. Higher values trade recall for fewer false alarms (see docs/triage.md).
NEUTRAL_BELOW = 0.15
# The models read at most this much of a comment: cost grows with length (this keeps the
# longest comments within the post path's 2 ms), and a comment's first 1,500 characters say
# what it is (no ROC-AUC change on the news sets, whose comments average 100-300 characters).
# Word lists still scan the whole text.
MODEL_CHARS = 1500

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


def _shipped(name: str) -> LinearTextModel:
    """A model shipped as package data (gzip'd JSON, see ``scripts/convert_models.py``)."""
    return load_model((resources.files("belowline.triage.models") / name).read_bytes())


@lru_cache(maxsize=1)
def abuse_model() -> LinearTextModel:
    """Belowline's shipped abuse model (loaded once per process)."""
    return _shipped(MODEL_FILE)


@lru_cache(maxsize=1)
def profanity_model() -> LinearTextModel:
    """alt-profanity-check's model, converted to plain weights we ship (its MIT notice beside).

    Unpickling the original needs scikit-learn and SciPy (over 100 MB per worker), so it is
    converted once by ``scripts/convert_models.py`` and workers load only the weights.
    """
    return _shipped(PROFANITY_FILE)


PUSH_CACHE = 16_384  # words whose push each block remembers (``TfidfPart.pushes``)


def _strongest_words(model: LinearTextModel, text: str, limit: int = 3) -> list[str]:
    """The words that pushed the model furthest towards "abusive".

    Ranked by each word's share of the character n-gram block (``char_wb`` n-grams never
    cross a space, so each belongs to exactly one word): its cached ``w . v_word`` for a
    ``word_mean`` block, else the summed weights of its n-grams (within one comment the
    block's norm is common to every word, so it does not change the order and is skipped).
    """
    chars = [p for p in model.parts if p.analyzer == "char_wb"]
    if not chars:
        return []
    part = chars[0]
    pushes: dict[str, float] = {}
    if part.word_mean:
        for token in set(text.split()):
            push = part.word_score(token)[0]
            if push > 0:
                pushes[token] = push
    else:
        cache = part.pushes
        if len(cache) > PUSH_CACHE:
            cache.clear()
        values, table = part.words, part.table
        tokens = set(text.split())
        for token, seen in zip(tokens, map(cache.get, tokens), strict=True):
            if seen is None:
                if values is not None:  # binary: the word's known n-grams are cached there
                    seen = sum(values.of(token).values(), 0j).real
                else:
                    seen = sum(table[g][1] for g in set(part.known_ngrams(token)))
                cache[token] = seen
            if seen > 0:
                pushes[token] = seen
    words: list[str] = []
    for token in sorted(pushes, key=lambda t: -pushes[t]):
        word = _WORD_EDGES.sub("", token)
        if word and word not in words:
            words.append(word)
            if len(words) == limit:
                break
    return words


def word_floor(matches: Sequence[WordMatch]) -> float:
    """The least abuse score the word-list hits allow: only hits that read as abuse count."""
    kinds = {m.kind for m in matches if m.counts}
    if ListKind.BANNED in kinds:
        return BANNED_FLOOR
    if ListKind.SUSPECT in kinds:
        return SUSPECT_FLOOR
    return 0.0


def score_abuse(
    text: str, matches: Sequence[WordMatch] = (), *, model: LinearTextModel | None = None
) -> AbuseResult:
    """Score ``text`` for abuse; ``matches`` are its word-list hits (see ``find_words``).

    ``model`` replaces the shipped one (the evaluation scores refitted models this way).
    """
    own_words = without_counter_quotes(text[:MODEL_CHARS])
    prepared = prepare(text[:MODEL_CHARS] if own_words is None else own_words)
    model = model or abuse_model()
    terms = group_terms(prepared)
    plain, plain_model = prepared, None
    if terms:  # the group-neutral reading shares the words it keeps (see predict_pair)
        plain = neutralise(prepared, terms)
        ours, plain_model = model.predict_pair(prepared, plain)
    else:
        ours = model.predict(prepared)
    profanity = profanity_model().predict(prepared)
    score = (ours + profanity) / 2
    neutral = False
    if score >= NEUTRALISE_FROM and plain_model is not None:
        plain_ours, plain_profanity = plain_model(), profanity_model().predict(plain)
        if (plain_ours + plain_profanity) / 2 < NEUTRAL_BELOW:  # only the group name scored
            ours, profanity, neutral = plain_ours, plain_profanity, True
            score = (ours + profanity) / 2
    reasons: list[str] = []
    if score >= HINT_THRESHOLD:
        strongest = _strongest_words(model, prepared)
        because = f"; strongest words: {', '.join(repr(w) for w in strongest)}" if strongest else ""
        verdict = "Reads as abusive" if score >= REASON_THRESHOLD else "Might be abusive"
        models = f"fast tier: word model {ours:.2f}, profanity model {profanity:.2f}"
        reasons.append(f"{verdict} ({score:.2f}; {models}{because})")
    elif neutral:
        reasons.append("Names a group, and nothing else in it reads as abusive")
    elif own_words is not None:
        reasons.append("Quotes abuse to disapprove of it: scored on the writer's own words")
    score = max(score, word_floor(matches))
    return AbuseResult(min(1.0, max(0.0, score)), ours, profanity, tuple(reasons))
