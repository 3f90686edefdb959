"""Word lists: disguised forms of listed words match; innocent words never do."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from belowline.triage.normalise import CONFUSABLES
from belowline.triage.wordlists import DEFAULT_BANNED, DEFAULT_SUSPECT, ListKind, find_words

BANNED = ("cunt", "nigger", "faggot")
SUSPECT = ("shit", "bitch", "wanker", "twat", "ass", "cock", "dick", "fuck*")

# Innocent words containing listed words, or close to them.
INNOCENT = (
    "Scunthorpe", "assess", "class", "classic", "passage", "bass", "assassin", "embassy",
    "cockpit", "cocktail", "Hancock", "peacock", "Dickens", "dickensian", "Cockburn",
    "shiitake", "Essex", "Sussex", "cucumber", "therapist", "analysis", "grasshopper",
    "Matsushita", "snigger", "niggle", "bitcoin", "witch", "pitch", "mishit",
    "Shittington", "ambassador", "massive", "harassment", "compass", "scrape", "document",
    "assume", "associate", "buttress", "titanic", "cockney", "Wankerfield", "shift",
    "hitchhiker", "as", "is", "it", "shirt", "shot", "cunning", "canton", "kunt",
)  # fmt: skip

# Lookalikes per Latin letter, taken from the normaliser's own table plus fullwidth forms.
LOOKALIKES: dict[str, list[str]] = {}
for _glyph, _latin in CONFUSABLES.items():
    if len(_latin) == 1:
        LOOKALIKES.setdefault(_latin, []).append(_glyph)
for _code in range(ord("a"), ord("z") + 1):
    LOOKALIKES.setdefault(chr(_code), []).append(chr(_code - ord("a") + ord("ａ")))
LEET = {"a": "4@", "e": "3", "i": "1!|", "o": "0", "s": "5$", "t": "7+", "b": "8", "g": "9"}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
COMBINING = ["\u0301", "\u0308", "\u0327", "\u0303"]


@st.composite
def disguised(draw: st.DrawFn, word: str) -> str:
    """``word`` written with a random mix of the tricks the matcher must see through."""
    letters: list[str] = []
    for index, letter in enumerate(word):
        trick = draw(st.sampled_from(["plain", "upper", "lookalike", "leet", "mask", "repeat"]))
        if trick == "upper":
            out = letter.upper()
        elif trick == "lookalike" and letter in LOOKALIKES:
            out = draw(st.sampled_from(LOOKALIKES[letter]))
        elif trick == "leet" and letter in LEET:
            out = draw(st.sampled_from(LEET[letter]))
        elif trick == "mask" and 0 < index < len(word) - 1:
            out = "*"
        elif trick == "repeat":
            out = letter * draw(st.integers(2, 4))
        else:
            out = letter
        if draw(st.booleans()):
            out += draw(st.sampled_from(INVISIBLE + COMBINING))
        letters.append(out)
    # Spaced out, one separator throughout (masking plus spacing is too ambiguous to ask for).
    if not any("*" in part for part in letters) and draw(st.booleans()):
        return draw(st.sampled_from([" ", ".", "_", "-", " . "])).join(letters)
    return "".join(letters)


def _context(draw: st.DrawFn, core: str) -> str:
    before = draw(st.sampled_from(["", "You ", "what a ", "(", "total ", '"']))
    after = draw(st.sampled_from(["", ".", "!", " you are", "?!", ")", ", honestly"]))
    return before + core + after


@settings(max_examples=150, deadline=None)
@given(data=st.data(), word=st.sampled_from(BANNED + tuple(w.strip("*") for w in SUSPECT)))
def test_disguised_listed_word_still_matches(data: st.DataObject, word: str) -> None:
    written = data.draw(disguised(word))
    text = _context(data.draw, written)
    matches = find_words(text, banned=BANNED, suspect=SUSPECT)
    assert [m.word.strip("*") for m in matches] == [word], (text, matches)
    # What is reported is exactly what was written, so a moderator can find it.
    assert matches[0].found.strip(" .") in text


@settings(max_examples=150, deadline=None)
@given(data=st.data(), word=st.sampled_from(INNOCENT))
def test_innocent_word_never_matches(data: st.DataObject, word: str) -> None:
    # Innocent words stay innocent in any case, with invisible characters or lookalikes.
    letters = []
    for letter in word:
        if letter.lower() in LOOKALIKES and data.draw(st.booleans()):
            letter = data.draw(st.sampled_from(LOOKALIKES[letter.lower()]))
        if data.draw(st.integers(0, 5)) == 0:
            letter += data.draw(st.sampled_from(INVISIBLE))
        letters.append(letter)
    text = _context(data.draw, "".join(letters))
    assert find_words(text, banned=DEFAULT_BANNED, suspect=DEFAULT_SUSPECT) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "The Scunthorpe United manager will assess the squad before class on Monday.",
        "Section 5 hit the headlines",  # leetspeak plus spacing must not build "shit"
        "I was hit by a cocker spaniel in the cockpit",
        "**Important**: the committee met",
        "As I said, it is what it is",
    ],
)
def test_find_words_ignores_innocent_sentences(text: str) -> None:
    assert find_words(text) == []


def test_find_words_reports_kind_position_and_disguise() -> None:
    text = "Well, you c\u200bunt and sh!t"
    first, second = find_words(text)
    assert first.kind is ListKind.BANNED
    assert text[first.start : first.end] == "c\u200bunt"
    assert "disguised" in first.reason()
    assert "invisible characters" in first.reason()
    assert second.kind is ListKind.SUSPECT
    assert second.reason() == "Contains a suspect word 'shit' (disguised as 'sh!t': leetspeak)"


def test_find_words_plain_word_reason() -> None:
    (match,) = find_words("what the fuck")
    assert match.reason() == "Contains a suspect word: 'fuck'"
    assert not match.disguised


def test_find_words_prefers_longest_entry() -> None:
    assert [m.word for m in find_words("a$$$hole")] == ["asshole"]


def test_find_words_prefix_and_suffix_entries() -> None:
    words = [m.word for m in find_words("fucking bullshit, twats")]
    assert words == ["fuck*", "bullshit", "twat"]


def test_find_words_site_lists_replace_defaults() -> None:
    assert find_words("shit", banned=(), suspect=()) == []
    assert [m.kind for m in find_words("Tory scum", banned=("scum",), suspect=())] == [
        ListKind.BANNED
    ]


def test_find_words_phrase_entry() -> None:
    (match,) = find_words("just k i l l   y o u r s e l f", banned=(), suspect=("kill yourself",))
    assert match.word == "kill yourself"


PHRASES = st.lists(
    st.sampled_from(
        ["shit", "f**k", "sh!t", "a$$", "ass", "asshole", "b i t c h", "class", "Dick Smith",
         "twat", "tw@ts", "cunt", "Scunthorpe", "fuckwit", "you", "are", "a", ",", ".", "wanker",
         "cock-up", "nigger", "\u200bcunt", "\"idiot\""]
    ),
    max_size=30,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(words=PHRASES)
def test_one_combined_scan_finds_what_one_scan_per_entry_finds(words: list[str]) -> None:
    """Long or masked comments scan one alternation; it must agree with per-entry scans."""
    import belowline.triage.wordlists as wordlists

    text = " ".join(words)
    lists = {"banned": DEFAULT_BANNED, "suspect": DEFAULT_SUSPECT}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wordlists, "COMBINED_FROM", 0)
        combined = find_words(text, **lists)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wordlists, "COMBINED_FROM", 10_000)
        separate = find_words(text, **lists)
    assert combined == separate
