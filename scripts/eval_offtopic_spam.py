"""Measure the off-topic and spam scorers on public labelled data.

    python scripts/eval_offtopic_spam.py --data-dir PATH/TO/data

Off-topic: Wikipedia talk-page replies (``toxicity/wiki-cat-gc.csv``) scored against the
comment they answer (on topic) and against another thread's comment drawn at random (off
topic), with that comment passed as the "article". A proxy: talk-page threads are not news
articles, and a random other thread is an easy negative.

Spam: the YouTube comments (``spam/*.csv``) scored by the rule-based spam scorer (text only:
no author history or timings are available), per video and overall; and, for comparison, a
TF-IDF + logistic regression model trained leave-one-video-out.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

from belowline.extras import require_train_extra

require_train_extra("scripts/eval_offtopic_spam.py", ("sklearn", "numpy"))

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import precision_score, recall_score, roc_auc_score  # noqa: E402

from belowline.triage.scorers.offtopic import score_off_topic  # noqa: E402
from belowline.triage.scorers.spam import score_spam  # noqa: E402

SEED = 7
THRESHOLD = 0.5


def _rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def off_topic(data_dir: Path) -> None:
    rng = random.Random(SEED)  # noqa: S311 - reproducible sampling, not security
    rows = [r for r in _rows(data_dir / "toxicity" / "wiki-cat-gc.csv") if r["parent"].strip()]
    parents = [r["parent"] for r in rows]
    labels: list[int] = []
    scores: list[float] = []
    for row in rows:
        other = rng.choice(parents)
        while other == row["parent"]:
            other = rng.choice(parents)
        for label, context in ((0, row["parent"]), (1, other)):
            result = score_off_topic(row["text"], article=context)
            labels.append(label)
            scores.append(result.score if result.score is not None else 0.0)
    predicted = [int(s >= THRESHOLD) for s in scores]
    print(  # noqa: T201
        f"off-topic  wiki-cat-gc replies, {len(rows)} own-parent vs {len(rows)} random-parent: "
        f"ROC-AUC={roc_auc_score(labels, scores):.3f} "
        f"precision@{THRESHOLD}={precision_score(labels, predicted):.3f} "
        f"recall@{THRESHOLD}={recall_score(labels, predicted):.3f}"
    )


def spam(data_dir: Path) -> None:
    videos = {
        path.stem: [(r["CONTENT"], int(r["CLASS"])) for r in _rows(path)]
        for path in sorted((data_dir / "spam").glob("*.csv"))
    }
    all_labels: list[int] = []
    rule_scores: list[float] = []
    model_scores: list[float] = []
    for name, items in videos.items():
        texts = [t for t, _ in items]
        labels = [y for _, y in items]
        rules = [score_spam(t).score for t in texts]
        train = [pair for other, rows in videos.items() if other != name for pair in rows]
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        matrix = vectorizer.fit_transform([t.lower() for t, _ in train])
        model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        model.fit(matrix, [y for _, y in train])
        learnt = model.predict_proba(vectorizer.transform([t.lower() for t in texts]))[:, 1]
        print(  # noqa: T201
            f"spam       {name:<22} items={len(items):4d} spam={sum(labels):3d} "
            f"rules ROC-AUC={roc_auc_score(labels, rules):.3f}  "
            f"model (trained on the other videos) ROC-AUC={roc_auc_score(labels, learnt):.3f}"
        )
        all_labels += labels
        rule_scores += rules
        model_scores += list(learnt)
    predicted = [int(s >= THRESHOLD) for s in rule_scores]
    combined = np.maximum(np.asarray(rule_scores), np.asarray(model_scores))
    print(  # noqa: T201
        f"spam       all videos: rules ROC-AUC={roc_auc_score(all_labels, rule_scores):.3f} "
        f"precision@{THRESHOLD}={precision_score(all_labels, predicted):.3f} "
        f"recall@{THRESHOLD}={recall_score(all_labels, predicted):.3f}; "
        f"leave-one-video-out model ROC-AUC={roc_auc_score(all_labels, model_scores):.3f}; "
        f"max(rules, model) ROC-AUC={roc_auc_score(all_labels, combined):.3f}"
    )


def spam_on_wikipedia(data_dir: Path) -> None:
    """Share of ordinary Wikipedia talk comments each spam scorer would flag."""
    videos = [r for path in sorted((data_dir / "spam").glob("*.csv")) for r in _rows(path)]
    wiki = [r["text"] for r in _rows(data_dir / "toxicity" / "wiki-cat-gn.csv")]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    matrix = vectorizer.fit_transform([r["CONTENT"].lower() for r in videos])
    model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
    model.fit(matrix, [int(r["CLASS"]) for r in videos])
    learnt = model.predict_proba(vectorizer.transform([t.lower() for t in wiki]))[:, 1]
    rules = np.asarray([score_spam(t).score for t in wiki])
    print(  # noqa: T201
        f"spam       wiki-cat-gn ({len(wiki)} talk comments, none spam) flagged at >= {THRESHOLD}: "
        f"rules {np.mean(rules >= THRESHOLD):.1%}, YouTube-trained model "
        f"{np.mean(learnt >= THRESHOLD):.1%}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    off_topic(args.data_dir)
    spam(args.data_dir)
    spam_on_wikipedia(args.data_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
