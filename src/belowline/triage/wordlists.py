"""Per-site banned and suspect words, matched through disguises but only as whole words.

An entry is a word or phrase in plain letters, optionally with ``*`` at either end:

* ``"twat"`` matches "twat", "twats", "tw@t", "t w a t", "ｔｗａｔ", "twaaat" — but not
  inside another word, so "cunt" never matches "Scunthorpe" and "ass" never matches "assess",
  "class" or "passage";
* ``"fuck*"`` also matches words that start with it ("fucking", "fuckwit");
* ``"*shit"`` also matches words that end with it ("bullshit").

Matching runs on :func:`belowline.triage.normalise.fold`-ed text, so Unicode lookalikes and
invisible characters are already gone; leetspeak, ``*`` masking, repeated letters and
spacing ("f.u.c.k") are handled by the pattern built for each entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from belowline.triage.context import Context, context_of
from belowline.triage.normalise import LEET, Trick, fold, tricks_in

__all__ = [
    "DEFAULT_BANNED",
    "DEFAULT_SUSPECT",
    "ListKind",
    "WordMatch",
    "find_words",
]


class ListKind(StrEnum):
    """Which list an entry came from."""

    BANNED = "banned"
    SUSPECT = "suspect"


# Built-in defaults for a site that has not set its own. Banned: slurs a news site would
# not publish in any context. Suspect: profanity and insults worth a moderator's look.
DEFAULT_BANNED: tuple[str, ...] = (
    "nigger", "nigga", "faggot", "kike", "chink", "wetback", "tranny", "trannies",
    "cunt", "paki", "raghead", "towelhead", "sandnigger", "gook", "spastic",
)  # fmt: skip
DEFAULT_SUSPECT: tuple[str, ...] = (
    "fuck*", "*fucker", "motherfucking", "shit", "shite", "shitty", "bullshit", "dipshit",
    "horseshit",
    "ass", "asshole", "arse", "arsehole", "bitch", "bitches", "bastard", "dick", "dickhead",
    "cock", "cocksucker", "piss", "pissed", "wanker", "twat", "prick", "bollocks", "slut",
    "whore", "retard", "retarded", "fag", "dyke", "moron", "idiot", "scum", "kys",
    "kill yourself", "go die",
)  # fmt: skip

# Inflections every entry accepts ("twats", "bitches"); longer ones need an explicit "*".
_SUFFIX = r"(?:e?s)?"
# Between letters of a spaced-out word ("f.u.c.k", "s p a m"): 1-3 non-letters.
_SEP = r"(?:(?![^\W_])[^*@$!|+(])" + "{1,3}"
_BEFORE = r"(?<![^\W_])"
# A trailing leetspeak symbol counts as part of the word only if letters follow ("a$$$hole").
_AFTER = r"(?![^\W_]|[*@$!|+(€£¡]+[^\W_])"


def _letter_class(letter: str, *, masked: bool) -> str:
    """Regex class for one letter: itself, its leetspeak forms and (inside a word) ``*``."""
    variants = {letter} | {sym for sym, reads in LEET.items() if letter in reads}
    if masked:
        variants.add("*")
    return "[" + "".join(re.escape(ch) for ch in sorted(variants)) + "]"


def _word_pattern(word: str) -> str:
    """Pattern for one word: run-length aware (``ass`` needs two s), or fully spaced out."""
    runs: list[tuple[str, int]] = []
    for ch in word:
        if runs and runs[-1][0] == ch:
            runs[-1] = (ch, runs[-1][1] + 1)
        else:
            runs.append((ch, 1))
    solid = "".join(
        _letter_class(ch, masked=i > 0) + ("+" if n == 1 else f"{{{n},}}")
        for i, (ch, n) in enumerate(runs)
    )
    if len(word) < 3:
        return solid
    spaced = _SEP.join(_letter_class(ch, masked=False) + "+" for ch in word)
    return f"(?:{solid}|{spaced})"


def _entry_pattern(entry: str) -> str | None:
    """Full pattern for a list entry, or None for an entry with no letters."""
    text = entry.strip().lower()
    prefix = text.startswith("*")
    suffix = text.endswith("*")
    words = [w for w in re.split(r"[^a-z]+", fold(text.strip("*")).text) if w]
    if not words:
        return None
    body = r"[\W_]+".join(_word_pattern(w) for w in words)
    head = r"[^\W_]*" if prefix else ""
    tail = r"[^\W_]*" if suffix else _SUFFIX
    return head + body + tail


@dataclass(frozen=True, slots=True)
class WordMatch:
    """One listed word found in a comment, and how it was written."""

    word: str
    kind: ListKind
    found: str
    start: int
    end: int
    tricks: tuple[Trick, ...]
    context: Context | None = None  # a name, a quotation, counter-speech...: sets no floor

    @property
    def counts(self) -> bool:
        """True if the hit reads as abuse in its sentence (not a name, quote or report)."""
        return self.context is None

    @property
    def disguised(self) -> bool:
        """True if the word was written in a way meant to dodge a filter."""
        return bool(self.tricks)

    def reason(self) -> str:
        """A sentence a moderator can read, e.g. "Contains a banned word (disguised as ...)"."""
        listed = self.word.strip("*")
        if self.tricks:
            how = ", ".join(self.tricks)
            said = f"Contains a {self.kind} word '{listed}' (disguised as '{self.found}': {how})"
        elif self.found.lower() == listed:
            said = f"Contains a {self.kind} word: '{listed}'"
        else:
            said = f"Contains a {self.kind} word: '{self.found}' (listed as '{listed}')"
        if self.context is not None:
            said += f" — {self.context}, not scored as abuse"
        return said


@dataclass(frozen=True, slots=True)
class _Entry:
    word: str
    kind: ListKind
    regex: re.Pattern[str]
    core: str  # the entry in prefilter spelling (see _prefilter_key)


# From this many candidate entries one combined scan beats one scan per entry.
COMBINED_FROM = 4


@dataclass(frozen=True, slots=True)
class _List:
    """A site's entries and one combined pattern: group ``k + 1`` is entry ``k``."""

    entries: tuple[_Entry, ...]
    combined: re.Pattern[str] | None


