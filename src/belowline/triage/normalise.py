"""Text normalisation that sees through disguised words.

Two levels:

* :func:`fold` undoes the *Unicode* disguises (fullwidth and mathematical letters, Cyrillic and
  Greek lookalikes, zero-width and other invisible format characters, combining accents) and
  case, while remembering where each folded character came from so a match can be shown to a
  moderator as it was written.
* :func:`normalise_word` goes further and also undoes leetspeak, repeated letters and spacing
  tricks ("f.u.c.k", "s p a m", "fuuuck"), giving one canonical spelling for a word or phrase.

Leetspeak, repetition and spacing are *not* undone by :func:`fold`: "5" and "!" are ordinary
characters in ordinary text, so the word-list matcher treats them as letter variants only
inside a candidate word (see :mod:`belowline.triage.wordlists`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

__all__ = [
    "CONFUSABLES",
    "LEET",
    "FoldedText",
    "Trick",
    "fold",
    "normalise_word",
    "tricks_in",
]


class Trick(StrEnum):
    """A way of disguising a word, as named in moderator-facing reasons."""

    HOMOGLYPHS = "lookalike letters"
    INVISIBLE = "invisible characters"
    ACCENTS = "added accents"
    LEETSPEAK = "leetspeak"
    REPEATED = "repeated letters"
    SPACING = "spacing"
    MASKING = "masking with *"


# Lookalike letters that Unicode NFKC does *not* fold to Latin: Cyrillic, Greek, and a few
# others. Upper- and lower-case forms are listed separately because they resemble different
# Latin letters (Greek "Η" looks like H, "η" like n).
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "А": "a", "а": "a", "В": "b", "в": "b", "Б": "b", "б": "b", "С": "c", "с": "c",
    "Ԁ": "d", "ԁ": "d", "Е": "e", "е": "e", "Ё": "e", "ё": "e", "Һ": "h", "һ": "h",
    "Н": "h", "н": "h", "І": "i", "і": "i", "Ї": "i", "ї": "i", "Ј": "j", "ј": "j",
    "К": "k", "к": "k", "М": "m", "м": "m", "О": "o", "о": "o", "Р": "p", "р": "p",
    "Ԛ": "q", "ԛ": "q", "Ѕ": "s", "ѕ": "s", "Т": "t", "т": "t", "У": "y", "у": "y",
    "Ү": "y", "ү": "y", "Х": "x", "х": "x", "Ԝ": "w", "ԝ": "w", "Ѡ": "w", "ѡ": "w",
    "г": "r", "п": "n", "П": "n", "и": "u", "ь": "b", "Ь": "b", "Ѵ": "v", "ѵ": "v",
    "ɡ": "g", "Ꮃ": "w",
    # Greek
    "Α": "a", "α": "a", "Β": "b", "β": "b", "Ε": "e", "ε": "e", "Ζ": "z", "Η": "h",
    "η": "n", "Ι": "i", "ι": "i", "Κ": "k", "κ": "k", "Μ": "m", "Ν": "n", "ν": "v",
    "Ο": "o", "ο": "o", "Ρ": "p", "ρ": "p", "Τ": "t", "τ": "t", "Υ": "y", "υ": "u",
    "Χ": "x", "χ": "x", "ω": "w", "ϲ": "c", "Ϲ": "c", "ϳ": "j",
    # Latin extensions and IPA letters that survive NFKC
    "ı": "i", "ȷ": "j", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
    "ħ": "h", "ŧ": "t", "ƅ": "b", "ɑ": "a", "ɩ": "i", "ɪ": "i", "ʀ": "r", "ʏ": "y",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ʜ": "h", "ᴊ": "j",
    "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ꜱ": "s", "ᴛ": "t",
    "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z", "ß": "ss",
}  # fmt: skip

# Leetspeak: character -> the letters it may stand for.
LEET: dict[str, str] = {
    "0": "o", "1": "il", "2": "z", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t",
    "8": "b", "9": "g", "@": "a", "$": "s", "!": "i", "|": "il", "+": "t", "(": "c",
    "€": "e", "£": "l", "¡": "i", "ƒ": "f",
}  # fmt: skip

# Characters that render as nothing (or nearly nothing) but are not category Cf.
_ONE = 1
_EXTRA_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u180e\u2800")


@dataclass(frozen=True, slots=True)
class FoldedText:
    """Folded text plus, for each folded character, the index it came from in the original."""

    original: str
    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` back to a span of ``original``."""
        if start >= end:
            return (
                (self.origin[start], self.origin[start])
                if start < len(self.origin)
                else (
                    len(self.original),
                    len(self.original),
                )
            )
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Fold one character: '' for invisible and combining marks, else its lowercase skeleton."""
    if ch.isascii():
        return ch.lower()
    if ch in _EXTRA_INVISIBLE:
        return ""
    category = unicodedata.category(ch)
    if category == "Cf" or category in ("Mn", "Me") or "\ufe00" <= ch <= "\ufe0f":
        return ""
    if ch in CONFUSABLES:
        return CONFUSABLES[ch]
    out = []
    for part in unicodedata.normalize("NFKD", ch):
        if unicodedata.category(part) in ("Mn", "Me"):
            continue
        part = CONFUSABLES.get(part, part)
        out.append(part.casefold())
    return "".join(out)


@lru_cache(maxsize=16)
def fold(text: str) -> FoldedText:
    """Undo Unicode disguises and case, keeping a map back to the original characters.

    Cached: the word lists, the spam and off-topic scorers fold the same comment in turn.
    """
    if text.isascii():
        return FoldedText(text, text.lower(), tuple(range(len(text))))
    parts = list(map(_fold_char, text))
    if all(map(_ONE.__eq__, map(len, parts))):  # curly quotes, accents: one char for one
        return FoldedText(text, "".join(parts), tuple(range(len(text))))
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        for part in folded:
            chars.append(part)
            origin.append(index)
    return FoldedText(text, "".join(chars), tuple(origin))


_SEPARATORS = re.compile(r"[\W_]+")
_RUNS = re.compile(r"(.)\1+")
_RUNS_ANY = re.compile(r"(.)\1*")
# For naming tricks: separators exclude "*" (masking) and leetspeak symbols.
_LETTERISH = r"[^\W_]|[*@$!|+(€£¡]"
_NOT_LETTERS = re.compile(rf"(?:(?!{_LETTERISH}).)+", re.DOTALL)
_SPACED_GAP = re.compile(
    rf"(?<=[^\W_]|[*@$!|+(€£¡])(?:(?!{_LETTERISH}).)+(?={_LETTERISH})", re.DOTALL
)


def normalise_word(text: str) -> str:
    """Return one canonical spelling of a word or phrase, whatever its disguise.

    Folds Unicode lookalikes and invisible characters, reads leetspeak (taking the first
    reading: "1" is "i"), drops spacing and punctuation between letters and collapses repeated
    letters: ``normalise_word("F.U.U.C.K")``, ``normalise_word("ｆ𝐮ϲk")`` and
    ``normalise_word("fuuu\u200bck")`` are all ``"fuck"``.
    """
    folded = fold(text).text
    leet = "".join(LEET[ch][0] if ch in LEET else ch for ch in folded)
    letters = _SEPARATORS.sub("", leet)
    return _RUNS.sub(r"\1", letters)


def _strip_marks(ch: str) -> str:
    return "".join(p for p in unicodedata.normalize("NFD", ch) if unicodedata.category(p) != "Mn")


def _has_extra_repeats(found: str, word: str) -> bool:
    """True if a letter of ``word`` is repeated in ``found`` more than ``word`` repeats it."""
    longest: dict[str, int] = {}
    for run in _RUNS_ANY.finditer(word):
        longest[run.group(1)] = max(longest.get(run.group(1), 0), len(run.group()))
    return any(
        len(run.group()) > longest.get(run.group(1), len(run.group()))
        for run in _RUNS_ANY.finditer(found)
    )


def _gaps(text: str) -> int:
    """Number of separator runs between letters (``"f.u.c.k"`` has 3)."""
    return len(_SPACED_GAP.findall(text))


def tricks_in(found: str, word: str) -> tuple[Trick, ...]:
    """Name the disguises that turn the plain ``word`` into the text ``found``."""
    tricks: list[Trick] = []
    if any(ch in _EXTRA_INVISIBLE or unicodedata.category(ch) == "Cf" for ch in found):
        tricks.append(Trick.INVISIBLE)
    if any(unicodedata.category(ch) in ("Mn", "Me") for ch in unicodedata.normalize("NFD", found)):
        tricks.append(Trick.ACCENTS)
    visible = [ch for ch in found if _fold_char(ch)]
    if any(not _strip_marks(ch).isascii() and ch.isalpha() for ch in visible):
        tricks.append(Trick.HOMOGLYPHS)
    folded = "".join(_fold_char(ch) for ch in visible)
    if "*" in folded:
        tricks.append(Trick.MASKING)
    letters_in_word = set(word.lower())
    if any(ch in LEET and ch not in letters_in_word for ch in folded):
        tricks.append(Trick.LEETSPEAK)
    if _has_extra_repeats(_NOT_LETTERS.sub("", folded), word.lower()):
        tricks.append(Trick.REPEATED)
    if _gaps(folded) > _gaps(word):
        tricks.append(Trick.SPACING)
    return tuple(tricks)
