"""The shipped weights (gzip'd JSON) score exactly as the scikit-learn-converted models did.

``fixtures/abuse_scores.json`` was recorded with the previous loaders (our model from
``abuse.joblib``, alt-profanity-check's converted from its pickles at start-up) on a fixed set
of texts; the plain weights must give the same numbers.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from belowline.triage.linear import LinearTextModel, dump_model, load_model
from belowline.triage.scorers.abuse import abuse_model, prepare, profanity_model

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "fixtures" / "abuse_scores.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", RECORDED, ids=lambda c: repr(c["text"][:24]))
def test_profanity_scores_match_the_recorded_ones(case: dict[str, Any]) -> None:
    prepared = prepare(case["text"][:4000])
    assert profanity_model().predict(prepared) == pytest.approx(case["profanity"], abs=1e-9)


def test_abuse_weights_score_as_scikit_learn_did_at_training() -> None:
    checks = abuse_model().meta["checks"]
    assert len(checks) >= 5
    for text, want in checks:
        assert abuse_model().predict(prepare(text)) == pytest.approx(want, abs=1e-4)
    scores = [want for _text, want in checks]
    assert min(scores) < 0.3 < 0.7 < max(scores)


def test_dump_and_load_round_trip_exactly() -> None:
    model = profanity_model()
    data = dump_model(model)
    assert data == dump_model(load_model(data))  # byte-for-byte repeatable
    again = load_model(data)
    assert again.parts[0].table == model.parts[0].table
    assert again.calibration == model.calibration


def test_profanity_licence_notice_ships_beside_the_weights() -> None:
    models = resources.files("belowline.triage.models")
    notice = (models / "profanity-check-LICENSE.txt").read_text(encoding="utf-8")
    assert "alt-profanity-check" in notice
    assert "MIT License" in notice
    assert "Permission is hereby granted" in notice
    assert "alt-profanity-check" in profanity_model().meta["source"]


def test_models_saved_in_the_older_row_format_still_load() -> None:
    model = profanity_model()
    state = model.to_state()
    assert state["format"] == 2
    older = {
        **state,
        "format": 1,
        "parts": [
            {
                **{k: v for k, v in p.items() if k != "columns"},
                "rows": [list(r) for r in zip(*p["columns"], strict=True)],
            }
            for p in state["parts"]
        ],
    }
    again = LinearTextModel.from_state(older)
    assert again.parts[0].table == model.parts[0].table
    assert again.predict("go to hell") == model.predict("go to hell")


def test_the_abuse_model_keeps_each_n_gram_once_and_saves_the_same_bytes() -> None:
    from belowline.triage.binary import ValueRows

    model = abuse_model()
    # Both single-head binary blocks hold only their values; the rows are read back from them.
    assert all(isinstance(p.table, ValueRows) for p in model.parts)
    data = (resources.files("belowline.triage.models") / "abuse.json.gz").read_bytes()
    assert dump_model(model) == data  # every idf comes back exactly from its square
    plain = json.loads(__import__("gzip").decompress(data))
    for part, saved in zip(model.parts, plain["parts"], strict=True):
        assert list(part.table) == saved["grams"]
        assert [part.table[g] for g in saved["grams"][:500]] == [
            (i, w) for i, w in zip(*(c[:500] for c in saved["columns"]), strict=True)
        ]


def test_a_table_whose_idfs_do_not_survive_squaring_keeps_plain_rows() -> None:
    from belowline.triage.binary import ValueRows, value_rows

    assert value_rows({"grams": ["ab"], "columns": [[1e-200], [0.5]]}) is None  # 1e-400 is 0
    rows = value_rows({"grams": ["ab", "bc"], "columns": [[1.5, 2.0], [0.25, -1.0]]})
    assert isinstance(rows, ValueRows)
    assert dict(rows) == {"ab": (1.5, 0.25), "bc": (2.0, -1.0)}
    part = {"analyzer": "word", "ngram_range": [1, 1], "sublinear_tf": False, "binary": True,
            "stop_words": [], "grams": ["ab", "bc"],
            "columns": [[1e-200, 2.0], [0.5, -1.0]]}  # fmt: skip
    model = LinearTextModel.from_state(
        {"format": 2, "parts": [part], "intercepts": [0.0], "calibration": None}
    )
    assert type(model.parts[0].table) is dict
    assert model.parts[0].table["ab"] == (1e-200, 0.5)
