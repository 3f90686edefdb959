"""One weight per WordPiece token: the split, the mean, and the model file."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from belowline.triage.linear import LinearTextModel, TfidfPart, dump_model, load_model
from belowline.triage.tokens import TokenWeights, pieces, words

VOCABULARY = {"[UNK]": -0.5, "un": 0.1, "##aff": 0.4, "##able": 0.2, "idiot": 2.0, "!": 0.3,
              "the": 0.0, "council": -1.0, "##s": 0.05, "_": 0.0}  # fmt: skip


def test_words_split_punctuation_as_bert_does() -> None:
    assert words("the council's vote, frankly!") == [
        "the", "council", "'", "s", "vote", ",", "frankly", "!",
    ]  # fmt: skip
    assert words("snake_case $500") == ["snake", "_", "case", "$", "500"]


def test_greedy_longest_match_first() -> None:
    assert pieces("unaffable", VOCABULARY) == ["un", "##aff", "##able"]
    assert pieces("councils", VOCABULARY) == ["council", "##s"]
    assert pieces("unknowable", VOCABULARY) == ["[UNK]"]  # no piece covers "##know..."
    assert pieces("x" * 101, VOCABULARY) == ["[UNK]"]


def test_a_text_weighs_the_mean_of_its_tokens() -> None:
    block = TokenWeights(VOCABULARY)
    # idiot, ! | un ##aff ##able | the, council, ##s
    assert block.decision("idiot!") == pytest.approx((2.0 + 0.3) / 2)
    assert block.decision("unaffable councils") == pytest.approx((0.1 + 0.4 + 0.2 - 1.0 + 0.05) / 5)
    assert block.decision("zzz") == pytest.approx(-0.5)  # unknown: the [UNK] weight
    assert block.decision("   ") == 0.0
    assert block.cache["unaffable"] == pytest.approx((0.7, 3))


def _model(tokens: TokenWeights | None) -> LinearTextModel:
    table = {"idiot": (2.0, 1.5), "council": (1.5, -0.5)}
    part = TfidfPart("word", (1, 1), table, binary=True)
    return LinearTextModel(parts=(part,), intercepts=(-0.25,), tokens=tokens)


def test_the_block_adds_to_the_decision_and_survives_the_model_file() -> None:
    plain, with_tokens = _model(None), _model(TokenWeights(VOCABULARY))
    for text in ("you idiot!", "the council", "unaffable"):
        logit = math.log(plain.predict(text) / (1 - plain.predict(text)))
        want = 1 / (1 + math.exp(-(logit + TokenWeights(VOCABULARY).decision(text))))
        assert with_tokens.predict(text) == pytest.approx(want, abs=1e-12)
        again = load_model(dump_model(with_tokens))
        assert again.predict(text) == pytest.approx(with_tokens.predict(text), abs=1e-12)
        first, second = with_tokens.predict_pair(text, "the council")
        assert first == pytest.approx(with_tokens.predict(text), abs=1e-12)
        assert second() == pytest.approx(with_tokens.predict("the council"), abs=1e-12)
    assert load_model(dump_model(plain)).tokens is None
    assert replace(with_tokens, tokens=None).predict("idiot") == plain.predict("idiot")
