"""Naming a group is not abuse on its own; quoting abuse to reject it is not abuse either.

These run the shipped model: they fail if a retrained model loses either property.
"""

from __future__ import annotations

import pytest

from belowline.triage.identity import names_a_group, neutralise
from belowline.triage.scorers.abuse import abuse_model, prepare, profanity_model, score_abuse

FLAG = 0.3  # the lowest abuse flag threshold of the default policy


@pytest.mark.parametrize(
    "text",
    [
        "Gay people are wonderful neighbours.",
        "Three Muslim women were elected to the council today.",
        "I am a black woman and I agree with the mayor.",
        "Immigrants are fantastic.",
    ],
)
def test_neutral_or_warm_mentions_of_a_group_are_not_flagged(text: str) -> None:
    assert score_abuse(text).score < FLAG


def test_the_neutral_reading_is_what_brings_a_warm_mention_down() -> None:
    text = "Gay people are wonderful neighbours."
    prepared = prepare(text)
    raw = (abuse_model().predict(prepared) + profanity_model().predict(prepared)) / 2
    result = score_abuse(text)
    assert result.score < raw
    assert result.reasons == ("Names a group, and nothing else in it reads as abusive",)


@pytest.mark.parametrize(
    "text", ["Gay people are disgusting perverts.", "Muslims are filthy scum, all of them."]
)
def test_hostility_towards_a_group_still_scores_high(text: str) -> None:
    assert score_abuse(text).score >= 0.4


def test_quoting_abuse_to_reject_it_is_scored_on_the_writers_words() -> None:
    text = 'I will not tolerate posts like "immigrants are absolutely despicable" here.'
    result = score_abuse(text)
    assert result.score < FLAG
    assert "scored on the writer's own words" in result.reasons[0]
    agreeing = 'Posts like "immigrants are absolutely despicable" say it well.'
    assert score_abuse(agreeing).score > result.score


def test_group_terms_are_whole_words() -> None:
    assert names_a_group("the muslim council")
    assert not names_a_group("a whitewash and a mangrove")
    assert neutralise("gay and trans readers") == "people and people readers"


def test_group_terms_are_found_among_the_model_tokens() -> None:
    from belowline.triage.identity import IDENTITY_TERMS, group_terms, neutralise

    # group_terms reads the models' tokens (runs of two or more word characters)
    assert min(len(t) for t in IDENTITY_TERMS) > 1
    text = "as a muslim-majority town, gay & straight men (women too) said: 'jews!' 42 x"
    assert group_terms(text) == {"muslim", "gay", "straight", "men", "women", "jews"}
    assert neutralise(text, group_terms(text)) == neutralise(text)
