"""`belowline triage train`: learn from the site's decisions, adopt only a better model."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from belowline.cli import app as cli
from belowline.comments import service as comments_service
from belowline.comments.service import default_policy
from belowline.decisions import service as decisions
from belowline.decisions.models import DecisionAction
from belowline.learning.models import TriageModel
from belowline.learning.service import adopted_abuse_model, blend, serve
from belowline.stories.models import Site
from belowline.triage.pipeline import score_comment
from belowline.triage.scorers.abuse import prepare
from tests.cast import Cast
from tests.factories import make_user
from tests.triage.test_fast_path import reference

# Local insults the shipped model has never seen, and ordinary comments about the story.
LOCAL = ["absolute gammon", "typical remoaner drivel", "utter muppetry from a snowflake"]
ORDINARY = ["the bridge costs", "the council vote", "the budget debate", "the new crossing"]


def _seed(session: Session, cast: Cast, n: int) -> None:
    authors = [make_user(session, cast.world.site, cast.clock(), name=f"A{i}") for i in range(8)]
    story, site = cast.world.story, cast.world.site
    for i in range(n):
        author = authors[i % len(authors)]
        bad = i % 2 == 0
        words = LOCAL[i % 3] if bad else ORDINARY[i % 4]
        body = f"Comment {i}: {words}, as I said about {ORDINARY[(i + 1) % 4]}"
        comment = comments_service.post_comment(
            session,
            site=site,
            story=story,
            author=author,
            body=body,
            parent_id=None,
            accept_terms_version=None,
            now=cast.clock(),
            policy=default_policy,
        )
        if bad:
            decisions.decide(
                session,
                actor=cast.mod,
                comment_id=comment.id,
                now=cast.clock(),
                request=decisions.DecisionRequest(action=DecisionAction.REMOVE, rule_id="respect"),
            )
        cast.clock.advance(minutes=30)
    session.commit()


def test_train_adopts_a_better_model_and_records_every_run(
    cast: Cast, session: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(session, cast, 160)
    cast.clock.advance(days=10)  # the ordinary ones have stood for a week
    monkeypatch.setenv("BELOWLINE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr("belowline.cli.system_clock", cast.clock)
    result = CliRunner().invoke(cli, ["triage", "train", "--site", "gazette"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["positives"] == 80
    assert figures["negatives"] == 80
    assert figures["test_examples"] == 32
    assert figures["test_duplicates_dropped"] == 0
    assert figures["adopted"] is True, figures
    assert figures["auc_candidate"] > figures["auc_current"]
    assert 0 < figures["auc_gain_95"][0] <= figures["auc_gain"] <= figures["auc_gain_95"][1]
    assert figures["outcome"].startswith("adopted (ROC-AUC")
    session.expire_all()
    site = session.get(Site, "gazette")
    assert site is not None
    assert site.settings["triage_model"]["id"] == figures["run"]
    _scores_through_the_fast_path(session, site)
    # A second run must beat the adopted model, not the shipped one.
    result = CliRunner().invoke(cli, ["triage", "train", "--site", "gazette"])
    second = json.loads(result.stdout.strip().splitlines()[-1])
    assert second["current_model"] == figures["run"]
    assert second["adopted"] is False
    assert second["outcome"].startswith("kept the current model"), second
    assert session.query(TriageModel).count() == 2


def _scores_through_the_fast_path(session: Session, site: Site) -> None:
    """The adopted model counts features as the shipped one does, and scores as computed plainly."""
    adopted = adopted_abuse_model(session, site)
    assert adopted is not None
    model = adopted[1]
    assert all(p.binary for p in model.parts)
    assert [p.analyzer for p in model.parts if p.words is not None] == ["char_wb"]
    for text in ("Comment 7: absolute gammon, as I said", "the council vote on the crossing"):
        prepared = prepare(text)
        assert model.predict(prepared) == pytest.approx(reference(model, prepared), abs=1e-12)
        result = score_comment(text)
        served = serve(model, text, result)
        assert served == pytest.approx(blend(reference(model, prepared), result.abuse, 0.0))


def test_too_few_labels_is_recorded_not_adopted(
    cast: Cast, session: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(session, cast, 10)
    monkeypatch.setenv("BELOWLINE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr("belowline.cli.system_clock", cast.clock)
    result = CliRunner().invoke(cli, ["triage", "train", "--site", "gazette"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["adopted"] is False
    assert figures["outcome"].startswith("not enough labels")
    assert "5 removals for abuse (need 50)" in figures["outcome"]


def test_copies_of_older_comments_are_not_used_to_judge(
    cast: Cast, session: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(session, cast, 160)
    author = make_user(session, cast.world.site, cast.clock(), name="Copier")
    for i in range(1, 20, 2):  # ten copies of older ordinary comments, posted last
        comments_service.post_comment(
            session,
            site=cast.world.site,
            story=cast.world.story,
            author=author,
            body=f"Comment {i}: {ORDINARY[i % 4]}, as I said about {ORDINARY[(i + 1) % 4]}",
            parent_id=None,
            accept_terms_version=None,
            now=cast.clock(),
            policy=default_policy,
        )
        cast.clock.advance(minutes=5)
    session.commit()
    cast.clock.advance(days=10)
    monkeypatch.setenv("BELOWLINE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr("belowline.cli.system_clock", cast.clock)
    result = CliRunner().invoke(cli, ["triage", "train", "--site", "gazette"])
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["examples"] == 170
    assert figures["test_duplicates_dropped"] == 10
    # Without the copies the newest part holds 12 removals: too few to judge, so no adoption.
    assert figures["adopted"] is False
    assert "12 removals and 12 others among the newest" in figures["outcome"], figures
