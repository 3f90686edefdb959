"""One scoring path: `belowline triage score --site` gives exactly the scores a live post gets."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from belowline.cli import app as cli
from belowline.comments import service as comments_service
from belowline.policy import post_policy
from belowline.stories.models import Site
from tests.cast import Cast
from tests.factories import make_user
from tests.learning.test_learning import _seed

TEXTS = [
    "What a load of typical remoaner drivel about the bridge.",
    "The council vote on the crossing was fair, I think.",
    "You absolute plonker, read the article before posting.",
    "Dick Smith spoke well at the budget debate.",
    "Buy cheap pills at pills-cheap.com, click here!",
]


def _cli(engine: Engine, monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str) -> list[dict]:
    monkeypatch.setenv("BELOWLINE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(cli, ["triage", "score", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_cli_with_site_scores_exactly_as_a_live_post(
    cast: Cast, session: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(session, cast, 160)
    cast.clock.advance(days=10)
    monkeypatch.setenv("BELOWLINE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr("belowline.cli.system_clock", cast.clock)
    trained = CliRunner().invoke(cli, ["triage", "train", "--site", "gazette"])
    assert json.loads(trained.stdout.strip().splitlines()[-1])["adopted"] is True
    session.expire_all()
    site = session.get(Site, "gazette")
    assert site is not None
    site.settings = {**site.settings, "banned_words": ["plonker"], "suspect_words": ["drivel"]}
    story = cast.world.story
    story.text = "The council voted on the new bridge and its costs at the budget debate."
    session.commit()

    posted = []
    for i, text in enumerate(TEXTS):
        author = make_user(session, site, cast.clock(), name=f"Fresh{i}")
        comment = comments_service.post_comment(
            session,
            site=site,
            story=story,
            author=author,
            body=text,
            parent_id=None,
            accept_terms_version=None,
            now=cast.clock(),
            policy=post_policy.triage_policy,
        )
        posted.append(comment.scores)
    session.commit()
    lines = "".join(json.dumps({"text": t, "article": story.text}) + "\n" for t in TEXTS)
    scored = _cli(engine, monkeypatch, "--site", "gazette", "--batch", "2", stdin=lines)

    assert len(scored) == len(TEXTS)
    model_id = site.settings["triage_model"]["id"]
    for live, cli_line in zip(posted, scored, strict=True):
        assert live["site_model"] == model_id == cli_line["model"]
        for key in ("abuse", "spam", "off_topic", "reasons", "banned_words", "suspect_words"):
            assert cli_line[key] == live[key], key
    assert scored[2]["banned_words"] == ["plonker"]
    assert scored[0]["suspect_words"] == ["drivel"]
    # Without --site: the defaults (shipped model, built-in lists), so the local model is absent.
    plain = _cli(engine, monkeypatch, stdin=lines)
    assert all(p["model"] == "shipped" for p in plain)
    assert plain[0]["abuse"] != scored[0]["abuse"]
    assert plain[2]["banned_words"] == []
