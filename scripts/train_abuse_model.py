"""Train Belowline's shipped abuse model on a broad, licence-compatible mix of labelled sets.

    python scripts/train_abuse_model.py --data-dir PATH/TO/data [--out FILE] [--cap 9000]

Learns from the sets in ``eval/sets.py``'s ``SHIPPABLE`` (MIT, Apache-2.0, CC BY 4.0, CC0:
tweets, Wikipedia talk, implicit hate, ToxiGen's human-written statements, OLID, Ruddit,
ConvAbuse, Civil Comments toxic spans) plus neutral identity mentions written for this script
(below), so that naming a group is not itself a sign of abuse. Never learns from UCC
(non-commercial), Stormfront (share-alike), HateCheck or the identity templates (the bias
suites we measure on). Each source is capped at ``--cap`` items (stratified) to keep the fit
to a few minutes, and weighted so that its two classes weigh the same and every source weighs
the same: "reads like a tweet" cannot stand in for "abusive".

Features: TF-IDF word 1-2-grams (negation and counter-speech live in pairs such as "not all",
"stop blaming") and character 2-5-grams within words (disguises, inflections), into a logistic
regression. Saved as plain weights (see ``belowline.triage.linear``) with a few texts and
scikit-learn's probabilities for them in ``meta["checks"]``, which the tests compare with the
plain-Python scorer. ``eval/evaluate.py`` refits this recipe without each reported set.
Needs the ``train`` extra (``pip install 'belowline[train]'``).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from belowline.extras import require_train_extra

require_train_extra("scripts/train_abuse_model.py", ("sklearn", "scipy", "numpy"))

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from scipy.sparse import csr_matrix, hstack  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from belowline.triage.linear import LinearTextModel, dump_model, from_sklearn  # noqa: E402
from belowline.triage.scorers.abuse import prepare  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))
import sets  # noqa: E402
from sets import Item  # noqa: E402

SEED = 20261201
C = 2.0
CAP = 9000
WORD_FEATURES = 50_000
CHAR_FEATURES = 60_000
DEFAULT_OUT = ROOT / "src/belowline/triage/models/abuse.json.gz"

# Neutral mentions of groups, in the voice of news comments. Written for this script (not
# taken from HateCheck or the identity templates we measure on).
IDENTITIES = (
    "muslim", "jewish", "christian", "catholic", "hindu", "sikh", "buddhist", "atheist",
    "black", "white", "asian", "chinese", "indian", "african", "mexican", "arab", "latino",
    "gay", "lesbian", "bisexual", "trans", "transgender", "queer", "immigrant", "refugee",
    "indigenous", "polish", "irish", "canadian", "american", "disabled", "deaf", "elderly",
    "young", "female", "male", "feminist", "conservative", "liberal",
)  # fmt: skip
NEUTRAL = (
    "As a {t} reader I think the council got this one right.",
    "My neighbours are {t} and they came to the meeting as well.",
    "The article quotes two {t} residents who support the new bus route.",
    "{T} voters are split on this issue like everyone else.",
    "Being {t} has nothing to do with whether the budget adds up.",
    "I grew up in a {t} family and we always read this paper.",
    "The school has {t} teachers and pupils, and nobody minds.",
    "Blaming {t} people for the housing shortage is simply wrong.",
    "Not all {t} people think alike, and neither does anyone else.",
    "Comments attacking {t} people have no place here.",
    "Saying {t} people are the problem is prejudice, plain and simple.",
    "There were {t} and non-{t} speakers at the rally on Saturday.",
    "Her {t} background is not relevant to the planning decision.",
    "I am {t} and I still disagree with the columnist.",
)


# Groups as news comments name them, for the paired sentences below.
GROUPS = (
    "muslims", "jews", "christians", "hindus", "black people", "white people", "asians",
    "mexicans", "arabs", "gay people", "lesbians", "trans people", "immigrants", "refugees",
    "women", "disabled people", "indigenous people", "the polish", "feminists", "old people",
)  # fmt: skip
# Hostility towards a group in clean words (abusive), each paired below with the same words
# negated, quoted to reject them, or reported to condemn them (not abusive), so the model
# must learn what "not", "calling ... is" and quotation do to the same words. Written for this
# script in the voice of news comments (not taken from HateCheck or any set we measure on).
HOSTILE = (
    "{G} are ruining this country and everyone knows it.",
    "Get {g} out of our towns, they are a plague.",
    "{G} are filthy animals and should be treated like it.",
    "I can't stand {g}, they are all liars and criminals.",
    "We would be better off if {g} just disappeared.",
    "{G} do not belong in our neighbourhoods.",
    "Never trust {g}, they are born cheats.",
    "{G} are parasites living off the rest of us.",
    "I hate {g} and I am not ashamed to say it.",
    "{G} should be kept away from our schools.",
)
COUNTERED = (
    "{G} are not ruining this country, bad policy is.",
    "Nobody should claim {g} are a plague; that is hateful nonsense.",
    "It is disgusting to call {g} filthy animals.",
    "I'm tired of commenters who say {g} are all liars and criminals.",
    'Someone wrote "we would be better off without {g}" and was rightly banned.',
    "{G} belong in our neighbourhoods as much as anyone else does.",
    "Saying never trust {g} is plain bigotry and the paper should delete it.",
    "Calling {g} parasites says more about the writer than about them.",
    "I don't hate {g}, and I don't understand anyone who does.",
    "Keeping {g} away from schools? No. That idea has no place here.",
    "There is nothing wrong with being one of the {g} in this town.",
    "Hating {g} is not an opinion, it is prejudice.",
    '"{G} are parasites" is the kind of line that got the last troll banned.',
    "No one deserves abuse for being one of the {g}, full stop.",
)


def augmented() -> list[Item]:
    """Neutral mentions naming a group, and hostile lines with their negated twins."""
    neutral = [
        Item(frame.format(t=term, T=term.capitalize()), 0, "identity-neutral")
        for term in IDENTITIES
        for frame in NEUTRAL
    ]
    pairs = [
        Item(frame.format(g=group, G=group[0].upper() + group[1:]), label, "pairs-identity")
        for label, frames in ((1, HOSTILE), (0, COUNTERED))
        for frame in frames
        for group in GROUPS
    ]
    return neutral + pairs


def cap(items: list[Item], limit: int, seed: int = SEED) -> list[Item]:
    """At most ``limit`` items, keeping the source's share of each class."""
    if len(items) <= limit:
        return items
    rng = random.Random(seed)  # noqa: S311 - a repeatable sample, not a secret
    out: list[Item] = []
    for label in (0, 1):
        group = [i for i in items if i.label == label]
        share = round(limit * len(group) / len(items))
        out += rng.sample(group, min(len(group), share))
    return out


