"""The fast tier's faster path gives the scores the plain one did, to within 1e-9.

``fixtures/fast_path_scores.json.gz`` holds, for about 4,300 real comments from the labelled
sets in ``../shared/data`` (news comments, Wikipedia talk, tweets, HateCheck cases, YouTube
comments; about 100 of them 600 characters or longer), the abuse scorer's and the pipeline's
outputs as the code before the fast path computed them (commit e8b063d, ``python
tests/triage/test_fast_path.py --record OUT`` run there). Comments are keyed by a hash of
their text: no text is copied into the repository. Without the data the recorded test
skips; the reference-implementation tests below need no data and always run.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import math
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from belowline.triage.linear import LinearTextModel, TfidfPart
from belowline.triage.pipeline import score_comment
from belowline.triage.scorers.abuse import abuse_model, score_abuse
from belowline.triage.scorers.wordlists import score_words

FIXTURE = Path(__file__).parent / "fixtures" / "fast_path_scores.json.gz"
DATA = Path(os.environ.get("BELOWLINE_EVAL_DATA", Path(__file__).parents[3] / "shared" / "data"))
# (file, text column, one comment in ``mod`` is drawn by its hash; long ones one in three)
FILES = (
    ("news/civil-toxic-spans-comments.csv", "comment_text", 12),
    ("news/ucc-val.csv", "comment", 6),
    ("news/ucc-test.csv", "comment", 6),
    ("toxicity/wiki-cat-gc.csv", "text", 20),
    ("toxicity/davidson-labeled_data.csv", "tweet", 80),
    ("bias/hatecheck-cases.csv", "test_case", 8),
    ("spam/Youtube04-Eminem.csv", "CONTENT", 2),
)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _digest(reasons: tuple[str, ...]) -> str:
    return hashlib.sha256("\n".join(reasons).encode("utf-8")).hexdigest()[:10]


def drawn(data: Path) -> Iterator[tuple[str, str, str | None]]:
    """(key, text, article): each drawn comment, with the one drawn before it as its article."""
    csv.field_size_limit(sys.maxsize)
    for name, column, mod in FILES:
        with (data / name).open(newline="", encoding="utf-8") as handle:
            texts = [row[column] for row in csv.DictReader(handle)]
        seen: set[str] = set()
        article = None
        for text in texts:
            key = _key(text)
            draw = int(key[:8], 16)
            if key not in seen and (draw % mod == 0 or (len(text) >= 1000 and draw % 3 == 0)):
                seen.add(key)
                yield key, text, article
                article = text


def outputs(text: str, article: str | None) -> list[Any]:
    """What is compared: the abuse scorer's figures and the whole pipeline's."""
    abuse = score_abuse(text, score_words(text).matches)
    result = score_comment(text, article=article)
    return [
        abuse.score, abuse.model, abuse.profanity, _digest(abuse.reasons),
        result.abuse, result.off_topic, result.spam, _digest(result.reasons),
    ]  # fmt: skip


@pytest.mark.skipif(not (DATA / "news").is_dir(), reason="needs the labelled sets")
def test_real_comments_score_as_before() -> None:
    recorded: dict[str, list[Any]] = json.loads(gzip.decompress(FIXTURE.read_bytes()))
    compared = 0
    for key, text, article in drawn(DATA):
        want, got = recorded[key], outputs(text, article)
        for k in (0, 1, 2, 4, 6):
            assert got[k] == pytest.approx(want[k], abs=1e-9), (key, k)
        assert (got[5] is None) == (want[5] is None)
        if want[5] is not None:
            assert got[5] == pytest.approx(want[5], abs=1e-9)
        assert (got[3], got[7]) == (want[3], want[7]), key  # the same reasons, word for word
        compared += 1
    assert compared == len(recorded) > 4000


def reference(model: LinearTextModel, text: str) -> float:
    """The model's probability computed the plain way: every n-gram, exact sums, no caches."""
    total = model.intercepts[0]
    for part in model.parts:
        counts: dict[str, int] = {}
        for gram in part.ngrams(text):
            if gram in part.table:
                counts[gram] = 1 if part.binary else counts.get(gram, 0) + 1
        tf = {g: (1 + math.log(c) if part.sublinear_tf else float(c)) for g, c in counts.items()}
        norm = math.sqrt(math.fsum((tf[g] * part.table[g][0]) ** 2 for g in tf))
        dot = math.fsum(tf[g] * part.table[g][1] for g in tf)
        total += dot / norm if norm else dot
    return 1 / (1 + math.exp(-total))


WORDS = st.sampled_from(
    ["you", "are", "an", "idiot", "muslims", "gay", "people", "women", "black", "the",
     "council", "vote,", "stupid!", "jews", "trans", "disgusting", "vermin", "lovely",
     "idiot's", "muslim-majority", "i", "xx"]
)  # fmt: skip
TEXTS = st.lists(WORDS, max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
def test_shipped_model_matches_the_plain_computation(text: str) -> None:
    from belowline.triage.identity import group_terms, neutralise

    model = abuse_model()
    assert model.predict(text) == pytest.approx(reference(model, text), abs=1e-12)
    plain = neutralise(text, group_terms(text))
    assert plain == neutralise(text)  # the narrowed pattern replaces the same words
    first, second = model.predict_pair(text, plain)
    assert first == pytest.approx(reference(model, text), abs=1e-12)
    assert second() == pytest.approx(reference(model, plain), abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(text=TEXTS, other=TEXTS)
def test_any_pair_of_texts_scores_as_two_predictions(text: str, other: str) -> None:
    model = abuse_model()
    first, second = model.predict_pair(text, other)
    assert first == pytest.approx(model.predict(text), abs=1e-12)
    assert second() == pytest.approx(model.predict(other), abs=1e-12)


def test_the_word_cache_keeps_two_bounded_generations(monkeypatch: pytest.MonkeyPatch) -> None:
    from belowline.triage import binary

    monkeypatch.setattr(binary, "KNOWN_WORDS", 3)
    part = next(p for p in abuse_model().parts if p.words is not None)
    assert part.words is not None
    part.words.cache.clear()
    part.words.old.clear()
    text = "one two three four five six seven"
    first = part.decisions(text, 1)
    assert part.decisions(text, 1) == first
    assert 0 < len(part.words.cache) <= 3 and len(part.words.old) <= 3
    kept = dict(part.words.old)
    old_word = next(iter(kept))
    part.words.of(old_word)  # found in the old generation: moved back, the same dict
    assert part.words.cache[old_word] is kept[old_word]
    fresh = TfidfPart(part.analyzer, part.ngram_range, part.table, binary=True)
    assert fresh.decisions(text, 1) == pytest.approx(first, abs=1e-12)


def record(out: Path) -> None:
    """Write the fixture from the code in this checkout (run on the commit before)."""
    scores = {key: outputs(text, article) for key, text, article in drawn(DATA)}
    out.write_bytes(gzip.compress(json.dumps(scores).encode("utf-8"), mtime=0))


if __name__ == "__main__":
    record(Path(sys.argv[sys.argv.index("--record") + 1]))
