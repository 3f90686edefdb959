"""The coverage-aware post policy, through the app: publish, flag, hold, reject, hide."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.audit.models import AuditEntry
from belowline.comments.models import Comment
from belowline.decisions.models import Decision
from belowline.queues.models import QueueItem
from belowline.stories.models import Site, Story
from tests.cast import COMMENTS_URL, Cast, decide, post, report, row_counts

TOXIC = "You stupid cunt, nobody wants you here"
RUDE = "You are all idiots"
FINE = "The council should publish the bridge costs before the vote."


def set_coverage(client: TestClient, cast: Cast, level: str) -> None:
    """Make the whole week one coverage level."""
    r = client.put(
        "/api/v1/sites/gazette/moderation/schedule",
        json={"timezone": "Europe/London", "default": level, "weekly": []},
        headers=cast.h(cast.admin),
    )
    assert r.status_code == 200, r.text


def site_policy(session: Session, **policy: object) -> None:
    site = session.get(Site, "gazette")
    assert site is not None
    site.settings = {**site.settings, "moderation_policy": policy}
    session.commit()


def items(session: Session, cid: int) -> dict[str, str]:
    session.expire_all()
    rows = session.scalars(select(QueueItem).where(QueueItem.comment_id == cid)).all()
    return {i.queue: i.status for i in rows}


def test_outside_staffed_hours_a_toxic_comment_is_held_on_the_record(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cast.clock.advance(hours=10)  # Monday 20:00 in London: part-time coverage
    r = client.post(COMMENTS_URL, json={"body": TOXIC}, headers=cast.h(cast.author))
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    assert r.json()["status"] == "held"
    assert r.json()["held_reason"] == "Awaiting review by a moderator."
    # Others see nothing; the author sees it awaiting review.
    assert client.get(f"/api/v1/comments/{cid}", headers=cast.h(cast.reader)).status_code == 404
    page = client.get(COMMENTS_URL, headers=cast.h(cast.author)).json()
    assert page["items"] == []
    assert [c["id"] for c in page["viewer"]["pending"]] == [cid]
    comment = session.get(Comment, cid)
    assert comment is not None
    assert comment.scores is not None
    assert comment.scores["coverage"] == "part"
    assert comment.scores["outcome"] == "hold"
    assert comment.scores["abuse"] >= 0.85
    assert any("banned word" in reason for reason in comment.scores["reasons"])
    assert items(session, cid) == {"held": "open"}
    [decision] = session.scalars(select(Decision).where(Decision.comment_id == cid)).all()
    assert (decision.action, decision.automated, decision.actor_id) == ("hold", True, None)
    assert decision.rule_key == "respect"
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "comment.hold")).one()
    assert audit.automated is True
    assert audit.actor_role == "system"
    [note] = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()["items"]
    assert note["title"] == "Your comment is awaiting review"
    assert note["automated"] is True
    assert "part-time moderation" in note["body"]
    assert "Be civil" in note["body"]
    # A moderator reverses it: approved, published, visible to all.
    assert decide(client, cast, cast.mod, cid, action="approve").status_code == 201
    assert client.get(f"/api/v1/comments/{cid}", headers=cast.h(cast.reader)).status_code == 200
    assert items(session, cid) == {"held": "decided"}


def test_during_staffed_hours_a_rude_comment_is_published_and_flagged(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cid = post(client, cast, cast.author, RUDE)
    comment = session.get(Comment, cid)
    assert comment is not None
    assert comment.status == "published"
    assert comment.scores is not None
    assert comment.scores["outcome"] == "flag"
    assert comment.scores["signal"] == "abuse"
    assert items(session, cid) == {"flagged": "open"}
    q = client.get("/api/v1/moderation/queues/flagged", headers=cast.h(cast.mod)).json()
    [item] = q["items"]
    assert item["comment"]["id"] == cid
    assert item["scores"]["abuse"] > 0.9
    assert item["reason"].startswith("abuse 0.9")
    assert item["sla"]["target_seconds"] == 3600
    assert session.scalars(select(Decision).where(Decision.comment_id == cid)).all() == []


def test_the_same_comment_is_held_with_nobody_on_duty(
    client: TestClient, cast: Cast, session: Session
) -> None:
    set_coverage(client, cast, "none")
    r = client.post(COMMENTS_URL, json={"body": RUDE}, headers=cast.h(cast.author))
    assert r.json()["status"] == "held"
    [note] = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()["items"]
    assert "no moderator is on duty" in note["body"]


def test_an_ordinary_comment_is_published_with_its_scores_at_any_coverage(
    client: TestClient, cast: Cast, session: Session
) -> None:
    set_coverage(client, cast, "none")
    cid = post(client, cast, cast.author, FINE)
    comment = session.get(Comment, cid)
    assert comment is not None
    assert comment.status == "published"
    assert comment.scores is not None
    assert comment.scores["outcome"] == "publish"
    assert set(comment.scores) >= {"abuse", "spam", "off_topic", "reasons", "coverage"}
    assert items(session, cid) == {}


def test_banned_words_are_rejected_when_the_site_opts_in(
    client: TestClient, cast: Cast, session: Session
) -> None:
    site_policy(session, reject_banned_words=True)
    before = row_counts(session)
    r = client.post(COMMENTS_URL, json={"body": TOXIC}, headers=cast.h(cast.author))
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "banned_words"
    assert "does not allow" in error["message"]
    assert row_counts(session) == before
    assert session.scalars(select(Comment)).all() == []
    assert (
        client.post(COMMENTS_URL, json={"body": FINE}, headers=cast.h(cast.author)).status_code
        == 201
    )


def test_site_thresholds_override_the_defaults(
    client: TestClient, cast: Cast, session: Session
) -> None:
    site_policy(session, thresholds={"full": {"abuse": {"flag": 0.6, "hold": 0.9}}})
    r = client.post(COMMENTS_URL, json={"body": RUDE}, headers=cast.h(cast.author))
    assert r.json()["status"] == "held"


def test_story_and_user_premoderation_still_hold(
    client: TestClient, cast: Cast, session: Session
) -> None:
    # The story posted to: the cast has one per site, and PostgreSQL returns rows in no set order.
    story = session.get(Story, cast.world.story.id)
    assert story is not None
    story.premoderate = True
    session.commit()
    r = client.post(COMMENTS_URL, json={"body": FINE}, headers=cast.h(cast.author))
    assert r.json()["status"] == "held"
    comment = session.get(Comment, r.json()["id"])
    assert comment is not None
    assert comment.held_reason == "story_premoderated"
    assert comment.scores is not None
    assert comment.scores["outcome"] == "publish"
    assert items(session, comment.id) == {"held": "open"}
    story.premoderate = False
    author = session.get(type(cast.author), cast.author.id)
    assert author is not None
    author.premoderated = True
    session.commit()
    r = client.post(COMMENTS_URL, json={"body": FINE}, headers=cast.h(cast.author))
    assert r.json()["status"] == "held"


def test_an_edit_is_triaged_too(client: TestClient, cast: Cast, session: Session) -> None:
    set_coverage(client, cast, "part")
    cid = post(client, cast, cast.author, FINE)
    r = client.patch(f"/api/v1/comments/{cid}", json={"body": TOXIC}, headers=cast.h(cast.author))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "held"
    assert client.get(COMMENTS_URL).json()["items"] == []
    assert items(session, cid) == {"held": "open"}
    [decision] = session.scalars(select(Decision).where(Decision.comment_id == cid)).all()
    assert decision.action == "hold"
    assert decision.automated
    comment = session.get(Comment, cid)
    assert comment is not None
    assert comment.scores is not None
    assert comment.scores["outcome"] == "hold"


def test_trusted_reports_hide_a_comment_outside_full_coverage(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cast.clock.advance(days=30)  # established readers: full report weight
    set_coverage(client, cast, "none")
    cid = post(client, cast, cast.author, FINE)
    assert report(client, cast, cast.reader, cid, "untrue").status_code == 201
    assert client.get(f"/api/v1/comments/{cid}").status_code == 200
    assert report(client, cast, cast.reader2, cid, "untrue").status_code == 201
    assert client.get(f"/api/v1/comments/{cid}").status_code == 404  # hidden pending review
    comment = session.get(Comment, cid)
    assert comment is not None
    assert comment.status == "held"
    assert comment.held_reason is not None
    assert comment.held_reason.startswith("Hidden pending")
    [decision] = session.scalars(select(Decision).where(Decision.comment_id == cid)).all()
    assert (decision.action, decision.automated, decision.rule_key) == ("hold", True, "truthful")
    [note] = client.get("/api/v1/me/notifications", headers=cast.h(cast.author)).json()["items"]
    assert "several readers reported it as untrue" in note["body"]
    # The moderator disagrees: approved, back in the thread, the reports dismissed.
    assert decide(client, cast, cast.mod, cid, action="approve").status_code == 201
    assert client.get(f"/api/v1/comments/{cid}").status_code == 200
    history = client.get(f"/api/v1/moderation/users/{cast.reader.id}", headers=cast.h(cast.mod))
    assert history.json()["as_reporter"]["dismissed"] == 1


def test_reports_never_hide_during_full_coverage(
    client: TestClient, cast: Cast, session: Session
) -> None:
    cast.clock.advance(days=30)
    set_coverage(client, cast, "full")
    cid = post(client, cast, cast.author, FINE)
    for reader in (cast.reader, cast.reader2, cast.mod):
        report(client, cast, reader, cid, "abusive")
    assert client.get(f"/api/v1/comments/{cid}").status_code == 200