def training_items(data: Path, *, exclude: Sequence[str] = (), limit: int = CAP) -> list[Item]:
    """The shipped mix, without the sets in ``exclude`` (to report on them honestly)."""
    items: list[Item] = []
    for name in sets.SHIPPABLE:
        if name not in exclude:
            items += cap(sets.read(data, name), limit)
    return items + augmented()


def balanced_weights(items: Sequence[Item]) -> np.ndarray:
    """Each source's two classes weigh the same, and each source weighs the same."""
    weights = np.zeros(len(items))
    sources = sorted({i.source.split("-")[0] for i in items})
    index: dict[tuple[str, int], list[int]] = {}
    for k, item in enumerate(items):
        index.setdefault((item.source.split("-")[0], item.label), []).append(k)
    for rows in index.values():  # a one-class source (the neutral mentions) weighs half
        weights[rows] = len(items) / (2 * len(sources) * len(rows))
    return weights


def word_mean(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> Any:
    """Each text's mean of its distinct words' l2-normalised n-gram vectors (``word_mean``).

    The serving side (``TfidfPart.word_mean``) caches each word's score, so a comment costs one
    lookup per distinct word rather than one per n-gram.
    """
    splits = [set(t.lower().split()) for t in texts]
    vocabulary = sorted(set().union(*splits))
    index = {w: k for k, w in enumerate(vocabulary)}
    rows, cols, vals = [], [], []
    for d, words in enumerate(splits):
        for w in words:
            rows.append(d)
            cols.append(index[w])
            vals.append(1.0 / len(words))
    mean = csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocabulary)), dtype=np.float32)
    return mean @ vectorizer.transform(vocabulary)


def _features(
    vectorizers: Sequence[TfidfVectorizer], texts: Sequence[str], static: Any = None
) -> Any:
    blocks = [
        word_mean(v, texts) if getattr(v, "word_mean_", False) else v.transform(texts)
        for v in vectorizers
    ]
    if static is not None:  # the mean static token vector, a dense block (see --static)
        blocks.append(csr_matrix(static.transform(texts)))
    return hstack(blocks).tocsr()


Fitted = tuple[list[TfidfVectorizer], LogisticRegression, Any]