_PREFILTER_TABLE = str.maketrans({**{k: v[0] for k, v in LEET.items()}, "l": "i", "|": "i"})
_NON_LETTERS = re.compile(r"[\W\d_]+")
# Every letter followed by itself is dropped ("aaab" -> "ab"): a literal replacement, which
# Python 3.11 runs in C (a "\1" template is expanded in Python, per match).
_REPEATS = re.compile(r"(.)(?=\1)")


def _prefilter_key(folded: str) -> str:
    """All letters run together, leetspeak read, i/l merged and repeats collapsed.

    Every match of an entry's pattern implies the entry's key is a substring of the text's key,
    so entries whose key is absent can be skipped; most comments then need no regex at all.
    """
    letters = _NON_LETTERS.sub("", folded.translate(_PREFILTER_TABLE))
    return _REPEATS.sub("", letters)


@lru_cache(maxsize=64)
def _compiled(banned: tuple[str, ...], suspect: tuple[str, ...]) -> _List:
    """The entries, and one alternation of them all compiled once per list.

    One scan of the comment replaces one per entry (long comments pass the prefilter for
    short entries such as "ass" and paid a scan each); at each word start the earliest
    entry that matches wins, which is the order below (banned first, longer first).
    """
    entries = _entries(banned, suspect)
    if not entries:
        return _List(entries, None)
    alternatives = "|".join(f"({e.regex.pattern[len(_BEFORE) :]})" for e in entries)
    return _List(entries, re.compile(f"{_BEFORE}(?:{alternatives})"))


def _entries(banned: tuple[str, ...], suspect: tuple[str, ...]) -> tuple[_Entry, ...]:
    entries: list[_Entry] = []
    # Banned first so an entry on both lists reports as banned; longer entries first so
    # "asshole" is reported rather than "ass".
    for kind, words in ((ListKind.BANNED, banned), (ListKind.SUSPECT, suspect)):
        for word in sorted(words, key=lambda w: -len(w.strip("*"))):
            pattern = _entry_pattern(word)
            if pattern is not None:
                core = _prefilter_key(fold(word.strip("*")).text)
                regex = re.compile(_BEFORE + pattern + _AFTER)
                entries.append(_Entry(word, kind, regex, core))
    return tuple(entries)


def _hits(
    folded: str, candidates: tuple[_Entry, ...], compiled: _List
) -> list[tuple[int, int, _Entry]]:
    """Non-overlapping hits in order; where two overlap the earlier entry wins.

    A few candidates (the usual case, after the prefilter) scan one pattern each; many (a
    masked comment, a long one) scan the combined pattern once, whose alternation picks the
    same winner at each word start.
    """
    if len(candidates) > COMBINED_FROM and compiled.combined is not None:
        return [
            (m.start(), m.end(), compiled.entries[(m.lastindex or 1) - 1])
            for m in compiled.combined.finditer(folded)
        ]
    ordered = sorted(
        (match.start(), order, match.end(), entry)
        for order, entry in enumerate(candidates)
        for match in entry.regex.finditer(folded)
    )
    hits: list[tuple[int, int, _Entry]] = []
    reached = 0
    for begin, _, finish, entry in ordered:
        if begin >= reached:
            hits.append((begin, finish, entry))
            reached = finish
    return hits


def find_words(
    text: str, *, banned: Iterable[str] = DEFAULT_BANNED, suspect: Iterable[str] = DEFAULT_SUSPECT
) -> list[WordMatch]:
    """Return every banned or suspect word in ``text``, in order, with how it was disguised."""
    compiled = _compiled(tuple(banned), tuple(suspect))
    if compiled.combined is None or not text:
        return []
    folded = fold(text)
    entries = compiled.entries
    if "*" not in folded.text:  # masking defeats the prefilter
        key = _prefilter_key(folded.text)
        entries = tuple(e for e in entries if e.core in key)
        if not entries:
            return []
    found: list[WordMatch] = []
    for begin, finish, entry in _hits(folded.text, entries, compiled):
        start, end = folded.span(begin, finish)
        written = text[start:end]
        tricks = tricks_in(written, entry.word.strip("*"))
        context = context_of(text, start, end, entry.word)
        found.append(WordMatch(entry.word, entry.kind, written, start, end, tricks, context))
    return found
