"""The semantic tier after publishing: enqueued with the post, scored in batches by the outbox
worker, flagging or holding what the fast tier published; off cleanly without its extra."""

from __future__ import annotations

import logging
from pathlib import Path

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.comments.models import Comment
from belowline.decisions.models import Decision
from belowline.outbox.models import OutboxMessage
from belowline.policy import semantic
from belowline.queues.models import QueueItem
from belowline.settings import Settings
from belowline.stories.models import Site
from belowline.triage.semantic.encoder import available
from tests.cast import Cast, post
from tests.factories import TEST_SECRET
from tests.fresh_process import facts, loaded_after
from tests.policy.test_policy import set_coverage

ROOT = Path(__file__).resolve().parents[2]
needs_extra = pytest.mark.skipif(not available(), reason="needs belowline[semantic]")

# Hostility in clean words (the fast tier scores it about 0.34, the semantic head about 0.67),
# and an ordinary comment.
HOSTILE = "People like you are a disease on this country and should be removed."
FINE = "The council should publish the bridge costs before the vote."


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        data_dir=tmp_path,
        secret_key=TEST_SECRET,
        rate_limit_enabled=False,
        periodic_jobs=False,
        outbox_worker=False,  # the tests drive the worker
        semantic_tier=True,
        release_memory_on_start=False,
    )


def _thresholds(session: Session, level: str, *, flag: float, hold: float | None) -> None:
    """Set the site's abuse thresholds at one coverage level (over what the API saved)."""
    session.expire_all()
    site = session.get(Site, "gazette")
    assert site is not None
    policy = {"thresholds": {level: {"abuse": {"flag": flag, "hold": hold}}}}
    site.settings = {**site.settings, "moderation_policy": policy}
    session.commit()


def _messages(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(
        session.scalars(select(OutboxMessage).where(OutboxMessage.kind == semantic.KIND)).all()
    )


def _comment(session: Session, cid: int) -> Comment:
    session.expire_all()
    comment = session.get(Comment, cid)
    assert comment is not None
    return comment


def test_without_the_extra_nothing_is_registered_and_it_is_said_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    handlers: dict[str, object] = {}
    semantic._WARNED.clear()
    with caplog.at_level(logging.INFO, logger="belowline.policy.semantic"):
        for _ in range(3):
            on = semantic.register(
                handlers,  # type: ignore[arg-type]
                sessions=None,  # type: ignore[arg-type]
                clock=None,  # type: ignore[arg-type]
                installed=lambda: False,
            )
            assert on is False
    assert handlers == {}
    assert [r.message for r in caplog.records].count(
        "semantic tier off: the 'semantic' extra is not installed (fast tier only)"
    ) == 1
    assert semantic.register({}, sessions=None, clock=None, enabled=False) is False  # type: ignore[arg-type]


def test_the_post_path_loads_no_torch() -> None:
    """A post with the tier on enqueues its score (when installed) and never imports torch."""
    assert "torch" not in loaded_after("post with the semantic tier on")
    assert facts()["outbox kinds"].count(semantic.KIND) == (1 if available() else 0)


@needs_extra
@pytest.mark.semantic
def test_hostility_in_clean_words_is_flagged_after_publishing(
    client: TestClient, app: FastAPI, cast: Cast, session: Session
) -> None:
    set_coverage(client, cast, "full")
    _thresholds(session, "full", flag=0.99, hold=None)
    hostile = post(client, cast, cast.author, HOSTILE)
    fine = post(client, cast, cast.reader, FINE)
    # Published at once, with only the fast tier's score.
    assert client.get(f"/api/v1/comments/{hostile}", headers=cast.h(cast.reader)).status_code == 200
    fast = (_comment(session, hostile).scores or {})["abuse"]
    assert (_comment(session, hostile).scores or {})["outcome"] == "publish"
    assert len(_messages(session)) == 2
    # The site flags a little above what the fast tier gave: only the semantic tier can reach it.
    _thresholds(session, "full", flag=fast + 0.05, hold=None)

    app.state.outbox_worker.batch = 1  # the worker hands over one; the handler takes the rest
    assert anyio.run(app.state.outbox_worker.run_once) == 1
    assert {m.status for m in _messages(session)} == {"sent"}

    scored = _comment(session, hostile).scores or {}
    assert scored["semantic"]["outcome"] == "flag"
    assert scored["semantic"]["coverage"] == "full"
    assert scored["semantic"]["combined"] >= fast + 0.05
    assert scored["semantic"]["score"] > 0.5
    [item] = session.scalars(select(QueueItem).where(QueueItem.comment_id == hostile)).all()
    assert (item.queue, item.status) == ("flagged", "open")
    assert item.reason is not None and item.reason.startswith("semantic tier: abuse")
    calm = _comment(session, fine).scores or {}
    assert calm["semantic"]["outcome"] == "none"
    assert calm["semantic"]["score"] < 0.2
    assert session.scalars(select(QueueItem).where(QueueItem.comment_id == fine)).all() == []
    # Delivered again (at least once): not scored or flagged twice.
    again = _messages(session)[0]
    again.status, again.next_attempt_at = "pending", cast.clock()
    session.commit()
    anyio.run(app.state.outbox_worker.run_once)
    assert len(session.scalars(select(QueueItem).where(QueueItem.comment_id == hostile)).all()) == 1


@needs_extra
@pytest.mark.semantic
def test_with_nobody_on_duty_it_is_hidden_pending_review(
    client: TestClient, app: FastAPI, cast: Cast, session: Session
) -> None:
    set_coverage(client, cast, "none")
    _thresholds(session, "none", flag=0.99, hold=0.99)
    hostile = post(client, cast, cast.author, HOSTILE)
    assert _comment(session, hostile).status == "published"
    fast = (_comment(session, hostile).scores or {})["abuse"]
    # The site holds at a level between the fast score and what the tiers give together.
    _thresholds(session, "none", flag=0.99, hold=fast + 0.05)
    assert anyio.run(app.state.outbox_worker.run_once) == 1
    assert [(m.status, m.last_error) for m in _messages(session)] == [("sent", None)]
    comment = _comment(session, hostile)
    assert comment.status == "held"
    assert (comment.scores or {})["semantic"]["coverage"] == "none"
    assert (comment.held_reason or "").startswith("Held by automated triage: semantic tier")
    assert client.get(f"/api/v1/comments/{hostile}", headers=cast.h(cast.reader)).status_code == 404
    [decision] = session.scalars(select(Decision).where(Decision.comment_id == hostile)).all()
    assert (decision.action, decision.automated) == ("hold", True)
    assert "after publishing" in decision.note
    [item] = session.scalars(select(QueueItem).where(QueueItem.comment_id == hostile)).all()
    assert (item.queue, item.status) == ("held", "open")


@needs_extra
@pytest.mark.semantic
def test_an_edit_before_scoring_is_scored_once_as_edited(
    client: TestClient, app: FastAPI, cast: Cast, session: Session
) -> None:
    cid = post(client, cast, cast.author, FINE)
    r = client.patch(f"/api/v1/comments/{cid}", json={"body": HOSTILE}, headers=cast.h(cast.author))
    assert r.status_code == 200, r.text
    assert len(_messages(session)) == 2
    anyio.run(app.state.outbox_worker.run_once)
    scored = (_comment(session, cid).scores or {})["semantic"]
    assert scored["version"] == _comment(session, cid).version
    assert scored["score"] > 0.5
