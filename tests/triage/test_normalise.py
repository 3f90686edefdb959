"""Normalisation: Unicode folding keeps a map back to the original, words get one spelling."""

from __future__ import annotations

import pytest

from belowline.triage.normalise import Trick, fold, normalise_word, tricks_in


@pytest.mark.parametrize(
    "written",
    [
        "fuck",
        "FUCK",
        "f.u.c.k",
        "f u c k",
        "f_u_c_k",
        "fuuuuck",
        "ｆｕｃｋ",  # fullwidth
        "𝐟𝐮𝐜𝐤",  # mathematical bold
        "fu\u200bck",  # zero-width space
        "fu\u00adck",  # soft hyphen
        "fúçk",  # accents
        "f\u0301u\u0308ck",  # combining marks
        "fuсk",  # Cyrillic es
        "ƒuck",
    ],
)
def test_normalise_word_sees_through_disguises(written: str) -> None:
    assert normalise_word(written) == "fuck"


def test_normalise_word_reads_leetspeak() -> None:
    assert normalise_word("5h!7") == "shit"
    assert normalise_word("@$$") == "as"  # repeats collapse
    assert normalise_word("h4t3") == "hate"


def test_fold_maps_back_to_original_positions() -> None:
    folded = fold("a\u200bＢс")
    assert folded.text == "abc"
    assert folded.span(1, 3) == (2, 4)


def test_fold_leaves_plain_ascii_alone_apart_from_case() -> None:
    assert fold("Hello, World!").text == "hello, world!"


def test_tricks_in_names_each_disguise() -> None:
    assert tricks_in("f.u.c.k", "fuck") == (Trick.SPACING,)
    assert tricks_in("fuuuck", "fuck") == (Trick.REPEATED,)
    assert tricks_in("sh!t", "shit") == (Trick.LEETSPEAK,)
    assert tricks_in("f**k", "fuck") == (Trick.MASKING,)
    assert tricks_in("сunt", "cunt") == (Trick.HOMOGLYPHS,)
    assert tricks_in("c\u200bunt", "cunt") == (Trick.INVISIBLE,)
    assert tricks_in("fuck", "fuck") == ()


def test_fold_of_one_for_one_characters_keeps_positions() -> None:
    """Curly quotes and accents fold one character to one: positions stay the same."""
    folded = fold("“Café” ＡＢ")
    assert folded.text == "“cafe” ab"
    assert folded.origin == tuple(range(len("“Café” ＡＢ")))
    assert fold("Stra\u00dfe\u200b!").text == "strasse!"  # one to two and one to none
