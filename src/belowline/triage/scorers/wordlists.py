"""Word-list scorer: a site's banned and suspect words, seen through disguises."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from belowline.triage.wordlists import (
    DEFAULT_BANNED,
    DEFAULT_SUSPECT,
    ListKind,
    WordMatch,
    find_words,
)

__all__ = ["BANNED_SCORE", "SUSPECT_SCORE", "WordListResult", "score_words"]

BANNED_SCORE = 1.0
SUSPECT_SCORE = 0.6


@dataclass(frozen=True, slots=True)
class WordListResult:
    """1.0 with a banned word, 0.6 with only suspect words, else 0; and what matched.

    Hits in a context (a name, a quotation, counter-speech) are listed but score nothing.
    """

    score: float
    matches: tuple[WordMatch, ...]
    reasons: tuple[str, ...]

    @property
    def banned(self) -> tuple[str, ...]:
        """Banned entries found, each once, in order of appearance."""
        return tuple(dict.fromkeys(m.word for m in self.matches if m.kind is ListKind.BANNED))

    @property
    def suspect(self) -> tuple[str, ...]:
        """Suspect entries found, each once, in order of appearance."""
        return tuple(dict.fromkeys(m.word for m in self.matches if m.kind is ListKind.SUSPECT))


def score_words(
    text: str, *, banned: Iterable[str] = DEFAULT_BANNED, suspect: Iterable[str] = DEFAULT_SUSPECT
) -> WordListResult:
    """Find the site's listed words in ``text`` and score them."""
    matches = tuple(find_words(text, banned=banned, suspect=suspect))
    kinds = {m.kind for m in matches if m.counts}
    if ListKind.BANNED in kinds:
        score = BANNED_SCORE
    elif kinds:
        score = SUSPECT_SCORE
    else:
        score = 0.0
    reasons = tuple(dict.fromkeys(m.reason() for m in matches))
    return WordListResult(score, matches, reasons)
