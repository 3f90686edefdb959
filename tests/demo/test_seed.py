"""The demo seed: right counters, the five kinds of user, deep threads, and only once."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.accounts import service as accounts_service
from belowline.accounts.models import User
from belowline.clock import FrozenClock
from belowline.comments.models import Comment, CommentRevision, Reaction
from belowline.demo import seed as demo_seed
from belowline.demo.content import ARTICLES
from belowline.rules.models import TermsAcceptance
from belowline.stories.models import Site, Story

NEWSPAPER = "http://127.0.0.1:8001"


def run_seed(session: Session, clock: FrozenClock) -> demo_seed.SeedSummary:
    summary = demo_seed.seed(
        session,
        newspaper_url=NEWSPAPER,
        origins=demo_seed.newspaper_origins("127.0.0.1", 8001),
        sso_secret="demo-secret-for-tests-0123456789abcdef",
        now=clock(),
    )
    session.commit()
    return summary


def test_seed_counters_match_the_rows(session: Session, clock: FrozenClock) -> None:
    summary = run_seed(session, clock)
    comments = session.scalars(select(Comment)).all()
    assert summary.created
    assert 300 <= len(comments) <= 450
    assert summary.comments == len(comments)

    stories = session.scalars(select(Story).where(Story.site_id == demo_seed.SITE_ID)).all()
    assert len(stories) >= 5
    published = Counter(c.story_id for c in comments if c.status == "published")
    for story in stories:
        assert story.comment_count == published[story.id], story.external_id
        assert story.text.strip()
        assert len(story.text) > 500
        assert story.url == f"{NEWSPAPER}/news/{story.external_id}"
    busiest = max(stories, key=lambda s: s.comment_count)
    assert busiest.comment_count >= 150

    replies = Counter(c.parent_id for c in comments if c.parent_id and c.status != "held")
    reactions = Counter(
        session.scalars(select(Reaction.comment_id)).all()  # one row per reaction
    )
    by_id = {c.id: c for c in comments}
    for c in comments:
        assert c.reply_count == replies[c.id]
        assert c.reaction_count == reactions[c.id]
        assert c.author_id not in {
            r.user_id for r in session.scalars(select(Reaction).where(Reaction.comment_id == c.id))
        }
        if c.parent_id is not None:
            parent = by_id[c.parent_id]
            assert c.depth == parent.depth + 1
            assert c.created_at > parent.created_at
            assert c.root_id == (parent.root_id or parent.id)
            assert c.story_id == parent.story_id
        assert c.created_at <= clock()
    assert sum(reactions.values()) > 200


def test_seed_has_deep_threads_and_moderation_history(session: Session, clock: FrozenClock) -> None:
    run_seed(session, clock)
    assert session.scalar(select(func.max(Comment.depth))) >= 3
    removed = session.scalars(select(Comment).where(Comment.status == "removed")).all()
    assert len(removed) >= 2
    for c in removed:
        assert c.removal_rule_id in {"respect", "no-spam", "no-hate"}
        assert c.removal_reason
        assert "rule" in c.removal_reason
    assert session.scalar(select(func.count()).where(Comment.status == "deleted")) >= 2
    edited = session.scalars(select(Comment).where(Comment.edited_at.is_not(None))).all()
    assert len(edited) >= 3
    for c in edited:
        kinds = session.scalars(
            select(CommentRevision.kind).where(CommentRevision.comment_id == c.id)
        ).all()
        assert "original" in kinds
    assert session.scalar(select(func.count()).where(Comment.moderator_edited.is_(True))) >= 1
    authors = session.scalar(select(func.count(func.distinct(Comment.author_id))))
    assert authors >= 30
    # Everyone who commented accepted the rules first.
    accepted = set(session.scalars(select(TermsAcceptance.user_id)).all())
    assert set(session.scalars(select(Comment.author_id)).all()) <= accepted


def test_seed_users_and_roles(session: Session, clock: FrozenClock) -> None:
    run_seed(session, clock)
    now = clock()

    def user(email: str) -> User:
        found = session.scalar(select(User).where(User.email == email))
        assert found is not None, email
        return found

    sam, lee, nina = user("sam@demo.test"), user("lee@demo.test"), user("nina@demo.test")
    assert accounts_service.subscription_state(sam, now=now) == "active"
    assert accounts_service.subscription_state(lee, now=now) == "lapsed"
    assert lee.subscription_expires_at is not None
    assert (now - lee.subscription_expires_at).days < 45
    assert accounts_service.subscription_state(nina, now=now) == "none"
    assert {sam.external_id, lee.external_id, nina.external_id} == {
        r.external_id for r in demo_seed.READERS
    }
    assert user("mo@demo.test").role == "moderator"
    assert user("ada@demo.test").role == "admin"
    for email in ("mo@demo.test", "ada@demo.test"):
        staff = accounts_service.authenticate_local(
            session, site_id=demo_seed.SITE_ID, email=email, password=demo_seed.PASSWORD
        )
        assert staff.is_staff
    site = session.get(Site, demo_seed.SITE_ID)
    assert site is not None
    assert site.name == "The Demo Gazette"
    assert set(site.origins) == {"http://127.0.0.1:8001", "http://localhost:8001"}
    assert site.sso_secret == "demo-secret-for-tests-0123456789abcdef"
    assert site.sso_algorithms == ["HS256"]
    assert site.subscribe_url == f"{NEWSPAPER}/subscribe"
    assert site.signin_url == f"{NEWSPAPER}/signin"


def test_seeding_twice_changes_nothing_but_addresses(session: Session, clock: FrozenClock) -> None:
    run_seed(session, clock)
    before = (
        session.scalar(select(func.count()).select_from(Comment)),
        session.scalar(select(func.count()).select_from(User)),
        session.scalar(select(func.count()).select_from(Story)),
    )
    again = demo_seed.seed(
        session,
        newspaper_url="http://127.0.0.1:9001",
        origins=demo_seed.newspaper_origins("127.0.0.1", 9001),
        sso_secret="demo-secret-for-tests-0123456789abcdef",
        now=clock(),
    )
    session.commit()
    assert not again.created
    after = (
        session.scalar(select(func.count()).select_from(Comment)),
        session.scalar(select(func.count()).select_from(User)),
        session.scalar(select(func.count()).select_from(Story)),
    )
    assert after == before
    site = session.get(Site, demo_seed.SITE_ID)
    assert site is not None
    assert "http://127.0.0.1:9001" in site.origins
    assert "http://127.0.0.1:8001" in site.origins
    assert site.signin_url == "http://127.0.0.1:9001/signin"


def test_seeded_threads_read_through_the_api(
    client: TestClient, session: Session, clock: FrozenClock
) -> None:
    run_seed(session, clock)
    hot = ARTICLES[0].slug
    r = client.get(f"/api/v1/sites/{demo_seed.SITE_ID}/counts", params={"story": [hot]})
    assert r.status_code == 200
    story = session.scalar(select(Story).where(Story.external_id == hot))
    assert story is not None
    assert r.json()[hot] == story.comment_count
    seen = 0
    cursor = None
    for _ in range(20):
        params = {"sort": "oldest", "limit": 50, **({"cursor": cursor} if cursor else {})}
        page = client.get(
            f"/api/v1/sites/{demo_seed.SITE_ID}/stories/{hot}/comments", params=params
        )
        assert page.status_code == 200, page.text
        seen += len(page.json()["items"])
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    # Every top-level comment is listed, but a held (or removed) one without replies.
    top_level = session.scalar(
        select(func.count()).where(
            Comment.story_id == story.id,
            Comment.depth == 0,
            (Comment.status == "published") | (Comment.reply_count > 0),
        )
    )
    assert seen == top_level


def test_the_demo_has_a_working_day(session: Session, clock: FrozenClock) -> None:
    """Every tab has something: reports, flags, holds, decisions with rules, a sanction, an
    open appeal, audit entries, a webhook with queued deliveries, featured comments, a note."""
    from belowline.models import (
        Appeal,
        AuditEntry,
        Decision,
        OutboxMessage,
        QueueItem,
        Sanction,
        Webhook,
    )

    run_seed(session, clock)

    def count(*where: object) -> int:
        return int(session.scalar(select(func.count()).where(*where)) or 0)

    for queue in ("reported", "flagged", "held"):
        assert count(QueueItem.queue == queue, QueueItem.status == "open") >= 2, queue
    removed = session.scalars(select(Comment).where(Comment.status == "removed")).all()
    assert removed
    for comment in removed:
        decision = session.scalars(
            select(Decision).where(Decision.comment_id == comment.id, Decision.action == "remove")
        ).one()
        assert decision.rule_key and decision.rule_key == comment.removal_rule_id
    assert count(Sanction.id > 0) >= 1
    assert count(Appeal.status == "open") == 1
    assert count(AuditEntry.action == "comment.remove") == len(removed)
    assert count(AuditEntry.action == "report") >= 8
    assert count(Webhook.active.is_(True)) == 1
    assert count(OutboxMessage.kind == "webhook") == 0  # queued only by the app's sessions
    assert count(Comment.featured.is_(True)) >= 1
    assert count(Story.announcement_html.is_not(None)) == 1


def test_the_overview_has_response_times_from_the_past_week(
    session: Session, clock: FrozenClock
) -> None:
    from belowline.staffing.overview import time_to_action

    run_seed(session, clock)
    site = session.scalars(select(Site)).one()
    every = {row["queue"]: row for row in time_to_action(session, site_id=site.id, now=clock())}
    assert every["reported"]["decisions"] >= 5
    assert every["all"]["median"] is not None and every["all"]["median"] > 0
    from belowline.learning.models import TriageModel

    [run] = session.scalars(select(TriageModel)).all()
    assert not run.adopted
    assert "decisions" in run.figures["outcome"] or "labels" in run.figures["outcome"]
