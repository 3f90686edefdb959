"""A working day on the demo site, done through the real services so every tab has something.

Removals become decisions citing their rule (Decided, the authors' records), readers report
comments (Reported), triage flags and holds some (Flagged, Held), a repeat author is warned and
appeals, the newsroom pins an announcement and subscribes the demo newspaper to webhooks, and
all of it lands on the audit log.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline.accounts.models import Role, User
from belowline.appeals import service as appeals
from belowline.comments import state
from belowline.comments.models import Comment, CommentStatus
from belowline.decisions import service as decisions
from belowline.editorial import service as editorial
from belowline.learning import service as learning
from belowline.policy import automated
from belowline.queues import service as queues
from belowline.queues.models import QueueName
from belowline.reports import service as reports
from belowline.sanctions import service as sanctions
from belowline.stories.models import Site, Story
from belowline.webhooks import service as webhooks

REPORT_REASONS = ("abusive", "off_topic", "untrue", "spam", "abusive", "abusive")
HOOK_EVENTS = ["comment.decided", "report.created", "user.sanctioned"]
ANNOUNCEMENT = (
    "**From the editor:** we are reading every comment on this story. Please keep it civil; "
    "comments close at 10pm."
)


def _staff(session: Session, site: Site) -> tuple[User, User]:
    people = session.scalars(select(User).where(User.site_id == site.id)).all()
    mod = next(u for u in people if u.role == Role.MODERATOR)
    admin = next(u for u in people if u.role == Role.ADMIN)
    return mod, admin


def _published(session: Session, story: Story) -> list[Comment]:
    return list(
        session.scalars(
            select(Comment)
            .where(Comment.story_id == story.id, Comment.status == CommentStatus.PUBLISHED)
            .order_by(Comment.id)
        )
    )


def working_day(
    session: Session, *, site: Site, newspaper_url: str, now: datetime, rng: random.Random
) -> None:
    """Run the day; the caller commits (webhook deliveries are queued by that commit)."""
    mod, admin = _staff(session, site)
    webhooks.create(
        session,
        actor=admin,
        site_id=site.id,
        request=webhooks.WebhookRequest(url=f"{newspaper_url}/hooks/belowline", events=HOOK_EVENTS),
        allow_private=True,  # the demo newspaper runs on this machine
        now=now - timedelta(hours=6),
    )
    stories = list(
        session.scalars(
            select(Story).where(Story.site_id == site.id).order_by(Story.created_at.desc())
        )
    )
    removal_ids = _decide_removals(session, mod=mod, site=site, now=now)
    readers = list(
        session.scalars(select(User).where(User.site_id == site.id, User.role == Role.COMMENTER))
    )
    lead = stories[0]
    candidates = [c for s in stories[:3] for c in _published(session, s)]
    rng.shuffle(candidates)
    for n, comment in enumerate(candidates[:8]):
        reporter = next(u for u in readers[n:] + readers if u.id != comment.author_id)
        reports.report_comment(
            session,
            comment_id=comment.id,
            reporter=reporter,
            reason=REPORT_REASONS[n % len(REPORT_REASONS)],
            detail="This is not what the comments are for." if n % 3 == 0 else None,
            now=now - timedelta(minutes=10 + 13 * n),
        )
    _decided_reports(session, mod=mod, readers=readers, comments=candidates[13:21], now=now)
    for n, comment in enumerate(candidates[8:11]):
        story = session.get(Story, comment.story_id)
        assert story is not None  # noqa: S101 - the comment's story
        reason = ("abuse 0.71; insult", "off_topic 0.93", "spam 0.66; links")[n]
        automated.flag(session, comment=comment, story=story, reason=reason, now=now)
    for n, comment in enumerate(candidates[11:13]):
        state.change_status(session, comment, CommentStatus.HELD)
        comment.held_reason = (
            "Held by automated triage: abuse 0.88; threat" if n == 0 else "author_premoderated"
        )
        queues.open_item(
            session,
            comment=comment,
            queue=QueueName.HELD,
            now=now - timedelta(minutes=25 * (n + 1)),
            reason=comment.held_reason,
        )
    if removal_ids:
        first = session.get(Comment, removal_ids[0][0])
        assert first is not None  # noqa: S101 - just decided
        sanctions.impose(
            session,
            actor=mod,
            user_id=first.author_id,
            request=sanctions.SanctionRequest(
                kind="warn",
                rule_id=removal_ids[0][1],
                note="Second removal this month.",
                message="Please read the community rules before you post again.",
            ),
            now=now - timedelta(hours=2),
        )
        author = session.get(User, first.author_id)
        assert author is not None  # noqa: S101 - the comment's author
        appeals.file_appeal(
            session,
            appellant=author,
            decision_id=removal_ids[0][2],
            statement="I was quoting the councillor, not insulting anyone. Please look again.",
            now=now - timedelta(hours=1),
        )
    editorial.set_announcement(
        session, actor=mod, site_id=site.id, story_id=lead.external_id, text=ANNOUNCEMENT, now=now
    )
    # Last night's scheduled training run: too few decisions yet, so the Overview says so.
    learning.train(session, site_id=site.id, now=now - timedelta(hours=9))


def _decided_reports(
    session: Session, *, mod: User, readers: list[User], comments: list[Comment], now: datetime
) -> None:
    """Reports from the past week the moderator has dealt with: the Overview's response times."""
    for n, comment in enumerate(comments):
        reporter = next(u for u in readers[n + 3 :] + readers if u.id != comment.author_id)
        reported = max(now - timedelta(hours=5 + 19 * n), comment.created_at + timedelta(minutes=3))
        reports.report_comment(
            session,
            comment_id=comment.id,
            reporter=reporter,
            reason=REPORT_REASONS[n % len(REPORT_REASONS)],
            detail=None,
            now=reported,
        )
        removing = n % 3 == 0
        decisions.decide(
            session,
            actor=mod,
            comment_id=comment.id,
            request=decisions.DecisionRequest(
                action="remove" if removing else "approve", rule_id="respect" if removing else None
            ),
            now=min(reported + timedelta(minutes=8 + 23 * n), now - timedelta(minutes=1)),
        )


def _decide_removals(
    session: Session, *, mod: User, site: Site, now: datetime
) -> list[tuple[int, str, int]]:
    """The seeded removals, decided by a moderator citing their rule: (comment, rule, decision)."""
    removed = session.scalars(
        select(Comment)
        .where(Comment.site_id == site.id, Comment.status == CommentStatus.REMOVED)
        .order_by(Comment.created_at)
    ).all()
    made = []
    for comment in removed:
        rule = comment.removal_rule_id or "respect"
        state.change_status(session, comment, CommentStatus.PUBLISHED)
        comment.removal_rule_id = None
        comment.removal_reason = None
        session.flush()
        at = min(comment.created_at + timedelta(minutes=20), now - timedelta(minutes=5))
        decision = decisions.decide(
            session,
            actor=mod,
            comment_id=comment.id,
            request=decisions.DecisionRequest(action="remove", rule_id=rule),
            now=at,
        )
        made.append((comment.id, rule, decision.id))
    return made
