"""Readers for the public labelled sets in ``../shared/data`` (see its ``SOURCES.md``).

One function per set, each returning ``Item``s with a binary abuse label, so the training
script and the evaluation read the data the same way. ``SHIPPABLE`` names the sets whose
licence allows a model the product ships to learn from them; the rest are for measuring only.
"""

from __future__ import annotations

import csv
import random
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MEASURE_ONLY",
    "READERS",
    "SHIPPABLE",
    "Item",
    "hatecheck",
    "madlibs",
    "read",
]

# UCC's attributes counted as abusive (incivility without profanity is most of them).
UCC_ABUSIVE = ("hostile", "antagonize", "condescending", "dismissive", "generalisation_unfair")


@dataclass(frozen=True)
class Item:
    text: str
    label: int
    source: str
    extra: str = ""  # Perspective's score, a functionality, an identity term...


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def davidson(data: Path) -> list[Item]:
    """Tweets: hate or offensive (classes 0 and 1) = abusive. MIT."""
    rows = _rows(data / "toxicity/davidson-labeled_data.csv")
    return [Item(r["tweet"], int(r["class"] in ("0", "1")), "davidson") for r in rows]


def wiki(data: Path) -> list[Item]:
    """Wikipedia talk comments, crowd label, Perspective's score in ``extra``. Apache-2.0."""
    items = []
    for part in ("gn", "gc"):
        for r in _rows(data / f"toxicity/wiki-cat-{part}.csv"):
            items.append(Item(r["text"], int(r["label"]), f"wiki-{part}", r["api"]))
    return items


def implicit_hate(data: Path) -> list[Item]:
    """Implicit and explicit hate = abusive. CC BY 4.0."""
    rows = _rows(data / "abuse/implicit_hate_v1_stg1_posts.tsv", "\t")
    return [Item(r["post"], int(r["class"] != "not_hate"), "implicit-hate") for r in rows]


def toxigen(data: Path) -> list[Item]:
    """ToxiGen's human-written seed statements about 16 groups. MIT."""
    rows = _rows(data / "abuse/toxigen_prompt_sentences.csv")
    return [Item(r["text"], int(r["label"] == "hate"), "toxigen", r["target_group"]) for r in rows]


def olid_train(data: Path) -> list[Item]:
    """OLID training tweets, offensive = abusive. CC BY 4.0."""
    rows = _rows(data / "abuse/olid-training-v1.0.tsv", "\t")
    return [Item(r["tweet"], int(r["subtask_a"] == "OFF"), "olid") for r in rows]


def olid_test(data: Path) -> list[Item]:
    """OLID's official test set (level A). CC BY 4.0."""
    labels = {r["id"]: r["label"] for r in _rows(data / "abuse/labels-levela.csv")}
    rows = _rows(data / "abuse/testset-levela.tsv", "\t")
    return [Item(r["tweet"], int(labels[r["id"]] == "OFF"), "olid-test") for r in rows]


def ruddit(data: Path) -> list[Item]:
    """Reddit comments with graded offensiveness: > 0.2 abusive, < 0 not; the middle dropped."""
    items = []
    for r in _rows(data / "abuse/ruddit_with_text.csv"):
        text, score = r["txt"], float(r["offensiveness_score"] or 0)
        if text in ("[deleted]", "[removed]") or 0 <= score <= 0.2:
            continue
        items.append(Item(text, int(score > 0.2), "ruddit"))
    return items


def convabuse(data: Path) -> list[Item]:
    """Users' turns to chatbots; abusive if most annotators rated it below 0. CC BY 4.0."""
    votes: dict[str, list[int]] = defaultdict(list)
    for r in _rows(data / "abuse/convabuse.csv", ";"):
        text, rating = r.get("Input.user") or "", r.get("is_abuse") or ""
        if text.strip() and rating:
            votes[text].append(int(rating) < 0)
    return [Item(t, int(sum(v) * 2 > len(v)), "convabuse") for t, v in votes.items()]


