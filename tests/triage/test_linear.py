"""The fast linear scorer gives scikit-learn's numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from belowline.triage.linear import LinearTextModel, char_wb_ngrams, from_sklearn, word_ngrams
from belowline.triage.scorers.abuse import abuse_model, prepare, profanity_model

TEXTS = st.text(alphabet=st.sampled_from(list("abcde xyz.,!'\t\nüé_1")), max_size=60)
CORPUS = [
    "you are an idiot", "what a lovely day", "idiot idiot go away", "thanks for the article",
    "this is stupid and you are stupid", "I agree with the council", "shut up fool",
    "good point, well made", "nobody likes you", "the budget is sensible",
]  # fmt: skip
LABELS = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0]


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, low=st.integers(1, 2), extra=st.integers(0, 3))
def test_analyzers_match_sklearn(text: str, low: int, extra: int) -> None:
    text = text.lower()
    high = low + extra
    word = TfidfVectorizer(analyzer="word", ngram_range=(low, high)).build_analyzer()
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(low, high)).build_analyzer()
    assert sorted(word(text)) == sorted(word_ngrams(text, (low, high)))
    assert sorted(char(text)) == sorted(char_wb_ngrams(text, (low, high)))


@pytest.mark.parametrize("sublinear", [False, True])
def test_from_sklearn_matches_predict_proba(sublinear: bool) -> None:
    from scipy.sparse import hstack

    vectorizers = [
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=sublinear),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=sublinear),
    ]
    matrix = hstack([v.fit_transform(CORPUS) for v in vectorizers]).tocsr()
    model = LogisticRegression(C=5).fit(matrix, LABELS)
    fast = from_sklearn(vectorizers, model.coef_, model.intercept_, digits=12)
    probe = ["you idiot idiot", "a sensible budget, thanks", "", "zzz"]
    expected = model.predict_proba(hstack([v.transform(probe) for v in vectorizers]))[:, 1]
    for text, want in zip(probe, expected, strict=True):
        assert fast.predict(text) == pytest.approx(want, abs=1e-9)
    restored = LinearTextModel.from_state(fast.to_state())
    assert restored.predict(probe[0]) == pytest.approx(fast.predict(probe[0]))


def _word_mean(vectorizer: TfidfVectorizer, texts: list[str]) -> object:
    """The mean of each text's distinct words' rows, built by hand (not the training script)."""
    from scipy.sparse import vstack

    rows = []
    for text in texts:
        words = sorted(set(text.lower().split()))
        if words:
            rows.append(vectorizer.transform(words).sum(axis=0) / len(words))
        else:
            rows.append(vectorizer.transform([""]) * 0)
    from scipy.sparse import csr_matrix

    return vstack([csr_matrix(r) for r in rows])


def test_binary_and_word_mean_blocks_match_predict_proba() -> None:
    from scipy.sparse import hstack

    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), binary=True).fit(CORPUS)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), binary=True).fit(CORPUS)
    char.word_mean_ = True  # type: ignore[attr-defined]
    matrix = hstack([word.transform(CORPUS), _word_mean(char, CORPUS)]).tocsr()
    model = LogisticRegression(C=5).fit(matrix, LABELS)
    fast = from_sklearn([word, char], model.coef_, model.intercept_, digits=12)
    assert [p.word_mean for p in fast.parts] == [False, True]
    probe = ["you idiot idiot", "a sensible budget,  thanks\n you", "", "zzz", "idiot"]
    expected = model.predict_proba(
        hstack([word.transform(probe), _word_mean(char, probe)]).tocsr()
    )[:, 1]
    for text, want in zip(probe, expected, strict=True):
        assert fast.predict(text) == pytest.approx(want, abs=1e-9)
        assert fast.predict(text) == fast.predict(text)  # the cached words score the same
    restored = LinearTextModel.from_state(fast.to_state())
    assert restored.parts[1].word_mean and restored.parts[0].binary
    assert restored.predict(probe[1]) == pytest.approx(fast.predict(probe[1]), abs=1e-12)


@pytest.mark.parametrize("binary", [False, True])
def test_from_sklearn_calibrated_heads(binary: bool) -> None:
    from sklearn.calibration import CalibratedClassifierCV

    vectorizer = TfidfVectorizer(binary=binary)
    matrix = vectorizer.fit_transform(CORPUS * 3)
    model = CalibratedClassifierCV(LinearSVC(), cv=3).fit(matrix, LABELS * 3)
    heads = model.calibrated_classifiers_
    fast = from_sklearn(
        [vectorizer],
        [h.estimator.coef_[0] for h in heads],
        [h.estimator.intercept_[0] for h in heads],
        calibration=[(h.calibrators[0].a_, h.calibrators[0].b_) for h in heads],
        digits=12,
    )
    probe = ["you idiot", "lovely article"]
    expected = model.predict_proba(vectorizer.transform(probe))[:, 1]
    for text, want in zip(probe, expected, strict=True):
        assert fast.predict(text) == pytest.approx(want, abs=1e-9)


def test_profanity_model_matches_profanity_check() -> None:
    from profanity_check import predict_prob

    fast = profanity_model()
    assert fast is not None
    texts = ["you are a fucking idiot", "a lovely article about the council", "Go to hell!!"]
    for text, want in zip(texts, predict_prob(texts), strict=True):
        assert fast.predict(text.lower()) == pytest.approx(float(want), abs=1e-9)


def test_shipped_abuse_model_records_its_training() -> None:
    meta = abuse_model().meta
    assert {"wiki-gc", "davidson", "implicit-hate", "civil-spans"} <= set(meta["trained_on"])
    assert not {"ucc", "stormfront", "hatecheck", "madlibs"} & set(meta["trained_on"])


def test_prepare_drops_tweet_furniture_and_folds() -> None:
    assert prepare("RT @someone: Ｈｅｌｌｏ &amp; https://t.co/x").split() == ["hello", "&"]
