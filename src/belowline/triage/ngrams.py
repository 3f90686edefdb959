"""scikit-learn's ``word`` and ``char_wb`` analyzers, reproduced exactly, with per-word caches.

(``lowercase=True``, no accent stripping, the default token pattern; the tests check them
against scikit-learn's own.) Shared by the scorer (:mod:`belowline.triage.linear`), the binary
fast path (:mod:`belowline.triage.binary`) and a site's pure-Python fitting, so a model
learnt on a live site counts its features exactly as the shipped one does.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

__all__ = ["char_wb_ngrams", "tokens", "word_char_ngrams", "word_ngrams"]

TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WHITE_SPACES = re.compile(r"\s\s+")


@lru_cache(maxsize=8)
def tokens(text: str) -> list[str]:
    """The default token pattern's words (cached: both models, and the neutral reading's
    second pass over the same comment, tokenise the same text)."""
    return TOKEN.findall(text)


def word_ngrams(
    text: str, ngram_range: tuple[int, int], stop_words: frozenset[str] = frozenset()
) -> list[str]:
    """scikit-learn's ``word`` analyzer on already-lowercased text."""
    words = tokens(text)
    if stop_words:
        words = [t for t in words if t not in stop_words]
    low, high = ngram_range
    grams: list[str] = list(words) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        if n == 2:  # the common case, joined in one C loop
            grams.extend(map("{} {}".format, words, islice(words, 1, None)))
        else:
            grams.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return grams


@lru_cache(maxsize=1024)
def word_char_ngrams(word: str, low: int, high: int) -> tuple[str, ...]:
    """One word's ``char_wb`` n-grams, cached: news comments repeat most of their words.

    Kept small (a word's n-grams take about 1.7 kB): the binary blocks cache each word's known
    n-grams themselves, and 65,536 words here grew a worker by up to 100 MB.
    """
    padded = f" {word} "
    length = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        if length < n:
            if n == low:  # a word shorter than the smallest n-gram counts once
                grams.append(padded)
            break
        grams.extend(
            map(padded.__getitem__, map(slice, range(length - n + 1), range(n, length + 1)))
        )
    return tuple(grams)


def char_wb_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """scikit-learn's ``char_wb`` analyzer on already-lowercased text."""
    low, high = ngram_range
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        grams.extend(word_char_ngrams(word, low, high))
    return grams
