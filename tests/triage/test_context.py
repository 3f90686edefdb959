"""Context rules: a listed word in a name, a quotation, a report or counter-speech sets no floor."""

from __future__ import annotations

import pytest

from belowline.triage.context import Context
from belowline.triage.scorers.abuse import SUSPECT_FLOOR, score_abuse, word_floor
from belowline.triage.scorers.wordlists import score_words
from belowline.triage.wordlists import find_words


def _contexts(text: str) -> list[Context | None]:
    return [m.context for m in find_words(text)]


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("Dick Smith won the seat by forty votes.", Context.NAME),
        ("I read Moby Dick twice at school.", Context.NAME),
        ("Mr Dick told the inquiry he had no notes.", Context.NAME),
        ("What a cock-up by the council.", Context.PHRASE),
        ("I'm pissed off about the tax rise.", Context.PHRASE),
        ("He called her a bitch in front of the whole meeting.", Context.REPORTED),
        ("Calling people idiots is wrong, whatever their vote.", Context.REPORTED),
        ("Stop calling women sluts.", Context.REPORTED),
        ("The word 'moron' is not an argument.", Context.MENTIONED),
        ("Slurs like faggot are offensive.", Context.MENTIONED),
        ('She shouted "you stupid cow, you moron" and walked out.', Context.QUOTED),
        ("Name-calling like 'scum' is hateful and has no place here.", Context.QUOTED),
    ],
)
def test_innocent_contexts_are_recognised(text: str, context: Context) -> None:
    assert _contexts(text) == [context]
    assert word_floor(find_words(text)) == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "You are a dick.",
        "Dick, you are wrong.",
        "I call you an idiot.",
        "You idiot, it's not ok to post this.",
        "you're a moron, that is wrong",
        "Idiot Trudeau strikes again.",
        "They are scum.",
        "I hate faggots",
        "Stop being a bitch.",
    ],
)
def test_insults_stay_insults(text: str) -> None:
    assert _contexts(text) == [None]
    assert word_floor(find_words(text)) >= SUSPECT_FLOOR
    assert score_abuse(text, find_words(text)).score >= SUSPECT_FLOOR


def test_a_hit_in_context_is_still_listed_and_explained() -> None:
    words = score_words("Dick Smith won the seat.")
    assert words.suspect == ("dick",)
    assert words.score == 0.0
    assert words.reasons == ("Contains a suspect word: 'dick' — a name, not scored as abuse",)


def test_one_insult_beside_a_quotation_still_counts() -> None:
    text = 'He wrote "idiot" on the wall. You are a moron.'
    assert _contexts(text) == [Context.QUOTED, None]
    assert word_floor(find_words(text)) == SUSPECT_FLOOR
