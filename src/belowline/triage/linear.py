"""Fast inference for TF-IDF + linear text classifiers, without scikit-learn at score time.

scikit-learn's ``transform``/``predict_proba`` cost several milliseconds per single comment in
call overhead alone, which would spend the whole triage budget. A fitted TF-IDF + linear model
is just "n-gram -> (idf, idf x coefficient)" tables, so this module stores those tables and
scores with a dictionary walk: the same numbers, in tens of microseconds.

The analyzers below reproduce scikit-learn's ``word`` and ``char_wb`` analyzers exactly (with
``lowercase=True``, no accent stripping, the default token pattern); the tests check that.
"""

from __future__ import annotations

import gzip
import json
import math
import operator
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Literal

from belowline.triage.binary import (
    WordValues,
    counted_decision,
    decision,
    value_rows,
    values_table,
)
from belowline.triage.ngrams import TOKEN, char_wb_ngrams, word_char_ngrams, word_ngrams
from belowline.triage.tokens import TokenWeights

__all__ = [
    "LinearTextModel",
    "TfidfPart",
    "char_wb_ngrams",
    "dump_model",
    "from_sklearn",
    "load_model",
    "word_ngrams",
]

Analyzer = Literal["word", "char_wb"]

KNOWN_WORDS = 16_384  # cap on the per-word caches of non-binary blocks


