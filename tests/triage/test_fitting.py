"""The pure-Python TF-IDF + logistic regression that a live site retrains with."""

from __future__ import annotations

import random

import pytest

from belowline.triage.fitting import fit_text_classifier, roc_auc
from belowline.triage.linear import dump_model, load_model

GOOD = [
    "the",
    "council",
    "budget",
    "bridge",
    "vote",
    "road",
    "school",
    "crossing",
    "mayor",
    "plan",
    "housing",
    "figures",
]
BAD = [
    "idiot",
    "moron",
    "stupid",
    "gammon",
    "muppet",
    "clown",
    "liar",
    "pathetic",
    "drivel",
    "rubbish",
]


def _corpus(n: int, seed: int) -> tuple[list[str], list[int]]:
    rng = random.Random(seed)
    texts, labels = [], []
    for _ in range(n):
        label = int(rng.random() < 0.3)
        words = [rng.choice(GOOD) for _ in range(rng.randint(4, 20))]
        if label:
            words += [rng.choice(BAD) for _ in range(rng.randint(1, 3))]
        elif rng.random() < 0.15:
            words.append(rng.choice(BAD))
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    return texts, labels


def test_roc_auc_counts_ties_as_half() -> None:
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    assert roc_auc([0, 1], [0.5, 0.5]) == 0.5
    assert roc_auc([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2]) == 1.0
    with pytest.raises(ValueError, match="both classes"):
        roc_auc([1, 1], [0.2, 0.3])


def test_roc_auc_matches_scikit_learn() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    rng = random.Random(5)
    labels = [rng.randint(0, 1) for _ in range(400)]
    scores = [round(rng.random() * (0.5 + y), 1) for y in labels]  # many ties
    assert roc_auc(labels, scores) == pytest.approx(metrics.roc_auc_score(labels, scores))


def test_a_fitted_model_ranks_unseen_comments() -> None:
    texts, labels = _corpus(240, seed=1)
    model = fit_text_classifier(texts, labels)
    test_texts, test_labels = _corpus(120, seed=2)
    scores = [model.predict(t) for t in test_texts]
    assert roc_auc(test_labels, scores) > 0.95
    ordinary = "the council vote on the bridge budget and the school road plan"
    assert model.predict("what a pathetic moron") > 0.5 > model.predict(ordinary)
    again = load_model(dump_model(model))
    assert again.predict("you clown") == model.predict("you clown")


@pytest.mark.parametrize("binary", [True, False])
def test_matches_scikit_learn_logistic_regression(binary: bool) -> None:
    pytest.importorskip("sklearn")
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts, labels = _corpus(200, seed=3)
    ours = fit_text_classifier(texts, labels, tol=1e-7, binary=binary, sublinear_tf=not binary)
    counting = {"binary": True} if binary else {"sublinear_tf": True}
    vectorizers = [
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, **counting),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, **counting),
    ]
    matrix = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
    sk = LogisticRegression(C=4.0, class_weight="balanced", max_iter=5000, tol=1e-7)
    sk.fit(matrix, labels)
    assert sum(len(p.table) for p in ours.parts) == matrix.shape[1]
    expected = sk.predict_proba(matrix)[:, 1]
    for text, want in zip(texts, expected, strict=True):
        assert ours.predict(text) == pytest.approx(float(want), abs=1e-3)


def test_needs_both_classes() -> None:
    with pytest.raises(ValueError, match="both classes"):
        fit_text_classifier(["a b", "c d"], [1, 1])


def test_a_site_model_counts_features_as_the_shipped_one_does() -> None:
    from belowline.triage.scorers.abuse import abuse_model

    texts, labels = _corpus(120, seed=4)
    model = fit_text_classifier(texts, labels)
    shipped = abuse_model()
    assert [p.binary for p in model.parts] == [p.binary for p in shipped.parts] == [True, True]
    # so its character block takes the cached per-word path, as the shipped model's does
    assert [p.words is not None for p in model.parts] == [False, True]
    restored = load_model(dump_model(model))
    assert restored.parts[1].words is not None
    assert restored.predict("a pathetic clown") == model.predict("a pathetic clown")
