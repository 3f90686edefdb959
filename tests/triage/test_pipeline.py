"""The pipeline and the ``triage score`` JSON-lines contract."""

from __future__ import annotations

import io
import json
import time

from belowline.triage.pipeline import score_comment, score_lines, warm_up

ARTICLE = "Ministers have confirmed the new rail line will open in 2031, four years late."


def test_score_comment_collects_every_scorer() -> None:
    result = score_comment(
        "check out my channel http://a.biz http://b.biz you f.u.c.k.i.n.g idiot",
        article=ARTICLE,
    )
    assert result.abuse > 0.5
    assert result.spam > 0.5
    assert result.off_topic is not None
    assert result.off_topic > 0.5
    assert result.suspect_words == ("fuck*", "idiot")
    assert any("disguised as 'f.u.c.k" in r for r in result.reasons)
    assert any("links in" in r for r in result.reasons)


def test_score_comment_polite_on_topic_comment_is_clean() -> None:
    result = score_comment(
        "Four years late is typical for rail projects, but the new line will still be worth it.",
        article=ARTICLE,
    )
    assert result.abuse < 0.3
    assert result.spam < 0.1
    assert result.off_topic is not None
    assert result.off_topic < 0.3
    assert result.reasons == ()


def test_to_json_has_contract_keys() -> None:
    data = score_comment("hello there").to_json()
    assert {"abuse", "off_topic", "spam", "reasons"} <= data.keys()
    assert data["off_topic"] is None
    json.dumps(data)


def test_score_lines_one_output_per_input_and_errors_do_not_stop_it() -> None:
    lines = [
        json.dumps({"text": "Great article", "article": ARTICLE}),
        "{not json",
        json.dumps({"text": 42}),
        "",
        json.dumps(["a list"]),
        json.dumps({"text": "ok", "parent": 3}),
        json.dumps({"text": "Four years late again", "article": ARTICLE, "parent": None}),
    ]
    out = io.StringIO()
    errors = score_lines(io.StringIO("\n".join(lines) + "\n"), out, banned=(), suspect=())
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(results) == 6  # the blank line is skipped
    assert errors == 4
    assert [("error" in r) for r in results] == [False, True, True, True, True, False]
    assert results[1]["line"] == 2
    assert 0.0 <= results[0]["abuse"] <= 1.0
    assert results[0]["off_topic"] is not None


def test_score_lines_uses_site_word_lists() -> None:
    out = io.StringIO()
    score_lines(io.StringIO('{"text": "what a plonker"}\n'), out, banned=("plonker",), suspect=())
    assert json.loads(out.getvalue())["banned_words"] == ["plonker"]


def test_score_comment_is_within_budget_when_warm() -> None:
    warm_up()
    text = "I am not sure the minister understands what the rail line means for commuters. " * 3
    runs = []
    for _ in range(50):
        start = time.perf_counter()
        score_comment(text, article=ARTICLE, parent="The rail line is late again.")
        runs.append(time.perf_counter() - start)
    # Generous margin (the budget is 2 ms) so a busy CI machine does not flake.
    assert sorted(runs)[len(runs) // 2] < 0.010