@dataclass(frozen=True, slots=True)
class TfidfPart:
    """One l2-normalised TF-IDF block: n-gram -> (idf, idf x coefficient for each head)."""

    analyzer: Analyzer
    ngram_range: tuple[int, int]
    table: Mapping[str, tuple[float, ...]]
    sublinear_tf: bool = False
    stop_words: frozenset[str] = frozenset()
    # scikit-learn's ``binary=True``: every n-gram present counts once (tf 1), so a comment's
    # vector is the union of its words' n-gram sets and scores in a few C-level passes.
    binary: bool = False
    # ``char_wb`` only: the block's vector is the mean of the comment's distinct words' own
    # l2-normalised (binary) n-gram vectors, so each word's share ``w . v_word`` is cached
    # and a comment costs one lookup per distinct word, however long it is.
    word_mean: bool = False

    # Per-word n-grams this block knows (the rest weigh nothing), filled as words are seen.
    known: dict[str, tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )
    # Binary single-head blocks: n-gram -> weight + idf² j (see ``belowline.triage.binary``),
    # and for ``char_wb`` each word's known n-grams with those values.
    values: dict[str, complex] | None = field(default=None, compare=False, repr=False, hash=False)
    words: WordValues | None = field(default=None, compare=False, repr=False, hash=False)
    # Each word's summed weight towards the positive class (the reasons' "strongest words").
    pushes: dict[str, float] = field(default_factory=dict, compare=False, repr=False, hash=False)

    word_scores: dict[str, tuple[float, ...]] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    def word_score(self, word: str) -> tuple[float, ...]:
        """``w . v_word`` per head for one word (its n-grams' vector l2-normalised), cached."""
        cached = self.word_scores.get(word)
        if cached is not None:
            return cached
        if len(self.word_scores) > KNOWN_WORDS:
            self.word_scores.clear()
        low, high = self.ngram_range
        table = self.table
        rows = [table[g] for g in frozenset(word_char_ngrams(word, low, high)) if g in table]
        norm = math.sqrt(math.fsum(r[0] * r[0] for r in rows))
        heads = len(next(iter(table.values()), (0.0, 0.0))) - 1
        score = tuple(
            math.fsum(r[h + 1] for r in rows) / norm if norm else 0.0 for h in range(heads)
        )
        self.word_scores[word] = score
        return score

    def _word_mean_decisions(self, text: str, heads: int) -> list[float]:
        words = list(set(text.split()))
        if not words:
            return [0.0] * heads
        cached = list(map(self.word_scores.get, words))  # a C loop; misses filled below
        scores: list[tuple[float, ...]] = [
            self.word_score(w) if c is None else c for w, c in zip(words, cached, strict=True)
        ]
        return [math.fsum(map(operator.itemgetter(h), scores)) / len(words) for h in range(heads)]

    def __post_init__(self) -> None:
        if self.binary or self.analyzer == "word":
            values = values_table(self.table)
            if values is not None:
                object.__setattr__(self, "values", values)
                if self.binary and self.analyzer == "char_wb" and not self.word_mean:
                    object.__setattr__(self, "words", WordValues(values, self.ngram_range))

    def ngrams(self, text: str) -> list[str]:
        """The n-grams of lowercased ``text``, as scikit-learn would produce them."""
        if self.analyzer == "word":
            return word_ngrams(text, self.ngram_range, self.stop_words)
        return char_wb_ngrams(text, self.ngram_range)

    def known_ngrams(self, text: str) -> list[str]:
        """The n-grams of ``text`` that are in the table: the same sums, fewer to count.

        ``char_wb`` n-grams never cross a space, so each word's known n-grams are cached.
        """
        if self.analyzer == "word":
            return list(filter(self.table.__contains__, self.ngrams(text)))
        low, high = self.ngram_range
        known, table = self.known, self.table
        if len(known) > KNOWN_WORDS:
            known.clear()
        grams: list[str] = []
        for word in text.split():  # sklearn's whitespace runs -> " " then split(): same
            hit = known.get(word)
            if hit is None:
                hit = known[word] = tuple(
                    g for g in word_char_ngrams(word, low, high) if g in table
                )
            grams.extend(hit)
        return grams

    def binary_total(self, text: str) -> complex:
        """A binary single-head block's summed ``weight + idf² j`` over the text's n-grams."""
        if self.words is not None:
            return self.words.total(text)
        values = self.values or {}
        return sum(filter(None, map(values.get, set(self.ngrams(text)))), 0j)

    def _binary_decisions(self, text: str, heads: int) -> list[float]:
        """:meth:`decisions` for a binary block: tf is 1, so only the set of n-grams matters."""
        if self.values is not None:
            return [decision(self.binary_total(text))]
        rows = list(map(self.table.__getitem__, set(self.known_ngrams(text))))
        if not rows:
            return [0.0] * heads
        idfs = list(map(operator.itemgetter(0), rows))
        norm = math.sqrt(sum(map(operator.mul, idfs, idfs)))
        sums = [sum(map(operator.itemgetter(h + 1), rows)) for h in range(heads)]
        return [s / norm for s in sums] if norm else sums

    def decisions(self, text: str, heads: int) -> list[float]:
        """Each head's contribution ``x . w`` for this block, ``x`` l2-normalised.

        The arithmetic runs in ``map``/``sum`` (C loops) over the comment's distinct known
        n-grams, in the same order and with the same operations as a plain loop would.
        """
        if self.word_mean:
            return self._word_mean_decisions(text, heads)
        if self.binary:
            return self._binary_decisions(text, heads)
        if self.values is not None and self.analyzer == "word":
            return [counted_decision(self.values, Counter(self.ngrams(text)), self.sublinear_tf)]
        counts = Counter(self.known_ngrams(text))
        if not counts:
            return [0.0] * heads
        grams = list(counts)
        rows = list(map(self.table.__getitem__, grams))
        tfs: list[float]
        if self.sublinear_tf:  # 1 + log(1) == 1.0 exactly, so one formula serves every count
            tfs = list(map(operator.add, repeat(1.0), map(math.log, counts.values())))
        else:
            tfs = list(map(float, counts.values()))
        weighted = list(map(operator.mul, tfs, map(operator.itemgetter(0), rows)))
        squares = sum(map(operator.mul, weighted, weighted))
        sums = [
            sum(map(operator.mul, tfs, map(operator.itemgetter(h + 1), rows))) for h in range(heads)
        ]
        if squares == 0.0:
            return sums
        norm = math.sqrt(squares)
        return [s / norm for s in sums]


