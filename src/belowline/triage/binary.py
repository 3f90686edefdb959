"""Binary single-head TF-IDF blocks, scored from cached per-word n-gram values.

With ``binary=True`` every n-gram present counts once, so a block's decision is
``sum(w_g) / sqrt(sum(idf_g²))`` over the comment's distinct known n-grams. Each n-gram's
two numbers are held as one complex value ``w + idf²·j``: one dictionary lookup per n-gram,
and one C-level ``sum`` gives both sums (complex addition adds each part on its own, so the
two sums are ordinary float sums). ``char_wb`` n-grams never cross a space, so each distinct
word's known n-grams (with their values) are cached; a comment's distinct n-grams are the
merge of its words' small dictionaries, which avoids a lookup in the large table per n-gram.

:class:`WordValues` also scores two readings of one comment that differ in a few words (the
text and its group-neutral reading) with the shared words merged once.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import compress, repeat
from typing import Any

from belowline.triage.ngrams import word_char_ngrams

__all__ = [
    "KNOWN_WORDS",
    "ValueRows",
    "WordValues",
    "counted_decision",
    "decision",
    "value_rows",
    "values_table",
]

Values = dict[str, complex]
# Words per generation of a block's per-word cache (two generations are kept, see
# :class:`WordValues`): a cached word holds a small dict of its known n-grams (about 1.5 kB),
# so a worker's caches stay within about 12 MB however many distinct words it reads.
KNOWN_WORDS = 4_096


class ValueRows(Mapping[str, tuple[float, ...]]):
    """A single-head block's rows ``(idf, weight)``, read back from its values table.

    Keeping both the rows (a dict of 2-tuples of floats) and the values held every n-gram
    twice: about 15 MB of a worker for the abuse model. The rows are only read to save or
    inspect a model, so they are rebuilt on demand; ``sqrt(idf²) == idf`` holds exactly for
    these floats (checked by :func:`value_rows` before one is made).
    """

    __slots__ = ("cells",)

    def __init__(self, cells: Values) -> None:
        self.cells = cells

    def __getitem__(self, gram: str) -> tuple[float, ...]:
        value = self.cells[gram]
        return (math.sqrt(value.imag), value.real)

    def __contains__(self, gram: object) -> bool:
        return gram in self.cells

    def __iter__(self) -> Iterator[str]:
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)


def value_rows(state: Mapping[str, Any]) -> ValueRows | None:
    """A saved single-head block's table (``grams``, ``columns`` idf and weight) as
    :class:`ValueRows`; ``None`` for other blocks, or when an idf would not come back
    exactly from its square (then the rows are kept as they are)."""
    columns: Sequence[Sequence[float]] = state.get("columns") or ()
    if len(columns) != 2:
        return None
    idfs, weights = columns
    squares = list(map(operator.mul, idfs, idfs))
    if not all(map(operator.eq, map(math.sqrt, squares), idfs)):
        return None
    return ValueRows(dict(zip(state["grams"], map(complex, weights, squares), strict=True)))


def values_table(table: Mapping[str, tuple[float, ...]]) -> Values | None:
    """n-gram -> ``weight + idf²·j`` for a single-head block (rows ``(idf, weight)``)."""
    if isinstance(table, ValueRows):
        return table.cells
    if not table or len(next(iter(table.values()))) != 2:
        return None
    return {g: complex(row[1], row[0] * row[0]) for g, row in table.items()}


def decision(total: complex) -> float:
    """``x . w`` from the summed values: the weights' sum over the l2 norm of the idfs."""
    norm = math.sqrt(total.imag)
    return total.real / norm if norm else total.real


_REAL = operator.attrgetter("real")
_IMAG = operator.attrgetter("imag")


def counted_decision(values: Values, counts: Counter[str], sublinear_tf: bool) -> float:
    """A single-head block with term counts (not binary): one lookup per distinct n-gram.

    ``x . w`` is ``sum(tf w) / sqrt(sum(tf² idf²))`` over the known n-grams.
    """
    found = list(map(values.get, counts))
    keep = list(map(operator.is_not, found, repeat(None)))
    known = [v for v in compress(found, keep) if v is not None]
    if not known:
        return 0.0
    tfs: list[float]
    if sublinear_tf:  # 1 + log(1) == 1.0 exactly, so one formula serves every count
        tfs = list(map(operator.add, repeat(1.0), map(math.log, compress(counts.values(), keep))))
    else:
        tfs = list(map(float, compress(counts.values(), keep)))
    dot: float = sum(map(operator.mul, tfs, map(_REAL, known)))
    squares: float = sum(map(operator.mul, map(operator.mul, tfs, tfs), map(_IMAG, known)))
    return dot / math.sqrt(squares) if squares else dot


class WordValues:
    """Each word's known ``char_wb`` n-grams and their values, cached in two generations.

    When the young generation is full it becomes the old one (the previous old one is
    dropped); a word found in the old one moves back. Words in steady use stay cached and
    memory stays bounded, at the price of one dict move for a word not seen for a while.
    """

    __slots__ = ("cache", "high", "low", "old", "values")

    def __init__(self, values: Values, ngram_range: tuple[int, int]) -> None:
        self.values = values
        self.low, self.high = ngram_range
        self.cache: dict[str, Values] = {}
        self.old: dict[str, Values] = {}

    def of(self, word: str) -> Values:
        """The word's known n-grams with their values."""
        hit = self.cache.get(word)
        if hit is None:
            hit = self.old.get(word)
            if hit is None:
                grams = word_char_ngrams(word, self.low, self.high)
                found: list[Any] = list(map(self.values.get, grams))
                # the known ones, in C loops (a value is never 0j, falsy: every idf is > 0)
                hit = dict(compress(zip(grams, found, strict=True), found))
            if len(self.cache) >= KNOWN_WORDS:
                self.old, self.cache = self.cache, {}
            self.cache[word] = hit
        return hit

    def merged(self, words: Iterable[str]) -> Values:
        """The distinct known n-grams of these (distinct) words, with their values."""
        cache = self.cache
        merged: Values = {}
        update = merged.update
        for word, hit in zip(words, map(cache.get, words), strict=True):
            update(self.of(word) if hit is None else hit)
        return merged

    def total(self, text: str) -> complex:
        """The summed values of the text's distinct known n-grams."""
        words = list(set(text.split()))  # sklearn's whitespace runs -> " " then split(): same
        if len(words) == 1:
            return sum(self.of(words[0]).values(), 0j)
        return sum(self.merged(words).values(), 0j)

    def totals(self, text: str, variant: str) -> tuple[complex, complex]:
        """:meth:`total` of two texts, merging the words they share once."""
        first, second = set(text.split()), set(variant.split())
        common = first & second
        base = self.merged(list(common))
        shared = sum(base.values(), 0j)

        def extra(words: set[str]) -> complex:
            more = self.merged(list(words - common))
            return shared + sum([v for g, v in more.items() if g not in base], 0j)

        return extra(first), extra(second)