def fit(items: Sequence[Item], static: Any = None) -> Fitted:
    texts = [prepare(i.text) for i in items]
    vectorizers = [
        TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), min_df=3, max_features=WORD_FEATURES,
            binary=True, dtype=np.float32,
        ),
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=5, max_features=CHAR_FEATURES,
            binary=True, dtype=np.float32,
        ),
    ]  # fmt: skip
    # vectorizers[1].word_mean_ = True scores the character block word by word: faster (p99
    # 2.7 against 5.1 ms) but a group name then weighs more in a short sentence (BPSN for
    # "gay" 0.90 -> 0.72), so the shipped model keeps the whole-text block.
    for v in vectorizers:
        v.fit(texts)
    if static is not None:
        static.fit(texts)
    matrix = _features(vectorizers, texts, static)
    model = LogisticRegression(C=C, max_iter=3000, solver="liblinear")
    model.fit(matrix, [i.label for i in items], sample_weight=balanced_weights(items))
    return vectorizers, model, static


def predict(fitted: Fitted, texts: list[str]) -> Any:
    vectorizers, model, static = fitted
    prepared = [prepare(t) for t in texts]
    matrix = _features(vectorizers, prepared, static)
    return model.predict_proba(matrix)[:, 1]


CHECK_TEXTS = (
    "Thanks, a careful and fair piece about the council budget.",
    "You are a pathetic idiot and everyone here knows it.",
    "Muslims are not welcome in this country, send them all back.",
    "As a Muslim I think the article is fair.",
    "People like you should be locked up, you traitorous scum.",
    "I do not agree with the mayor, but the plan has some merit.",
)


def train_model(
    data: Path,
    *,
    exclude: Sequence[str] = (),
    limit: int = CAP,
    digits: int = 5,
    extra_meta: dict[str, Any] | None = None,
    static: Any = None,
) -> LinearTextModel:
    """Fit the recipe and convert it to plain weights, with sklearn's scores for a few texts.

    ``static`` (a ``train_static_tokens.StaticFeatures``) adds the static-embedding block,
    collapsed to one weight per WordPiece token.
    """
    items = training_items(data, exclude=exclude, limit=limit)
    fitted = fit(items, static)
    vectorizers, model, _ = fitted
    checks = [
        [t, float(p)] for t, p in zip(CHECK_TEXTS, predict(fitted, list(CHECK_TEXTS)), strict=True)
    ]
    counts: dict[str, list[int]] = {}
    for item in items:
        counts.setdefault(item.source, [0, 0])[item.label] += 1
    width = sum(len(v.vocabulary_) for v in vectorizers)
    converted = from_sklearn(
        vectorizers,
        model.coef_[:, :width],
        model.intercept_,
        digits=digits,
        meta={
            "trained_on": sorted(counts),
            "items": {k: {"clean": v[0], "abusive": v[1]} for k, v in sorted(counts.items())},
            "excluded": sorted(exclude),
            "cap": limit,
            "sklearn": sklearn.__version__,
            "seed": SEED,
            "C": C,
            "checks": checks,
            **({} if static is None else {"static_scale": static.scale}),
            **(extra_meta or {}),
        },
    )
    if static is None:
        return converted
    return replace(converted, tokens=static.collapse(model.coef_[0, width:], digits + 2))


def digest(data: Path) -> dict[str, str]:
    """Short hashes of the files read, so a model says which data it was built from."""
    files = [
        *sorted((data / "abuse").glob("*.*sv")),
        data / "toxicity/davidson-labeled_data.csv",
        data / "news/civil-toxic-spans-comments.csv",
    ]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:16] for p in files}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--cap", type=int, default=CAP)
    parser.add_argument(
        "--static", type=Path, help="static token vectors (scripts/train_static_tokens.py)"
    )
    parser.add_argument("--static-boost", type=float, default=1.0, help="the block's row length")
    args = parser.parse_args(argv)
    static = None
    if args.static:
        from train_static_tokens import StaticFeatures

        static = StaticFeatures(args.static, args.static_boost)
    model = train_model(
        args.data_dir,
        limit=args.cap,
        extra_meta={"data_sha256": digest(args.data_dir)},
        static=static,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(dump_model(model))
    print(f"trained on {model.meta['items']}")  # noqa: T201
    print(f"saved {args.out.name}: {args.out.stat().st_size / 1e6:.2f} MB")  # noqa: T201
    print("held-out figures: python eval/evaluate.py --data-dir DATA")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