def _expit(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@dataclass(frozen=True, slots=True)
class LinearTextModel:
    """TF-IDF blocks feeding one or more linear heads.

    With no ``calibration`` the single head is a logistic regression: ``P = expit(d)``. With
    ``calibration`` (one ``(a, b)`` per head, as in scikit-learn's sigmoid
    ``CalibratedClassifierCV``) ``P`` is the mean over heads of ``expit(-(a d + b))``.
    """

    parts: tuple[TfidfPart, ...]
    intercepts: tuple[float, ...]
    calibration: tuple[tuple[float, float], ...] | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    # Single-head models only: one weight per WordPiece token (static embeddings, collapsed).
    tokens: TokenWeights | None = None

    def predict(self, text: str) -> float:
        """Probability of the positive class for one lowercased text."""
        heads = len(self.intercepts)
        totals = list(self.intercepts)
        for part in self.parts:
            for h, value in enumerate(part.decisions(text, heads)):
                totals[h] += value
        if self.tokens is not None:
            totals[0] += self.tokens.decision(text)
        return self._probability(totals)

    def predict_pair(self, text: str, variant: str) -> tuple[float, Callable[[], float]]:
        """``predict(text)`` now, and a function giving ``predict(variant)`` when asked.

        For a variant that differs in a few words (the group-neutral reading), the character
        block merges the words both share once; the other blocks read the variant only if
        asked. The same sums as two ``predict`` calls, added in another order.
        """
        heads = len(self.intercepts)
        first, later = list(self.intercepts), [0.0] * heads
        lazy: list[TfidfPart] = []
        for part in self.parts:
            if part.words is not None:
                a, b = part.words.totals(text, variant)
                first[0] += decision(a)
                later[0] += decision(b)
                continue
            lazy.append(part)
            for h, value in enumerate(part.decisions(text, heads)):
                first[h] += value

        if self.tokens is not None:
            first[0] += self.tokens.decision(text)

        def second() -> float:
            totals = [i + v for i, v in zip(self.intercepts, later, strict=True)]
            for part in lazy:
                for h, value in enumerate(part.decisions(variant, heads)):
                    totals[h] += value
            if self.tokens is not None:
                totals[0] += self.tokens.decision(variant)
            return self._probability(totals)

        return self._probability(first), second

    def _probability(self, totals: list[float]) -> float:
        if self.calibration is None:
            return _expit(totals[0])
        probs = [_expit(-(a * d + b)) for d, (a, b) in zip(totals, self.calibration, strict=True)]
        return sum(probs) / len(probs)

    def to_state(self) -> dict[str, Any]:
        """A plain-data form (lists, dicts, numbers), saved as gzip'd JSON by :func:`dump_model`.

        Format 2 stores each table column-wise (``grams``, then one flat list per column), so
        loading builds the rows from two or three long lists instead of one small list per
        n-gram: about 15 MB less left behind in a worker than format 1's ``rows``.
        """
        return {
            "format": 2,
            "parts": [
                {
                    "analyzer": p.analyzer,
                    "ngram_range": list(p.ngram_range),
                    "sublinear_tf": p.sublinear_tf,
                    "binary": p.binary,
                    "word_mean": p.word_mean,
                    "stop_words": sorted(p.stop_words),
                    "grams": list(p.table),
                    "columns": [list(c) for c in zip(*p.table.values(), strict=True)],
                }
                for p in self.parts
            ],
            "intercepts": list(self.intercepts),
            "calibration": None
            if self.calibration is None
            else [list(c) for c in self.calibration],
            "meta": dict(self.meta),
            **({} if self.tokens is None else {"tokens": self.tokens.to_state()}),
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> LinearTextModel:
        """Rebuild a model saved with :meth:`to_state` (format 2, or format 1's rows)."""
        version = state.get("format")
        if version not in (1, 2):
            raise ValueError(f"unknown model format {version!r}")

        def rows(part: Mapping[str, Any]) -> Any:
            if version == 1:
                return map(tuple, part["rows"])
            return zip(*part["columns"], strict=True) if part["grams"] else iter(())

        def table(part: Mapping[str, Any]) -> Mapping[str, tuple[float, ...]]:
            # A single-head block scored from its values keeps only those (see ValueRows).
            scored = part.get("binary") or part["analyzer"] == "word"
            compact = None if part.get("word_mean") or not scored else value_rows(part)
            return compact or dict(zip(part["grams"], rows(part), strict=True))

        parts = tuple(
            TfidfPart(
                analyzer=p["analyzer"],
                ngram_range=(int(p["ngram_range"][0]), int(p["ngram_range"][1])),
                table=table(p),
                sublinear_tf=bool(p["sublinear_tf"]),
                stop_words=frozenset(p["stop_words"]),
                binary=bool(p.get("binary", False)),
                word_mean=bool(p.get("word_mean", False)),
            )
            for p in state["parts"]
        )
        calibration = state["calibration"]
        return cls(
            parts=parts,
            intercepts=tuple(float(i) for i in state["intercepts"]),
            calibration=None if calibration is None else tuple((a, b) for a, b in calibration),
            meta=dict(state.get("meta", {})),
            tokens=TokenWeights.from_state(state["tokens"]) if state.get("tokens") else None,
        )


def dump_model(model: LinearTextModel) -> bytes:
    """The model as gzip'd JSON: exact floats (``repr`` round-trips), byte-for-byte repeatable."""
    text = json.dumps(model.to_state(), ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def load_model(data: bytes) -> LinearTextModel:
    """Read a model written by :func:`dump_model` (stdlib only: no NumPy, no joblib)."""
    return LinearTextModel.from_state(json.loads(gzip.decompress(data)))


def _part_from_vectorizer(vectorizer: Any, coefs: Sequence[Any], digits: int) -> TfidfPart:
    """Turn a fitted ``TfidfVectorizer`` and its slice of each head's coefficients into a part."""
    params = vectorizer.get_params()
    if not params["lowercase"] or params["strip_accents"] or params["norm"] != "l2":
        raise ValueError("only lowercase, no-accent-stripping, l2-normalised vectorizers")
    if params["analyzer"] == "word" and params["token_pattern"] != TOKEN.pattern:
        raise ValueError("only the default token pattern is supported")
    stop = vectorizer.get_stop_words() or frozenset()
    idf = vectorizer.idf_
    table: dict[str, tuple[float, ...]] = {}
    for gram, index in vectorizer.vocabulary_.items():
        weight = float(idf[index])
        row = [round(weight, digits)]
        row.extend(round(weight * float(c[index]), digits) for c in coefs)
        table[gram] = tuple(row)
    return TfidfPart(
        analyzer=params["analyzer"],
        ngram_range=tuple(params["ngram_range"]),
        table=table,
        sublinear_tf=bool(params["sublinear_tf"]),
        stop_words=frozenset(stop),
        binary=bool(params["binary"]),
        word_mean=bool(getattr(vectorizer, "word_mean_", False)),  # set by the training script
    )


def from_sklearn(
    vectorizers: Sequence[Any],
    coef: Any,
    intercepts: Sequence[float],
    *,
    calibration: Sequence[tuple[float, float]] | None = None,
    digits: int = 6,
    meta: Mapping[str, Any] | None = None,
) -> LinearTextModel:
    """Build a model from fitted vectorizers (stacked in order) and a ``(heads, features)`` coef."""
    parts: list[TfidfPart] = []
    offset = 0
    for vectorizer in vectorizers:
        width = len(vectorizer.vocabulary_)
        block = [row[offset : offset + width] for row in coef]
        parts.append(_part_from_vectorizer(vectorizer, block, digits))
        offset += width
    return LinearTextModel(
        parts=tuple(parts),
        intercepts=tuple(float(i) for i in intercepts),
        calibration=None if calibration is None else tuple(calibration),
        meta=dict(meta or {}),
    )
