"""A learnt weight per WordPiece token: static embeddings under a linear head, collapsed.

A comment's static embedding is the mean of its tokens' vectors (model2vec distils them from
all-MiniLM-L6-v2 at training time). Under a linear head, ``mean(E[tokens]) . w`` equals the
mean of ``E[t] . w`` over the tokens, so the shipped model keeps one number per vocabulary
token and never an embedding: a word never seen in training still scores through its word
pieces. At run time this is a greedy WordPiece split (pure Python, cached per word) and a
mean of looked-up weights: no NumPy, no model files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["TokenWeights", "pieces", "words"]

UNKNOWN = "[UNK]"
MAX_WORD = 100  # BERT's limit: a longer run of letters is one unknown token
CACHED_WORDS = 50_000
# BERT's basic split on lowercased, accent-folded text: runs of letters and digits, and each
# punctuation or symbol character on its own (the underscore counts as punctuation).
_WORDS = re.compile(r"[^\W_]+|[^\w\s]|_")


def words(text: str) -> list[str]:
    """The text's words and punctuation marks, as BERT's basic tokenizer splits them."""
    return _WORDS.findall(text)


def pieces(word: str, vocabulary: Mapping[str, Any] | frozenset[str]) -> list[str]:
    """Greedy longest-match-first WordPiece (continuations carry ``##``), or ``[UNK]``."""
    if len(word) > MAX_WORD:
        return [UNKNOWN]
    out: list[str] = []
    start = 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocabulary:
                out.append(piece)
                break
            end -= 1
        else:
            return [UNKNOWN]
        start = end
    return out


@dataclass(frozen=True, slots=True)
class TokenWeights:
    """Token -> weight; a text's contribution is the mean weight of its WordPiece tokens."""

    weights: Mapping[str, float]
    # Each word's (summed weight, token count), filled as words are seen.
    cache: dict[str, tuple[float, int]] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    def word(self, word: str) -> tuple[float, int]:
        """One word's summed token weight and token count (cached)."""
        hit = self.cache.get(word)
        if hit is None:
            if len(self.cache) >= CACHED_WORDS:
                self.cache.clear()
            weights = self.weights
            split = pieces(word, weights)
            hit = self.cache[word] = (sum(weights.get(p, 0.0) for p in split), len(split))
        return hit

    def decision(self, text: str) -> float:
        """The mean token weight of ``text`` (0 for a text with no tokens)."""
        found = words(text)
        if not found:
            return 0.0
        cache = self.cache
        total, count = 0.0, 0
        for word, hit in zip(found, map(cache.get, found), strict=True):
            weight, n = self.word(word) if hit is None else hit
            total += weight
            count += n
        return total / count

    def to_state(self) -> dict[str, Any]:
        """Plain data for the model file: tokens and weights, column-wise."""
        return {"tokens": list(self.weights), "weights": list(self.weights.values())}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> TokenWeights:
        """Rebuild from :meth:`to_state`."""
        return cls(dict(zip(state["tokens"], map(float, state["weights"]), strict=True)))
