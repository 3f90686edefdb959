"""Train Belowline's abuse model and report how well it does on held-out data.

    python scripts/train_abuse_model.py --data-dir PATH/TO/data [--out FILE] [--no-save]

Reads ``toxicity/davidson-labeled_data.csv`` (tweets: hate or offensive = abusive) and
``toxicity/wiki-cat-gn.csv`` + ``wiki-cat-gc.csv`` (Wikipedia talk comments, crowd label, with
Perspective API's score for each). Each source is split into train and test with a fixed seed,
stratified by label. The model is TF-IDF word (1-2) and char_wb (2-5) n-grams into a logistic
regression; each source's classes are weighted to balance *within the source*, so the model
cannot learn "looks like a tweet" as a proxy for "abusive" (most tweets here are abusive,
almost no Wikipedia comments are).

Prints ROC-AUC on each held-out split for our model, alt-profanity-check (caveat: it was
trained on these sources) and their average, with Perspective's ROC-AUC on the same Wikipedia
items; and the transfer figure of a model trained on tweets alone, scored on Wikipedia. Saves a
compact, scikit-learn-free model (see ``belowline.triage.linear``) to
``src/belowline/triage/models/abuse.json.gz``. Needs the ``train`` extra
(``pip install 'belowline[train]'``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from belowline.extras import require_train_extra

require_train_extra("scripts/train_abuse_model.py", ("sklearn", "scipy", "numpy"))

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from scipy.sparse import hstack  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from belowline.triage.linear import dump_model, from_sklearn  # noqa: E402
from belowline.triage.scorers.abuse import prepare, profanity_model  # noqa: E402

SEED = 20250115
C = 4.0
WORD_FEATURES = 40_000
CHAR_FEATURES = 60_000
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/belowline/triage/models/abuse.json.gz"


@dataclass(frozen=True)
class Item:
    text: str
    label: int
    source: str
    perspective: float | None = None


def _read(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load(data_dir: Path) -> dict[str, list[Item]]:
    """Items per source: ``davidson``, ``wiki-gn``, ``wiki-gc``."""
    tox = data_dir / "toxicity"
    davidson = [
        Item(row["tweet"], int(row["class"] in ("0", "1")), "davidson")
        for row in _read(tox / "davidson-labeled_data.csv")
    ]
    sets = {"davidson": davidson}
    for part in ("gn", "gc"):
        sets[f"wiki-{part}"] = [
            Item(row["text"], int(row["label"]), f"wiki-{part}", float(row["api"]))
            for row in _read(tox / f"wiki-cat-{part}.csv")
        ]
    return sets


def split(items: list[Item], test_size: float) -> tuple[list[Item], list[Item]]:
    labels = [i.label for i in items]
    train, test = train_test_split(items, test_size=test_size, random_state=SEED, stratify=labels)
    return list(train), list(test)


def balanced_weights(items: list[Item]) -> np.ndarray:
    """Weights making each source's two classes weigh the same, and each source the same."""
    weights = np.zeros(len(items))
    sources = sorted({i.source for i in items})
    for source in sources:
        for label in (0, 1):
            index = [k for k, i in enumerate(items) if i.source == source and i.label == label]
            if index:
                weights[index] = len(items) / (2 * len(sources) * len(index))
    return weights


def fit(items: list[Item]) -> tuple[list[TfidfVectorizer], LogisticRegression]:
    texts = [prepare(i.text) for i in items]
    vectorizers = [
        TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), min_df=2, max_features=WORD_FEATURES,
            sublinear_tf=True, dtype=np.float32,
        ),
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=3, max_features=CHAR_FEATURES,
            sublinear_tf=True, dtype=np.float32,
        ),
    ]  # fmt: skip
    matrix = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
    model = LogisticRegression(C=C, max_iter=2000, solver="liblinear")
    model.fit(matrix, [i.label for i in items], sample_weight=balanced_weights(items))
    return vectorizers, model


def predict(fitted: tuple[list[TfidfVectorizer], LogisticRegression], items: list[Item]) -> Any:
    vectorizers, model = fitted
    texts = [prepare(i.text) for i in items]
    matrix = hstack([v.transform(texts) for v in vectorizers]).tocsr()
    return model.predict_proba(matrix)[:, 1]


def auc(items: list[Item], scores: Any) -> str:
    labels = [i.label for i in items]
    return f"{roc_auc_score(labels, scores):.3f}"


def report(name: str, items: list[Item], ours: Any) -> dict[str, str]:
    profanity = profanity_model()
    prof = np.array([profanity.predict(prepare(i.text)) for i in items]) if profanity else ours
    combined = (np.asarray(ours) + prof) / 2
    figures = {
        "items": str(len(items)),
        "abusive": str(sum(i.label for i in items)),
        "ours": auc(items, ours),
        "profanity_check": auc(items, prof),
        "combined": auc(items, combined),
    }
    if all(i.perspective is not None for i in items):
        figures["perspective"] = auc(items, [i.perspective for i in items])
    print(f"{name:<28}" + "  ".join(f"{k}={v}" for k, v in figures.items()))  # noqa: T201
    return figures


def digest(data_dir: Path) -> dict[str, str]:
    names = ["davidson-labeled_data.csv", "wiki-cat-gn.csv", "wiki-cat-gc.csv"]
    return {
        n: hashlib.sha256((data_dir / "toxicity" / n).read_bytes()).hexdigest()[:16] for n in names
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)

    sets = load(args.data_dir)
    davidson_train, davidson_test = split(sets["davidson"], 0.2)
    wiki = sets["wiki-gn"] + sets["wiki-gc"]
    wiki_train, wiki_test = split(wiki, 0.4)

    print(f"ROC-AUC on held-out splits (seed {SEED})")  # noqa: T201
    fitted = fit(davidson_train + wiki_train)
    figures = {
        "davidson test": report(
            "davidson test (20%)", davidson_test, predict(fitted, davidson_test)
        ),
        "wiki test": report("wiki-cat test (40%)", wiki_test, predict(fitted, wiki_test)),
    }
    for part in ("gn", "gc"):
        items = [i for i in wiki_test if i.source == f"wiki-{part}"]
        figures[f"wiki-{part} test"] = report(
            f"  of which wiki-cat-{part}", items, predict(fitted, items)
        )

    print("Transfer: trained on tweets only, scored on all wiki-cat")  # noqa: T201
    tweets_only = fit(davidson_train)
    figures["transfer"] = report("davidson -> wiki-cat (all)", wiki, predict(tweets_only, wiki))

    if args.no_save:
        return 0
    final = fit(sets["davidson"] + wiki)  # ship a model trained on everything
    vectorizers, model = final
    compact = from_sklearn(
        vectorizers,
        model.coef_,
        model.intercept_,
        digits=5,
        meta={
            "trained_on": sorted(sets),
            "data_sha256": digest(args.data_dir),
            "held_out_figures": figures,
            "sklearn": sklearn.__version__,
            "seed": SEED,
            "C": C,
        },
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(dump_model(compact))
    size = args.out.stat().st_size
    print(f"saved {args.out.name}: {size / 1e6:.2f} MB")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