def civil_spans(data: Path) -> list[Item]:
    """News comments (Civil Comments) re-rated: majority "not toxic" = negative. CC0."""
    votes: dict[str, list[bool]] = defaultdict(list)
    for r in _rows(data / "news/civil-toxic-spans-annotations.csv"):
        votes[r["comment_id"]].append(r["not toxic"] == "True")
    items = []
    for r in _rows(data / "news/civil-toxic-spans-comments.csv"):
        v = votes.get(r["comment_id"])
        if v:
            items.append(Item(r["comment_text"], int(sum(v) * 2 <= len(v)), "civil-spans"))
    return items


def ucc(data: Path) -> list[Item]:
    """Globe and Mail comments: any of ``UCC_ABUSIVE`` = abusive. CC BY-NC-SA: measuring only."""
    items = []
    for part in ("val", "test"):
        for r in _rows(data / f"news/ucc-{part}.csv"):
            bad = any(float(r[c] or 0) >= 0.5 for c in UCC_ABUSIVE)
            items.append(Item(r["comment"], int(bad), f"ucc-{part}"))
    return items


def stormfront(data: Path) -> list[Item]:
    """White-supremacist forum sentences, hate / noHate. CC BY-SA: measured, not shipped."""
    rows = _rows(data / "abuse/stormfront_with_text.csv")
    return [
        Item(r["text"], int(r["label"] == "hate"), "stormfront")
        for r in rows
        if r["label"] in ("hate", "noHate")
    ]


def hatecheck(data: Path) -> list[Item]:
    """HateCheck's functional tests; the functionality in ``extra``. CC BY 4.0, measuring."""
    rows = _rows(data / "bias/hatecheck-cases.csv")
    return [
        Item(r["test_case"], int(r["label_gold"] == "hateful"), "hatecheck", r["functionality"])
        for r in rows
    ]


def per_functionality(items: list[Item], per: int, seed: int) -> list[Item]:
    """A repeatable sample of up to ``per`` cases of each HateCheck functionality."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable sample
    by_case: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_case[item.extra].append(item)
    return [i for rows in by_case.values() for i in rng.sample(rows, min(per, len(rows)))]


def madlibs(data: Path) -> list[Item]:
    """Identity-term templates (Dixon et al.); the template in ``extra``. Measuring only."""
    rows = _rows(data / "bias/bias_madlibs_77k.csv")
    return [Item(r["Text"], int(r["Label"] == "BAD"), "madlibs", r["Template"]) for r in rows]


def nonfuzzed(data: Path) -> list[Item]:
    """Real Wikipedia comments from the bias suite (toxic / not). Measuring only."""
    rows = _rows(data / "bias/toxicity_nonfuzzed_testset.csv")
    return [Item(r["comment"], int(r["toxic"] == "True"), "nonfuzzed") for r in rows]


READERS: dict[str, Callable[[Path], list[Item]]] = {
    "davidson": davidson,
    "wiki": wiki,
    "implicit-hate": implicit_hate,
    "toxigen": toxigen,
    "olid": olid_train,
    "ruddit": ruddit,
    "convabuse": convabuse,
    "civil-spans": civil_spans,
    "olid-test": olid_test,
    "ucc": ucc,
    "stormfront": stormfront,
    "hatecheck": hatecheck,
    "madlibs": madlibs,
    "nonfuzzed": nonfuzzed,
}
# Licences allowing a shipped model (MIT, Apache-2.0, CC BY 4.0, CC0). Stormfront's CC BY-SA
# would carry its share-alike terms into the weights, so it is measured, not learnt from.
SHIPPABLE = (
    "davidson",
    "wiki",
    "implicit-hate",
    "toxigen",
    "olid",
    "ruddit",
    "convabuse",
    "civil-spans",
)
MEASURE_ONLY = ("ucc", "stormfront", "olid-test", "hatecheck", "madlibs", "nonfuzzed")


def read(data: Path, name: str) -> list[Item]:
    """The items of one set by name (a key of ``READERS``)."""
    return READERS[name](data)
